// Renders the service layer: `matrix --services` rows, `exposure`, and `explain` paths through a Service or an Ingress.
import {
  analyzeServices,
  formatIp,
  formatIpRange,
  parseCidr,
  parseIp,
  type Analysis,
  type BackendReach,
  type ClusterComponentSettings,
  type ExposureSources,
  type ConnectivityResult,
  type ExternalEndpoint,
  type HopVerdict,
  type IngressInfo,
  type IpFamily,
  type PathEndpoint,
  type PartyDecision,
  type PathSide,
  type PortProtocol,
  type ServiceExposure,
  type ServiceInfo,
  type ServiceLayer,
  type ServicePortInfo,
  type ServiceViewRow,
  type WorkloadEndpoint,
} from '@kubereach/core';
import { findEndpoint } from './endpoint-query.js';
import { renderExplanation } from './explain.js';
import type { Locations } from './report-issues.js';
import type { Style } from './terminal.js';

export const SERVICE_VIEW_FORMATS = ['table', 'connlist', 'json'] as const;
export type ServiceViewFormat = (typeof SERVICE_VIEW_FORMATS)[number];

/** `components`: the ingressControllers and clusterDns settings of `.kubereach.yaml` (configuredSettings). */
export function serviceLayer(analysis: Analysis, components: ClusterComponentSettings, defaultNamespace: string): ServiceLayer {
  return analyzeServices(analysis, { ...components, defaultNamespace });
}

/** `shop/api[Service] TCP 80`, or `shop/storefront[Ingress] shop.example.com/api -> shop/api[Service] TCP 80`. */
function targetOf(row: ServiceViewRow): string {
  const service = `${row.service.id}[Service] ${row.port.protocol} ${row.port.port}`;
  return row.ingress === undefined ? service : `${row.ingress.ingress.id}[Ingress] ${row.ingress.route.label} -> ${service}`;
}

function backend(b: BackendReach): string {
  return `${b.id} ${b.protocol} ${b.targetPort}`;
}

/**
 * The allowed backends, and when only some are surely reachable, which are denied and which are UNKNOWN: allowed for
 * some placements of a virtual client only (`{ingress-controller}`, whose namespace and labels are not known).
 */
function reachOf(row: ServiceViewRow): string {
  const allowed = row.backends.filter((b) => b.allowed);
  const unknown = row.backends.filter((b) => !b.allowed && b.possiblyAllowed);
  const denied = row.backends.filter((b) => !b.possiblyAllowed);
  const ids = (backends: readonly BackendReach[]): string => backends.map((b) => b.id).join(', ');
  const rest = [...(denied.length === 0 ? [] : [`denied: ${ids(denied)}`]), ...(unknown.length === 0 ? [] : [`UNKNOWN, depending on where ${row.client.id} runs: ${ids(unknown)}`])];
  const partial = rest.length === 0 ? '' : ` (only ${allowed.length} of ${row.backends.length} backends; ${rest.join('; ')})`;
  return `${allowed.map(backend).join(', ')}${partial}`;
}

