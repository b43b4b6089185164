// policy-uses-service-port: a rule allows a Service's port where the backends' targetPort differs, so the path through the Service is denied.
import type { Analysis } from '../analyze.js';
import { createRule, lineBreakOf, lineEndAt, type Fix } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import type { ServiceLayer } from '../engine/services.js';
import type { Workload } from '../model/cluster.js';
import type { ServiceInfo, ServicePortInfo } from '../model/services.js';
import type { PortProtocol } from '../semantics/connection-set.js';
import { resolvePorts, type CompiledPolicy, type PolicyRule, type PortSpec } from '../semantics/policy-ir.js';
import { selectorKeys, selectsEveryNamespace } from '../semantics/label-selector.js';
import type { SourceLocation } from '../source/source.js';
import { classView, formatList, ruleLabel, type ClassView } from './rule-support.js';
import { componentOptions, portValueLocation, servicesOf } from './service-support.js';

interface Mismatch {
  readonly policy: CompiledPolicy;
  readonly rule: PolicyRule;
  readonly spec: PortSpec;
  readonly service: ServiceInfo;
  readonly port: ServicePortInfo;
  readonly backends: { readonly workload: Workload; readonly targetPort: number }[];
}

export default createRule({
  meta: {
    id: 'policy-uses-service-port',
    category: 'correctness',
    defaultSeverity: 'error',
    description: "A rule that allows a Service's port where the backends listen on a different targetPort",
    messages: {
      servicePort:
        '{{rule}} allows {{protocol}} {{servicePort}}, the port of Service {{service}}; policies see the traffic after DNAT, on targetPort {{targetPorts}} of {{backends}}, which the rule does not allow',
      servicePortMaybeShared:
        '{{rule}} allows {{protocol}} {{servicePort}}, the port of Service {{service}}; policies see the traffic after DNAT, on targetPort {{targetPorts}} of {{backends}}, which the rule does not allow (it also applies to {{others}}: no container port declared, so {{protocol}} {{servicePort}} may be theirs)',
    },
    fixable: true,
  },
  options: componentOptions,
  check({ analysis, options, inScope, report }) {
    const { model, result } = analysis;
    const mismatches = new Map<PortSpec, Mismatch>();
    const check = (policy: CompiledPolicy, rule: PolicyRule, service: ServiceInfo, port: ServicePortInfo, workload: Workload, targetPort: number): void => {
      if (rule.ports.kind !== 'list') return;
      // Semantics point 17: the policy must allow the targetPort; allowing the Service port too is harmless when the rule does.
      if (resolvePorts(rule.ports, namedPortTable(workload)).allows(port.protocol, targetPort)) return;
      for (const spec of rule.ports.ports) {
        if (spec.protocol !== port.protocol || spec.match.kind !== 'range' || port.port < spec.match.start || port.port > spec.match.end) continue;
        const mismatch = mismatches.get(spec) ?? { policy, rule, spec, service, port, backends: [] };
        if (!mismatch.backends.some((b) => b.workload === workload)) mismatch.backends.push({ workload, targetPort });
        mismatches.set(spec, mismatch);
      }
    };
    const view = classView(result);
    // Only rules that name the backend's pods: a rule to everyone on port 80 may well mean outside web servers.
    // Each finding is located at a port of the rule's policy.
    const egressRules = model.policies.flatMap((policy) =>
      (inScope(policy.location.file) ? (policy.egress?.rules ?? []) : []).flatMap((rule) =>
        rule.peers.kind === 'list' && !towardUnseenServers(rule) && view.groupsSelectedBy(policy).length > 0 ? [{ policy, rule, peers: rule.peers.peers }] : [],
      ),
    );
    const layer = servicesOf(analysis, options);
    // Whether a pods peer matches a workload depends on its namespace, hostNetwork and the labels pod selectors read:
    // workloads that agree on those share the list of rules naming them. A backend is a workload of the input, whose
    // namespace and labels are known, so peerMatches' sure match is the engine's exact one (nothing is left "maybe").
    // Other tiers do not change what a NetworkPolicy rule names: an admin or Calico rule allowing the targetPort
    // above it may keep the path open, but this rule's port still stands for nothing on it.
    const keys = [...new Set(egressRules.flatMap(({ peers }) => peers.flatMap((peer) => (peer.kind === 'pods' ? selectorKeys(peer.pods) : []))))];
    const naming = new Map<string, { policy: CompiledPolicy; rule: PolicyRule }[]>();
    const rulesNaming = (workload: Workload): { policy: CompiledPolicy; rule: PolicyRule }[] => {
      const key = JSON.stringify([workload.namespace, workload.hostNetwork, keys.map((k) => workload.labels[k] ?? null)]);
      let rules = naming.get(key);
      if (rules === undefined) {
        const endpoint = layer.endpoint(workload);
        rules = egressRules.filter(({ peers }) => peers.some((peer) => peer.kind === 'pods' && layer.peerMatches(peer, endpoint)));
        naming.set(key, rules);
      }
      return rules;
    };
    for (const service of layer.services) {
      for (const port of service.ports) {
        for (const backend of port.backends) {
          const { workload, targetPort } = backend;
          if (targetPort === undefined || targetPort === port.port) continue;
          // A workload that also listens on the Service's port number may be meant to be reached on it directly.
          if (workload.ports.some((p) => p.protocol === port.protocol && p.port === port.port)) continue;
          for (const policy of result.policiesSelecting(workload).ingress) {
            if (!inScope(policy.location.file)) continue;
            for (const rule of policy.ingress!.rules) check(policy, rule, service, port, workload, targetPort);
          }
          for (const { policy, rule } of rulesNaming(workload)) check(policy, rule, service, port, workload, targetPort);
        }
      }
    }
    const listening = listeningPorts(layer);
    for (const { policy, rule, spec, service, port, backends } of mismatches.values()) {
      const use = otherUses(policy, rule, spec, new Set(backends.map((b) => b.workload)), view, listening);
      // The port serves something else the rule applies to: it is not known to stand for the Service port.
      if (use.kind === 'serves') continue;
      const targetPorts = [...new Set(backends.map((b) => b.targetPort))];
      const location = portValueLocation(policy, rule, spec);
      const single = spec.match.kind === 'range' && spec.match.start === spec.match.end && targetPorts.length === 1;
      const maybe = use.kind === 'maybe' ? use.workloads : [];
      report({
        messageId: maybe.length === 0 ? 'servicePort' : 'servicePortMaybeShared',
        data: {
          rule: ruleLabel(policy, rule),
          protocol: port.protocol,
          servicePort: port.port,
          service: service.id,
          targetPorts: targetPorts.join(', '),
          backends: formatList(backends.map((b) => b.workload.id)),
          others: formatList(maybe.map((w) => w.id)),
        },
        location,
        related: [
          { location: port.targetPortLocation, message: `Service ${service.id} sends port ${port.port} to targetPort ${String(port.targetPort)}` },
          ...backends.map((b) => ({ location: b.workload.location, message: `${b.workload.id} receives it on ${port.protocol} ${b.targetPort}` })),
          ...maybe.map((w) => ({ location: w.location, message: `${w.id} declares no container port: it may listen on ${port.protocol} ${port.port}` })),
        ],
        fix: !single
          ? undefined
          : maybe.length === 0
            ? { description: `allow the targetPort ${targetPorts[0]!} instead of the Service port`, edits: [{ file: location.file, range: location.range, newText: String(targetPorts[0]!) }] }
            : addTargetPort(analysis, spec.location, location, targetPorts[0]!, port.port),
      });
    }
  },
});