export function formatServiceView(rows: readonly ServiceViewRow[], format: ServiceViewFormat, style: Style): string {
  if (format === 'json') {
    const document = {
      schema: 'kubereach.dev/services/v1',
      rows: rows.map((row) => ({
        client: row.client.id,
        service: row.service.id,
        type: row.service.type,
        port: { name: row.port.name ?? null, protocol: row.port.protocol, port: row.port.port, targetPort: row.port.targetPort },
        ingress: row.ingress === undefined ? null : { name: row.ingress.ingress.id, route: row.ingress.route.label },
        reachable: row.backends.every((b) => b.allowed) ? 'all' : 'some',
        backends: row.backends.map((b) => ({ workload: b.workload?.id ?? null, address: b.workload === undefined ? b.id : null, protocol: b.protocol, targetPort: b.targetPort, allowed: b.allowed, possiblyAllowed: b.possiblyAllowed })),
      })),
    };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const lines = rows.map((row) => [row.client.id, targetOf(row), reachOf(row)] as const);
  if (format === 'connlist') return lines.length === 0 ? '' : `${lines.map(([a, b, c]) => `${a} => ${b} : ${c}`).join('\n')}\n`;
  const header = ['CLIENT', 'SERVICE PORT', 'REACHES (PORT AFTER DNAT)'] as const;
  const widths = [0, 1].map((k) => Math.max(header[k]!.length, ...lines.map((l) => l[k]!.length)));
  const pad = (cells: readonly string[]): string => `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]!}`.trimEnd();
  const partial = rows.filter((r) => r.backends.some((b) => !b.allowed)).length;
  return `${[style.bold(pad(header)), ...lines.map(pad)].join('\n')}\n\n${rows.length} client/Service port pairs with some reachable backend${partial === 0 ? '' : `, ${partial} of them partial`}\n`;
}

function describeSources(sources: ExposureSources): string {
  switch (sources.kind) {
    case 'client-addresses':
      return `from ${sources.ranges.map((r) => r.id).join(', ')} (externalTrafficPolicy Local keeps the client address)`;
    case 'node-address':
      return sources.onlyIfNodeIn === undefined
        ? 'from every address (externalTrafficPolicy Cluster: the pod sees a node address and admits it)'
        : `from every address, if the nodes' addresses fall in ${sources.onlyIfNodeIn.join(' or ')} (externalTrafficPolicy Cluster: the pod sees a node address)`;
    case 'ingress-controller':
      return `from every client of the ingress controller ${sources.controller.id}`;
  }
}

/** What the controller serving an Ingress is chosen by: its class, or the lack of one. */
function servedClass(ingress: IngressInfo): string {
  return ingress.className === undefined ? 'Ingresses without a class' : `class ${ingress.className}`;
}

/** Why the input does not say which ingress controller serves an Ingress (ServiceLayer.ingressControllersOf is not known). */
function unknownServerReason(ingress: IngressInfo): string {
  if (ingress.className === undefined) return 'the Ingress names no class, and no single IngressClass is marked default';
  if (ingress.classSource === 'annotation') return `the annotation kubernetes.io/ingress.class names a class, not an IngressClass object, and only ingress-nginx's default class nginx is known`;
  if (ingress.ingressClass === undefined) return `no IngressClass ${ingress.className} is in the input`;
  if (ingress.ingressClass.recognised === undefined) return `IngressClass ${ingress.className} names controller ${ingress.ingressClass.controller}, which kubereach does not recognise`;
  return `IngressClass ${ingress.className} names ${ingress.ingressClass.recognised}, which is not among the ingress controllers found`;
}

/** How the controller serving an Ingress is known: its IngressClass's controller, or the annotation. */
function knownServerReason(ingress: IngressInfo): string {
  const how = ingress.classSource === 'default' ? ` (the default IngressClass)` : '';
  return ingress.ingressClass === undefined
    ? `class ${ingress.className ?? ''} from the annotation kubernetes.io/ingress.class is ${ingress.servedBy ?? ''}'s default class`
    : `IngressClass ${ingress.ingressClass.name}${how} names controller ${ingress.ingressClass.controller}`;
}

function describeVia(exposure: ServiceExposure): string {
  const port = `port ${exposure.port.port}${exposure.port.nodePort === undefined ? '' : ` (nodePort ${exposure.port.nodePort})`}`;
  if (exposure.ingress !== undefined) {
    const tls = exposure.ingress.route.host !== undefined && exposure.ingress.ingress.tlsHosts.includes(exposure.ingress.route.host) ? ' (TLS)' : '';
    return `Ingress ${exposure.ingress.ingress.id} ${exposure.ingress.route.label}${tls} -> Service ${exposure.service.id} ${port}`;
  }
  const ranges = exposure.service.loadBalancerSourceRanges.length === 0 ? '' : `, loadBalancerSourceRanges ${exposure.service.loadBalancerSourceRanges.join(', ')}`;
  return `${exposure.service.type} Service ${exposure.service.id} ${port}${ranges}`;
}

type OutsideReach = ReturnType<ServiceLayer['outsideReach']>;

/** Hop 1 of an Ingress path: how outside clients reach one ingress controller, or why none does. */
function describeOutsideReach(reach: OutsideReach): string {
  switch (reach.kind) {
    case 'assumed':
      return 'not in the input: assumed reachable from outside';
    case 'services':
      return reach.ports.map((p) => `${p.service.type} Service ${p.service.id} port ${p.port.port} -> ${p.port.protocol} ${p.targetPort}`).join(', ');
    case 'unpublished':
      return 'no NodePort or LoadBalancer Service selects it in the input (hostPort or an outside load balancer may still reach it)';
    case 'unreachable':
      return reach.because === 'services-admit-none'
        ? 'its Services admit no outside client'
        : 'no NodePort or LoadBalancer Service selects it in the input, and its policies admit no address outside the cluster';
  }
}

function componentLine(name: string, endpoints: readonly PathEndpoint[], source: string): string {
  const how = source === 'virtual' ? 'not in the input: a virtual endpoint' : source === 'config' ? 'from .kubereach.yaml' : `recognised by ${endpoints.length === 1 ? 'its' : 'their'} labels`;
  return `${name}: ${endpoints.map((e) => e.id).join(', ')} (${how})`;
}

/** Workloads admitted just what any pod of another namespace is, listed by name up to this many; counted past it. */
const LISTED_ALIKE = 5;

export function formatExposure(layer: ServiceLayer, format: 'text' | 'json', style: Style): string {
  const exposures = layer.exposures();
  const admissions = layer.crossNamespaceAdmissions();
  if (format === 'json') {
    const document = {
      schema: 'kubereach.dev/exposure/v1',
      ingressControllers: layer.ingressControllers.map((e) => e.id),
      clusterDns: layer.clusterDns.map((e) => e.id),
      external: exposures.map((e) => ({
        workload: e.workload.id,
        protocol: e.protocol,
        targetPort: e.targetPort,
        service: e.service.id,
        serviceType: e.service.type,
        port: e.port.port,
        nodePort: e.port.nodePort ?? null,
        externalTrafficPolicy: e.service.externalTrafficPolicy ?? null,
        ingress: e.ingress === undefined ? null : { name: e.ingress.ingress.id, route: e.ingress.route.label },
        sources: e.sources.kind === 'client-addresses' ? { kind: e.sources.kind, ranges: e.sources.ranges.map((r) => r.id) } : e.sources.kind === 'ingress-controller' ? { kind: e.sources.kind, controller: e.sources.controller.id } : e.sources,
      })),
      crossNamespace: admissions.map((a) => ({
        workload: a.workload.id,
        isolated: a.isolated,
        anyPod: a.anyPod.toString(),
        anyPodPossible: a.anyPodPossible.toString(),
        from: a.from.map((f) => ({ source: f.source.id, connections: f.connections.toString() })),
      })),
    };
    return `${JSON.stringify(document, null, 2)}\n`;
  }
  const lines = [style.bold('Reachable from outside the cluster')];
  if (exposures.length === 0) lines.push('  nothing: no NodePort or LoadBalancer Service and no Ingress reaches a workload');
  for (const exposure of exposures) {
    // With several controllers and an Ingress whose class does not say which serves it, each may be the one.
    const ingress = exposure.ingress?.ingress;
    const condition =
      ingress !== undefined && layer.ingressControllers.length > 1 && !layer.ingressControllersOf(ingress).known
        ? `, if it is the one serving ${servedClass(ingress)} (${unknownServerReason(ingress)})`
        : '';
    lines.push(`  ${exposure.workload.id} ${exposure.protocol} ${exposure.targetPort}`, `    via ${describeVia(exposure)}`, `    ${describeSources(exposure.sources)}${condition}`);
  }
  lines.push(
    '',
    componentLine('Ingress controllers', layer.ingressControllers, layer.model.ingressController.source),
    ...layer.ingressControllers.flatMap((controller) => {
      const reach = layer.outsideReach(controller);
      if (reach.kind !== 'unreachable') return [];
      return [`  ${controller.id} admits no client from outside the cluster (${describeOutsideReach(reach)}): no Ingress route reaches a backend through it`];
    }),
    componentLine('Cluster DNS', layer.clusterDns, layer.model.clusterDns.source),
    '',
    style.bold('Admitted from other namespaces (the ingress side of each workload)'),
  );
  for (const admission of admissions) {
    if (!admission.isolated) {
      lines.push(`  ${admission.workload.id}: not isolated for ingress: All Connections from every namespace`);
      continue;
    }
    lines.push(`  ${admission.workload.id}: isolated for ingress`);
    // A workload admitted exactly what any pod of another namespace surely is says nothing the last line does not: past
    // a few, such workloads are counted rather than listed (a tier admitting every pod of a large tree would list every
    // workload of the cluster under every workload it governs).
    const same = admission.from.filter((from) => from.connections.equals(admission.anyPod));
    const alike = same.length > LISTED_ALIKE ? same : [];
    for (const from of admission.from) if (!alike.includes(from)) lines.push(`    ${from.source.id}: ${from.connections.toString()}`);
    // What such a pod may be admitted on beyond that depends on its namespace and labels, which it is not known by.
    const maybe = admission.anyPodPossible.subtract(admission.anyPod);
    const unknown = maybe.isEmpty ? '' : `; UNKNOWN, depending on its namespace and labels: ${maybe.toString()}`;
    const also = alike.length === 0 ? '' : ` (as are ${alike.length} workloads of other namespaces in the input, not listed)`;
    lines.push(`    any pod of another namespace: ${admission.anyPod.isEmpty ? 'nothing' : admission.anyPod.toString()}${also}${unknown}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `svc/<name>:<port>`, `svc/<namespace>/<name>[:<port>]`, `ingress/<name>`, `ingress/<namespace>/<name>`. */
export type ServiceQuery =
  | { readonly kind: 'service'; readonly namespace: string | undefined; readonly name: string; readonly port: string | undefined }
  | { readonly kind: 'ingress'; readonly namespace: string | undefined; readonly name: string };

export function parseServiceQuery(query: string): ServiceQuery | undefined {
  const match = /^(?<kind>svc|service|ing|ingress)\/(?:(?<namespace>[^/:]+)\/)?(?<name>[^/:]+)(?::(?<port>[^/:]+))?$/i.exec(query);
  if (match?.groups === undefined) return undefined;
  const { kind, namespace, name, port } = match.groups as { kind: string; namespace?: string; name: string; port?: string };
  if (kind.toLowerCase().startsWith('ing')) return port === undefined ? { kind: 'ingress', namespace, name } : undefined;
  return { kind: 'service', namespace, name, port };
}

interface PathContext {
  readonly layer: ServiceLayer;
  readonly locations: Locations;
  readonly style: Style;
}

function verdictWord(allowed: boolean, style: Style): string {
  return allowed ? style.green('ALLOWED') : style.red('DENIED');
}

/** A verdict that may depend on what the manifests do not say: a virtual party's placement, the nodes' addresses. */
type Reach = 'allowed' | 'unknown' | 'denied';

function reachWord(reach: Reach, style: Style): string {
  return reach === 'unknown' ? style.yellow('UNKNOWN') : verdictWord(reach === 'allowed', style);
}

/** Surely allowed (`sure`), allowed only for some placement of a virtual party (`possible` alone), or denied. */
function reachOfBounds(sure: boolean, possible: boolean): Reach {
  return sure ? 'allowed' : possible ? 'unknown' : 'denied';
}

/** What the input leaves unknown of a virtual party, on which a verdict that is only possible depends. */
function unknownOf(party: PathEndpoint): string {
  if (party.kind !== 'virtual') return `${party.id}'s placement`;
  if (party.namespace === undefined) return `the namespace and labels of ${party.id}, which the input does not give`;
  if (party.labels === undefined) return `the labels of ${party.id}, which the input does not give`;
  return `the service account and address of ${party.id}, which the input does not give`;
}

/** The virtual party of a hop, whose placement an UNKNOWN verdict depends on. */
function virtualOf(hop: HopVerdict): PathEndpoint {
  return hop.source.kind === 'virtual' ? hop.source : hop.destination;
}

/** One hop's detail: the engine's explanation between workloads, the service layer's sides otherwise. */
function hopDetail(hop: HopVerdict, protocol: PortProtocol, port: number, context: PathContext): string[] {
  const { layer, locations, style } = context;
  if (hop.source.kind !== 'virtual' && hop.destination.kind !== 'virtual') {
    const text = renderExplanation(layer.result.explain(hop.source, hop.destination), locations, style, { protocol, port });
    return text.trimEnd().split('\n').slice(2).filter((l) => l !== '').map((l) => `    ${l}`);
  }
  return [hop.egress, hop.ingress].flatMap((side) => sideLines(side, virtualOf(hop), protocol, port, context));
}

/**
 * A side with a virtual party. Where a tier besides the NetworkPolicies decides it, or a rule may or may not match the
 * party, its decisions are listed tier by tier (PathSide.decisions); otherwise the NetworkPolicies and rules that
 * isolate and allow, as the engine's explanation words them.
 */
function sideLines(side: PathSide, party: PathEndpoint, protocol: PortProtocol, port: number, context: PathContext): string[] {
  const { locations, style } = context;
  const who = `${side.direction} of ${side.subject.id}`;
  const reach = reachOfBounds(side.connections.allows(protocol, port), side.possible.allows(protocol, port));
  const word = reach === 'unknown' ? `may be allowed on this side, depending on ${unknownOf(party)}` : `${reach} on this side`;
  const verdict = `${protocol} ${port} ${word}`;
  const colored = reach === 'allowed' ? style.green(verdict) : reach === 'unknown' ? style.yellow(verdict) : style.red(verdict);
  const layered = side.networkPolicyConnections !== undefined;
  if (side.decisions.length === 0) {
    const why =
      side.exemptBecause === 'external'
        ? 'an address outside the cluster'
        : side.exemptBecause === 'unknown-policies'
          ? 'a component whose namespace is unknown: no policy of the input is known to select it'
          : side.exemptBecause === 'host-network'
            ? 'on the host network: no policy applies to it'
            : `not isolated for ${side.direction}`;
    return [`    ${who}: ${why} (${colored})`];
  }
  if (!layered && side.decisions.every((d) => d.certain)) {
    const lines = [`    ${who}: isolated by ${side.isolatedBy.map((p) => p.id).join(', ')} (${colored})`];
    for (const contribution of side.allowedBy) {
      lines.push(`      ${contribution.policy.id} ${side.direction} rule ${contribution.rule.index + 1} allows ${contribution.connections.toString()} at ${locations.format(contribution.rule.location)}`);
    }
    if (side.allowedBy.length === 0) lines.push(`      no ${side.direction} rule matches ${side.direction === 'ingress' ? 'this source' : 'this destination'}`);
    return lines;
  }
  const tiers = [...new Set(side.decisions.map((d) => d.tier))];
  const head = `    ${who}: ${tiers.length === 1 ? `decided by tier ${tiers[0]!}` : `decided by tiers ${tiers.join(', then ')}`} (${colored})`;
  return [head, ...side.decisions.map((decision, k) => `      ${decisionLine(decision, side, party, k === side.decisions.length - 1, locations)}`)];
}

const STEP_VERBS = { allow: 'allows', deny: 'denies', pass: 'passes on', log: 'logs' } as const;

/** One rule or tier default of a side with a virtual party, and whether it decides only for some placements. */
function decisionLine(decision: PartyDecision, side: PathSide, party: PathEndpoint, last: boolean, locations: Locations): string {
  const connections = decision.connections.toString();
  const { origin } = decision;
  if (origin !== undefined) {
    const maybe = decision.certain ? '' : `, if its peer matches ${party.id}`;
    return `${decision.tier}: ${origin.policy} ${side.direction} rule ${origin.rule + 1} ${STEP_VERBS[decision.action as keyof typeof STEP_VERBS]} ${connections}${maybe} at ${locations.format(origin.location)}`;
  }
  const maybe = decision.certain ? '' : `, where the rules above do not match ${party.id}`;
  const policies = (decision.policies ?? []).map((p) => p.id).join(', ');
  if (decision.action === 'end-of-tier-deny') return `${decision.tier}: no rule decides ${connections}${maybe}: denied by default (${policies} apply to it)`;
  return `${decision.tier}: no rule decides ${connections}${maybe}: ${last ? 'allowed, as no later tier applies' : 'passed on to the next tier'}`;
}

/** The DNS hop: the client must reach cluster DNS on UDP or TCP 53 to resolve the Service name. */
function dnsHop(client: PathEndpoint, service: ServiceInfo, context: PathContext, number: number): { lines: string[]; reach: Reach } {
  const { layer, style } = context;
  const hops = layer.clusterDns.map((d) => layer.hop(client, d));
  const protocolReach = (protocol: PortProtocol): Reach =>
    reachOfBounds(
      hops.some((h) => h.connections.allows(protocol, 53)),
      hops.some((h) => h.possible.allows(protocol, 53)),
    );
  const udp = protocolReach('UDP');
  const tcp = protocolReach('TCP');
  const reach: Reach = udp === 'allowed' || tcp === 'allowed' ? 'allowed' : udp === 'unknown' || tcp === 'unknown' ? 'unknown' : 'denied';
  const lines = [
    `hop ${number}: ${client.id} resolves ${service.name}.${service.namespace}.svc through cluster DNS (${layer.clusterDns.map((d) => d.id).join(', ')}): ${reachWord(reach, style)} (UDP 53 ${udp}, TCP 53 ${tcp})`,
  ];
  // What stops (or may stop) UDP, the protocol resolvers try first.
  if (reach !== 'allowed' && hops[0] !== undefined) lines.push(...hopDetail(hops[0], 'UDP', 53, context));
  return { lines, reach };
}

/**
 * The Service's hop: its DNAT (none for a headless Service) to each backend's targetPort, and the backends it lacks.
 * A Service without a selector has the endpoints its owner writes in EndpointSlice or Endpoints objects
 * (https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors), each with its own
 * port: where the input holds none, whether a client reaches them is unknown, not denied.
 */
function dnatHop(service: ServiceInfo, port: ServicePortInfo, { style }: PathContext, number: number): { lines: string[]; total: number; unknownEndpoints: boolean } {
  const resolved = port.backends.filter((b) => b.targetPort !== undefined);
  const written = service.selector === undefined;
  const dnat = service.headless
    ? `headless: no DNAT, clients connect to the ${written ? 'endpoints on their port' : 'pods on'}`
    : written
      ? 'DNAT to the endpoint port'
      : 'DNAT to targetPort';
  const unknownEndpoints = written && service.endpointSources.length === 0;
  const all = [...resolved.map((b) => `${b.workload.id} ${port.protocol} ${b.targetPort!}`), ...port.addressBackends.map((b) => `${b.text} ${port.protocol} ${b.targetPort}`)];
  const endpoints = unknownEndpoints ? style.yellow('endpoints outside the manifests') : all.length === 0 ? style.red('no endpoints') : all.join(', ');
  const target = written ? '' : ` ${String(port.targetPort)}`;
  const lines = [`hop ${number}: Service ${service.id} port ${port.port}/${port.protocol} -> ${dnat}${target}: ${endpoints}`];
  const unresolved = port.backends.filter((b) => b.targetPort === undefined);
  if (unresolved.length > 0) lines.push(`    not endpoints (no container port named ${String(port.targetPort)}): ${unresolved.map((b) => b.workload.id).join(', ')}`);
  if (unknownEndpoints) {
    lines.push('    the Service has no selector, and no EndpointSlice or Endpoints of the input gives its endpoints: they are managed elsewhere, so whether they admit the client is unknown');
  } else if (written) {
    const sources = service.endpointSources.map((s) => `${s.kind} ${service.namespace}/${s.name}`).join(', ');
    lines.push(
      all.length === 0
        ? `    the Service has no selector, and ${sources} give${service.endpointSources.length === 1 ? 's' : ''} no ready endpoint for port ${port.name ?? '(unnamed)'} ${port.protocol}`
        : `    the Service has no selector: its endpoints come from ${sources}`,
    );
  } else if (service.selected.length === 0) {
    lines.push('    the selector matches no workload');
  }
  return { lines, total: all.length, unknownEndpoints };
}

/** The hops from a client through one Service port to each backend; the first failing hop is named. */
function servicePortHops(
  client: PathEndpoint,
  service: ServiceInfo,
  port: ServicePortInfo,
  context: PathContext,
  first: number,
): { lines: string[]; reachable: number; possible: number; total: number } {
  const { layer, style } = context;
  const { lines, total, unknownEndpoints } = dnatHop(service, port, context, first);
  let reachable = 0;
  // Endpoints outside the manifests may admit the client.
  let possible = unknownEndpoints ? 1 : 0;
  for (const backend of layer.backendsReached(client, port)) {
    if (backend.allowed) reachable++;
    if (backend.possiblyAllowed) possible++;
    const head = `hop ${first + 1}: ${client.id} => ${backend.id} on ${port.protocol} ${backend.targetPort}`;
    const hop = layer.hop(client, backend.endpoint);
    const reach = reachOfBounds(backend.allowed, backend.possiblyAllowed);
    const why = reach === 'unknown' ? `: allowed only for some placements, depending on ${unknownOf(client)}` : '';
    const outside = backend.workload === undefined ? ` (an address outside the cluster's workloads: ${backend.endpoint.id})` : '';
    lines.push(`${head}${outside}: ${reachWord(reach, style)}${why}`);
    lines.push(...hopDetail(hop, port.protocol, backend.targetPort, context));
  }
  return { lines, reachable, possible, total };
}

/** The backends' verdict: some surely reached, some possibly, none. */
function backendsReach(hops: { readonly reachable: number; readonly possible: number }): Reach {
  return reachOfBounds(hops.reachable > 0, hops.possible > 0);
}

/** The verdict of a path of hops: denied if one is, unknown if one may be, allowed if every one is. */
function pathReach(...reaches: readonly Reach[]): Reach {
  return reaches.includes('denied') ? 'denied' : reaches.includes('unknown') ? 'unknown' : 'allowed';
}

export type PathResult = { readonly text: string; readonly allowed: boolean } | { readonly error: string };

function findByName<T extends { readonly namespace: string; readonly name: string; readonly id: string }>(
  items: readonly T[],
  namespace: string | undefined,
  name: string,
  preferred: readonly string[],
  what: string,
): T | { error: string } {
  const candidates = items.filter((i) => i.name === name && (namespace === undefined || i.namespace === namespace));
  for (const ns of namespace === undefined ? preferred : [namespace]) {
    const found = candidates.find((c) => c.namespace === ns);
    if (found !== undefined) return found;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) return { error: `no ${what} named ${namespace === undefined ? name : `${namespace}/${name}`} in the input` };
  return { error: `"${name}" is ambiguous: ${candidates.map((c) => c.id).join(', ')}` };
}

function noSuchPort(service: ServiceInfo, port: string | undefined): { error: string } {
  return { error: `Service ${service.id} has no port ${port ?? ''} (ports: ${service.ports.map((p) => `${p.name === undefined ? '' : `${p.name} `}${p.port}/${p.protocol}`).join(', ') || 'none'})` };
}

/** Who follows a Service path: a workload, or an address outside the cluster, judged as the external range holding it. */
export type ServiceClient =
  | { readonly kind: 'workload'; readonly endpoint: WorkloadEndpoint }
  | { readonly kind: 'outside'; readonly endpoint: ExternalEndpoint; readonly address: { readonly family: IpFamily; readonly value: bigint } };

/** `explain <client> svc/<name>[:<port>]`: DNS, the Service's DNAT (or an ExternalName's CNAME), then each backend. */
export function explainServicePath(client: ServiceClient, query: Extract<ServiceQuery, { kind: 'service' }>, defaultNamespace: string, context: PathContext): PathResult {
  const clientNamespace = client.kind === 'workload' ? client.endpoint.workload.namespace : defaultNamespace;
  const service = findByName(context.layer.services, query.namespace, query.name, [clientNamespace, defaultNamespace], 'Service');
  if ('error' in service) return service;
  // A client outside the cluster connects to a node's nodePort: the query may name it.
  const named = (p: ServicePortInfo): boolean =>
    String(p.port) === query.port || p.name === query.port || (client.kind === 'outside' && p.nodePort !== undefined && String(p.nodePort) === query.port);
  const ports = service.ports.filter((p) => query.port === undefined || named(p));
  if (service.type === 'ExternalName') return explainExternalName(client.endpoint, service, ports, query.port, context);
  if (ports.length === 0) return noSuchPort(service, query.port);
  if (client.kind === 'outside') return explainFromOutside(client, service, ports, query.port, context);
  const { style } = context;
  // The name resolves the same way whatever port follows: one DNS hop serves every port.
  const dns = dnsHop(client.endpoint, service, context, 1);
  const lines: string[] = [];
  let allowed = false;
  for (const port of ports) {
    const hops = servicePortHops(client.endpoint, service, port, context, 2);
    const reach = pathReach(dns.reach, backendsReach(hops));
    allowed ||= reach === 'allowed';
    const partial = reach === 'allowed' && hops.reachable < hops.total ? ` (only ${hops.reachable} of ${hops.total} backends)` : '';
    lines.push(`${style.bold(`${client.endpoint.id} => Service ${service.id} port ${port.port}/${port.protocol}`)}: ${reachWord(reach, style)}${partial}`, ...dns.lines, ...hops.lines, '');
  }
  return { text: `${lines.join('\n').trimEnd()}\n`, allowed };
}

type OutsideClient = Extract<ServiceClient, { kind: 'outside' }>;

/**
 * A Service path from an address outside the cluster. Only NodePort and LoadBalancer Services take such clients: a
 * ClusterIP "makes the Service only reachable from within the cluster"
 * (https://kubernetes.io/docs/concepts/services-networking/service/#type-clusterip). The backends then see the client's
 * address with externalTrafficPolicy Local and a node's after SNAT with Cluster (semantics point 8), read as `exposure`
 * reads it (ServiceLayer.outsideSources), so that the two commands agree.
 */
function explainFromOutside(client: OutsideClient, service: ServiceInfo, ports: readonly ServicePortInfo[], portQuery: string | undefined, context: PathContext): PathResult {
  const { style } = context;
  const address = formatIp(client.address.family, client.address.value);
  const lines: string[] = [];
  let allowed = false;
  for (const port of ports) {
    const byNodePort = port.nodePort !== undefined && portQuery === String(port.nodePort) && portQuery !== String(port.port);
    const path = outsidePortPath(client, address, service, port, byNodePort, context);
    allowed ||= path.reach === 'allowed';
    lines.push(`${style.bold(`${address} => Service ${service.id} port ${port.port}/${port.protocol}`)}: ${reachWord(path.reach, style)}${path.partial}`, ...path.lines, '');
  }
  return { text: `${lines.join('\n').trimEnd()}\n`, allowed };
}

/** One Service port from outside: how the client gets in (hop 1), the DNAT (hop 2), and what each backend admits (hop 3). */
function outsidePortPath(
  client: OutsideClient,
  address: string,
  service: ServiceInfo,
  port: ServicePortInfo,
  byNodePort: boolean,
  context: PathContext,
): { reach: Reach; partial: string; lines: string[] } {
  const { layer, style } = context;
  const from = `hop 1: ${address}, outside the cluster =>`;
  if (service.externalTrafficPolicy === undefined) {
    // ClusterIP, headless or not: nothing outside the cluster reaches it (exposure lists nothing for it).
    const why = service.headless
      ? `headless Service ${service.id} has no cluster IP: cluster DNS answers its name with the pods' own addresses, for clients inside the cluster, and no nodePort or load balancer publishes it`
      : `ClusterIP Service ${service.id} is reachable only from within the cluster: no nodePort or load balancer publishes it`;
    const lines = [`${from} Service ${service.id}: ${style.red('DENIED')}: ${why}`];
    const backend = port.backends.find((b) => b.targetPort !== undefined);
    if (backend !== undefined) {
      lines.push(`    the pods' own addresses are another path, where the network routes them from outside: explain ${address} ${backend.workload.id} --port ${backend.targetPort!}`);
    }
    return { reach: 'denied', partial: '', lines };
  }
  const nodePort = port.nodePort === undefined ? 'its nodePort (the API server allocates it)' : `nodePort ${port.nodePort}`;
  const viaLoadBalancer = service.type === 'LoadBalancer' && !byNodePort;
  const entry = viaLoadBalancer ? `the load balancer of LoadBalancer Service ${service.id}, port ${port.port}` : `${nodePort} of a node (${service.type} Service ${service.id})`;
  const sourceRanges = viaLoadBalancer ? service.loadBalancerSourceRanges : [];
  if (sourceRanges.length > 0 && !sourceRanges.some((text) => holds(text, client.address))) {
    const nodePath = port.nodePort === undefined ? '' : ` (explain ${address} svc/${service.id}:${port.nodePort})`;
    return {
      reach: 'denied',
      partial: '',
      lines: [
        `${from} ${entry}: ${style.red('DENIED')}: loadBalancerSourceRanges admit only ${sourceRanges.join(', ')}`,
        `    they restrict the load balancer's address, not ${nodePort} on the nodes: a client that reaches a node directly is not checked against them${nodePath}`,
      ],
    };
  }
  const within = sourceRanges.length === 0 ? '' : ` (within loadBalancerSourceRanges ${sourceRanges.join(', ')})`;
  const local = service.externalTrafficPolicy === 'Local';
  const seen = local
    ? `externalTrafficPolicy Local keeps the client address: the backends see ${address}`
    : `externalTrafficPolicy Cluster: the node forwards the connection from its own address (SNAT), so the backends see a node address, not ${address}`;
  const dnat = dnatHop(service, port, context, 2);
  const lines = [`${from} ${entry}: ${style.green('ALLOWED')}${within}: ${seen}`, ...dnat.lines];
  let reachable = 0;
  let unknown = 0;
  for (const backend of port.backends) {
    if (backend.targetPort === undefined) continue;
    const { workload, targetPort } = backend;
    const endpoint = layer.endpoint(workload);
    const judged = local ? clientAddressHop(client, address, endpoint, port.protocol, targetPort, context) : nodeAddressHop(client, service, endpoint, port.protocol, targetPort, context);
    if (judged.reach === 'allowed') reachable++;
    if (judged.reach === 'unknown') unknown++;
    lines.push(judged.head, ...judged.detail);
  }
  // The node forwards to an address outside the workloads: no pod's policy is on that path, and what else filters it
  // (the node's own firewall, host endpoint policies) is not in the manifests.
  for (const backend of port.addressBackends) {
    unknown++;
    lines.push(`hop 3: the node => ${backend.text} on ${port.protocol} ${backend.targetPort}: ${reachWord('unknown', style)}: an address outside the cluster's workloads, reached from the node, which no NetworkPolicy governs`);
  }
  const reach = reachOfBounds(reachable > 0, unknown > 0 || dnat.unknownEndpoints);
  return { reach, partial: reach === 'allowed' && reachable < dnat.total ? ` (only ${reachable} of ${dnat.total} backends)` : '', lines };
}

interface BackendHop {
  readonly reach: Reach;
  readonly head: string;
  readonly detail: readonly string[];
}

/** externalTrafficPolicy Local: the backend's policies see the client's own address. */
function clientAddressHop(client: OutsideClient, address: string, backend: WorkloadEndpoint, protocol: PortProtocol, port: number, context: PathContext): BackendHop {
  const { layer, style } = context;
  const allowed = layer.reach(client.endpoint, backend).allows(protocol, port);
  return {
    reach: allowed ? 'allowed' : 'denied',
    head: `hop 3: ${address} => ${backend.id} on ${protocol} ${port}: ${verdictWord(allowed, style)}`,
    detail: hopDetail(layer.hop(client.endpoint, backend), protocol, port, context),
  };
}

/**
 * externalTrafficPolicy Cluster: the backend's policies see a node's address, which the manifests do not give, so
 * an ipBlock cannot tell this client from any other: the backend admits every client, none, or (when only some
 * ipBlocks admit the port) every client if the nodes' addresses fall in them, as `exposure` words it.
 */
function nodeAddressHop(client: OutsideClient, service: ServiceInfo, backend: WorkloadEndpoint, protocol: PortProtocol, port: number, context: PathContext): BackendHop {
  const { layer, style } = context;
  const sources = layer.outsideSources(service, backend.workload, protocol, port);
  const onlyIfNodeIn = sources?.kind === 'node-address' ? sources.onlyIfNodeIn : undefined;
  const reach: Reach = sources === undefined ? 'denied' : onlyIfNodeIn === undefined ? 'allowed' : 'unknown';
  const head = `hop 3: a node address => ${backend.id} on ${protocol} ${port}: ${reachWord(reach, style)}`;
  let why: string;
  let shown: ExternalEndpoint = client.endpoint;
  if (reach === 'denied') {
    why = `no address outside the cluster is admitted on ${protocol} ${port}, a node's neither; toward ${shown.id}:`;
  } else if (onlyIfNodeIn === undefined) {
    why = `every address is admitted on ${protocol} ${port}, a node's too; toward ${shown.id}:`;
  } else {
    // The detail shows a range the ipBlocks admit: where a node address would have to fall.
    shown = layer.result.externals.find((e) => layer.reach(e, backend).allows(protocol, port)) ?? shown;
    why = `toward ${shown.id}, a range a node address would have to fall in:`;
  }
  const condition = onlyIfNodeIn === undefined ? '' : `: allowed only if the nodes' addresses fall in ${onlyIfNodeIn.join(' or ')}`;
  return { reach, head: `${head}${condition}`, detail: [`    ${why}`, ...hopDetail(layer.hop(shown, backend), protocol, port, context)] };
}

/** Whether a loadBalancerSourceRanges entry holds an address (an entry the API server would reject holds none). */
function holds(text: string, address: OutsideClient['address']): boolean {
  const cidr = parseCidr(text.trim());
  return cidr !== undefined && cidr.family === address.family && cidr.start <= address.value && address.value <= cidr.end;
}

/**
 * An ExternalName Service: cluster DNS answers with a CNAME and nothing proxies or DNATs
 * (https://kubernetes.io/docs/concepts/services-networking/service/#externalname), so the client connects to an
 * address the manifests do not give, on the port it chose: a number the Service need not declare. Only an egress
 * allowing every address outside the cluster on that port surely allows the path.
 */
function explainExternalName(client: PathEndpoint, service: ServiceInfo, declared: readonly ServicePortInfo[], portQuery: string | undefined, context: PathContext): PathResult {
  if (client.kind !== 'workload') return { error: `Service ${service.id} is ExternalName, a name of cluster DNS: explain it from a workload` };
  const number = portQuery === undefined || !/^\d+$/.test(portQuery) ? undefined : Number(portQuery);
  const ports: readonly { readonly protocol: PortProtocol; readonly port: number }[] =
    declared.length > 0 ? declared : number !== undefined && number >= 1 && number <= 65535 ? [{ protocol: 'TCP', port: number }] : [];
  if (ports.length === 0) {
    return portQuery === undefined
      ? { error: `Service ${service.id} is ExternalName and declares no port: give the port the client connects to (svc/${service.id}:<port>)` }
      : noSuchPort(service, portQuery);
  }
  const { layer, style } = context;
  const name = service.externalName ?? 'its externalName';
  const dns = dnsHop(client, service, context, 1);
  const lines: string[] = [];
  let allowed = false;
  for (const { protocol, port } of ports) {
    const target = layer.externalTargetReach(client, protocol, port);
    const targetReach: Reach = target.denied.length === 0 ? 'allowed' : target.allowed.length === 0 ? 'denied' : 'unknown';
    const verdict = reachWord(targetReach, style);
    const ranges = target.allowed.map(formatIpRange);
    const reached =
      target.denied.length === 0
        ? 'allowed to every address outside the cluster'
        : target.allowed.length === 0
          ? 'allowed to no address outside the cluster'
          : `allowed only if ${name} resolves into ${ranges.slice(0, 5).join(' or ')}${ranges.length > 5 ? ` (or ${ranges.length - 5} more ranges)` : ''}`;
    const reach = pathReach(dns.reach, targetReach);
    allowed ||= reach === 'allowed';
    // The first range the client may not reach shows what stops it; with none, any range shows what allows it.
    const shown = target.denied[0] ?? layer.result.externals[0]!;
    lines.push(
      `${style.bold(`${client.id} => Service ${service.id} port ${port}/${protocol}`)}: ${reachWord(reach, style)}`,
      ...dns.lines,
      `hop 2: Service ${service.id} is ExternalName: cluster DNS answers with a CNAME to ${name}; no proxying and no DNAT: the client connects to an address ${name} resolves to, outside the manifests, on ${protocol} ${port}`,
      ...(/\.svc(\.cluster\.local)?\.?$/.test(name) ? [`    ${name} looks like a Service of the cluster: kubereach does not follow it, and judges it as an address outside the cluster`] : []),
      `hop 3: ${client.id} => ${name} on ${protocol} ${port}: ${verdict}: ${reached}`,
      `    toward ${shown.id}:`,
      ...hopDetail(layer.hop(client, shown), protocol, port, context),
      '',
    );
  }
  return { text: `${lines.join('\n').trimEnd()}\n`, allowed };
}

/** `explain internet ingress/<name>`: to the controller, then each route's Service and backends. */
export function explainIngressPath(query: Extract<ServiceQuery, { kind: 'ingress' }>, defaultNamespace: string, context: PathContext): PathResult {
  const { layer, style } = context;
  const ingress = findByName(layer.ingresses, query.namespace, query.name, [defaultNamespace], 'Ingress');
  if ('error' in ingress) return ingress;
  const lines: string[] = [];
  let allowed = false;
  const { controllers, known } = layer.ingressControllersOf(ingress);
  // Hop 1: outside clients to the controller, through the controller's own NodePort/LoadBalancer Service.
  const controllerExposure = controllers.map((controller) => {
    const reach = layer.outsideReach(controller);
    return { controller, text: describeOutsideReach(reach), ok: reach.kind !== 'unreachable' };
  });
  const head = `${style.bold(`internet => Ingress ${ingress.id}`)}${ingress.className === undefined ? '' : ` (class ${ingress.className})`}`;
  lines.push(head);
  const unknownServer = !known && controllers.length > 1;
  if (unknownServer) {
    lines.push(`  served by one of ${controllers.length} ingress controllers: kubereach cannot tell which serves ${servedClass(ingress)} (${unknownServerReason(ingress)}); each is followed`);
  } else if (known && layer.ingressControllers.length > 1) {
    lines.push(`  served by ${controllers.map((c) => c.id).join(', ')}: ${knownServerReason(ingress)}`);
  }
  for (const exposure of controllerExposure) lines.push(`hop 1: internet => ingress controller ${exposure.controller.id}: ${verdictWord(exposure.ok, style)}: ${exposure.text}`);
  for (const route of ingress.routes) {
    lines.push('', style.bold(`route ${route.label}`));
    if (route.serviceName === undefined) {
      lines.push('  a resource backend, not a Service: kubereach does not follow it');
      continue;
    }
    if (route.service === undefined || route.servicePort === undefined) {
      lines.push(`  ${style.red('DENIED')}: ${route.service === undefined ? `Service ${ingress.namespace}/${route.serviceName} is not in the input` : `Service ${route.service.id} has no TCP port ${route.portRef?.kind === 'name' ? route.portRef.name : String(route.portRef?.number)}`} (at ${context.locations.format(route.location)})`);
      continue;
    }
    const through: PathEndpoint[] = [];
    const routeLines: string[] = [];
    for (const exposure of controllerExposure) {
      const hops = servicePortHops(exposure.controller, route.service, route.servicePort, context, 2);
      const reach = pathReach(exposure.ok ? 'allowed' : 'denied', backendsReach(hops));
      if (reach === 'allowed') through.push(exposure.controller);
      const partial = reach === 'allowed' && hops.reachable < hops.total ? ` (only ${hops.reachable} of ${hops.total} backends)` : '';
      routeLines.push(`  via ${exposure.controller.id}: ${reachWord(reach, style)}${partial}`, ...hops.lines.map((l) => `  ${l}`));
    }
    // Surely allowed only through every controller that may be the one serving the Ingress.
    allowed ||= through.length > 0 && through.length === controllers.length;
    if (unknownServer && through.length > 0 && through.length < controllers.length) {
      lines.push(`  ${style.yellow('UNKNOWN')}: allowed through ${through.map((c) => c.id).join(', ')} only, and which controller serves the Ingress is not known`);
    }
    lines.push(...routeLines);
  }
  return { text: `${lines.join('\n')}\n`, allowed };
}

export interface ServicePathRun {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 allowed, 1 denied, 2 a query that names nothing. */
  readonly exitCode: number;
}

/**
 * `explain <client> svc/<name>[:<port>]` and `explain internet ingress/<name>`; undefined when the
 * destination is not a Service or Ingress query (then the pod-level explain answers).
 */
export function explainThroughService(
  analysis: Analysis,
  source: string,
  destination: string,
  components: ClusterComponentSettings,
  defaultNamespace: string,
  locations: Locations,
  style: Style,
): ServicePathRun | undefined {
  const query = parseServiceQuery(destination);
  if (query === undefined) return undefined;
  const context: PathContext = { layer: serviceLayer(analysis, components, defaultNamespace), locations, style };
  let outcome: PathResult;
  if (query.kind === 'ingress') {
    if (!/^(internet|external|outside)$/i.test(source)) {
      return { stdout: '', stderr: 'error: an Ingress path starts outside the cluster: use `explain internet ingress/<name>`\n', exitCode: 2 };
    }
    outcome = explainIngressPath(query, defaultNamespace, context);
  } else {
    const client = serviceClient(analysis.result, source, defaultNamespace);
    if ('error' in client) return { stdout: '', stderr: `error: ${client.error}\n`, exitCode: 2 };
    outcome = explainServicePath(client.client, query, defaultNamespace, context);
    if (!('error' in outcome) && client.note !== undefined) outcome = { ...outcome, text: `${client.note}\n${outcome.text}` };
  }
  if ('error' in outcome) return { stdout: '', stderr: `error: ${outcome.error}\n`, exitCode: 2 };
  return { stdout: outcome.text, stderr: '', exitCode: outcome.allowed ? 0 : 1 };
}

/**
 * The client a user named: a workload; the address of a pod of the input (a Pod read from a cluster carries
 * status.podIP), which stands for that pod, inside the cluster; or any other address, taken as a client outside.
 */
function serviceClient(result: ConnectivityResult, source: string, defaultNamespace: string): { client: ServiceClient; note: string | undefined } | { error: string } {
  const address = parseIp(source);
  const found = findEndpoint(result, source, defaultNamespace);
  if ('error' in found) return found;
  if (found.endpoint.kind === 'workload')
    return { client: { kind: 'workload', endpoint: found.endpoint }, note: found.note === undefined ? undefined : `${found.note}: the path starts from that pod, inside the cluster` };
  if (address === undefined) return { error: `cannot read endpoint "${source}"` };
  return { client: { kind: 'outside', endpoint: found.endpoint, address }, note: undefined };
}