/** What else a rule's port may serve besides the Service's mismatched backends. */
type OtherUse =
  /** Another workload the rule applies to listens on the port. */
  | { readonly kind: 'serves' }
  /** Only these destinations may: they declare no container port, so they may listen on any. */
  | { readonly kind: 'maybe'; readonly workloads: readonly Workload[] }
  | { readonly kind: 'none' };

/**
 * Whether an egress rule's peers stand for servers the input does not show: addresses outside the cluster (an ipBlock,
 * or no `to`) or every pod of every namespace. Its port may serve any of them, so it is not known to mean a Service's.
 */
function towardUnseenServers(rule: PolicyRule): boolean {
  return (
    rule.peers.kind === 'any' ||
    rule.peers.peers.some(
      (peer) => peer.kind === 'ipBlock' || (peer.pods.kind === 'everything' && peer.namespaces.kind === 'selected' && selectsEveryNamespace(peer.namespaces.selector)),
    )
  );
}

/**
 * Whether another workload a rule's port applies to (semantics point 6: the pods the policy selects for an ingress
 * rule, the rule's peers for an egress rule) is served on it: it declares the port or is a Service's backend on it.
 * Failing that, the workloads that declare no container port at all, which may listen on any.
 */
function otherUses(
  policy: CompiledPolicy,
  rule: PolicyRule,
  spec: PortSpec,
  backends: ReadonlySet<Workload>,
  view: ClassView,
  listening: ReadonlyMap<Workload, readonly ListeningPort[]>,
): OtherUse {
  if (spec.match.kind !== 'range') return { kind: 'none' };
  const { start, end } = spec.match;
  const on = (p: ListeningPort): boolean => p.protocol === spec.protocol && start <= p.port && p.port <= end;
  const groups = rule.direction === 'ingress' ? view.groupsSelectedBy(policy) : view.ruleMatches(rule).groups;
  const others = view.byId(groups.flatMap((g) => g.members).filter((w) => !backends.has(w)));
  if (others.some((w) => w.ports.some(on) || (listening.get(w) ?? []).some(on))) return { kind: 'serves' };
  const portless = others.filter((w) => w.ports.length === 0 && !listening.has(w));
  return portless.length === 0 ? { kind: 'none' } : { kind: 'maybe', workloads: portless };
}

interface ListeningPort {
  readonly protocol: PortProtocol;
  readonly port: number;
}

/** The ports each workload is known to listen on as some Service's backend (a numeric targetPort need not be declared). */
function listeningPorts(layer: ServiceLayer): Map<Workload, ListeningPort[]> {
  const listening = new Map<Workload, ListeningPort[]>();
  for (const service of layer.services) {
    for (const port of service.ports) {
      for (const { workload, targetPort } of port.backends) {
        if (targetPort === undefined) continue;
        const list = listening.get(workload);
        if (list === undefined) listening.set(workload, [{ protocol: port.protocol, port: targetPort }]);
        else list.push({ protocol: port.protocol, port: targetPort });
      }
    }
  }
  return listening;
}

/**
 * A new ports entry beside the one allowing the Service port: a copy of it (protocol and all) on the targetPort, so
 * that the workloads the old port may serve keep it. In a block list the copy goes on the next line with the same
 * `- `, in a flow list (or JSON) after a comma; no fix for other layouts.
 */
function addTargetPort(analysis: Analysis, entry: SourceLocation, value: SourceLocation, targetPort: number, servicePort: number): Fix | undefined {
  const text = analysis.load.sources.get(entry.file)?.text;
  if (text === undefined || value.file !== entry.file || value.range.start < entry.range.start || value.range.end > entry.range.end) return undefined;
  const written = text.slice(entry.range.start, entry.range.end).trimEnd();
  // The entry's comments speak of the old port: the copy goes without them.
  const copy = `${written.slice(0, value.range.start - entry.range.start)}${targetPort}${written.slice(value.range.end - entry.range.start)}`.replace(/[ \t]+#[^\r\n]*/g, '');
  const lineStart = text.lastIndexOf('\n', entry.range.start - 1) + 1;
  const prefix = text.slice(lineStart, entry.range.start);
  const before = text.slice(0, entry.range.start).trimEnd().at(-1);
  let edit: { at: number; newText: string };
  if (/^[ \t]*-[ \t]+$/.test(prefix)) {
    // After the entry's last line, its comment included.
    edit = { at: lineEndAt(text, entry.range.start + written.length), newText: `${lineBreakOf(text)}${prefix}${copy}` };
  } else if (before === '[' || before === ',') {
    edit = { at: entry.range.start + written.length, newText: `, ${copy}` };
  } else {
    return undefined;
  }
  return {
    description: `also allow the targetPort ${targetPort}, keeping ${servicePort} for the workloads that may listen on it`,
    edits: [{ file: entry.file, range: { start: edit.at, end: edit.at }, newText: edit.newText }],
  };
}
