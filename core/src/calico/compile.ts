// The Calico policy IR: NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3), Tier, NetworkSet and
// GlobalNetworkSet compiled to the shapes the evaluator walks.
// Sources (projectcalico/calico): libcalico-go/lib/backend/syncersv1/updateprocessors/rules.go (how an EntityRule's
// selector, namespaceSelector, serviceAccounts and notSelector combine), globalnetworkpolicyprocessor.go and
// networkpolicyprocessor.go (which endpoints a policy applies to), felix/calc/policy_sorter.go (order and tie-breaks),
// api/pkg/apis/projectcalico/v3 (built-in tiers); docs.tigera.io reference/resources/{networkpolicy,tier}.
import type {
  CalicoEntityRule,
  CalicoGlobalNetworkPolicy,
  CalicoRule,
} from '../manifest/kubernetes-types.js';
import { calicoProtocol } from '../manifest/validation.js';
import type { ManifestObject } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';
import { endpointSelector, portTarget, writtenServiceAddresses, type WrittenAddress } from '../model/services.js';
import { parseCalicoSelector, type CalicoSelector } from '../semantics/calico-selector.js';
import { parseCidr, parseIp, type Cidr } from '../semantics/ip.js';
import type { Direction, Locate } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';


const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});
export type CalicoAction = 'allow' | 'deny' | 'pass' | 'log';

/** A port match of `ports`/`notPorts`: a range, or a container port name resolved on the destination endpoint. */
export type CalicoPortMatch =
  | { readonly kind: 'range'; readonly start: number; readonly end: number }
  | { readonly kind: 'named'; readonly name: string };

/**
 * Which endpoints an EntityRule's selector fields admit, as rules.go combines them: the namespace part (a
 * namespaceSelector, or the policy's own namespace for a namespaced policy) applies as soon as any selector field is
 * used; `selector` and the service account match are ANDed; `notSelector` excludes, without namespace scoping.
 */
export interface EntitySelection {
  /** `undefined`: no selector field is used, so every endpoint and address passes this part. */
  readonly positive:
    | {
        readonly namespace:
          | { readonly kind: 'own'; readonly namespace: string }
          | { readonly kind: 'selector'; readonly selector: CalicoSelector }
          | undefined;
        readonly selector: CalicoSelector | undefined;
        readonly serviceAccounts:
          | { readonly names: readonly string[] | undefined; readonly selector: CalicoSelector | undefined }
          | undefined;
      }
    | undefined;
  readonly notSelector: CalicoSelector | undefined;
}

/**
 * An EntityRule's `services`: the endpoints of a Kubernetes Service, which no other selector field may accompany. A
 * destination matches each endpoint's address on its own ports (felix's IP-and-port set); a source matches the
 * endpoints' addresses (rule_scanner.go). `namespace` is undefined where it names none and the policy has none (a
 * GlobalNetworkPolicy): no Service matches.
 */
export interface CalicoServiceMatch {
  readonly name: string;
  readonly namespace: string | undefined;
}

/**
 * A Service as Calico service matches read it: the pods it selects, and the port each of them serves; or, without a
 * selector, the addresses its EndpointSlices and mirrored Endpoints give, ready or not, each with their ports (felix's
 * serviceindex reads every address of the slices, whatever their conditions).
 */
export interface CalicoService {
  /** Undefined for a Service without a selector (hand-managed endpoints, or ExternalName). */
  readonly selector: Readonly<Record<string, string>> | undefined;
  readonly ports: readonly NonNullable<ReturnType<typeof portTarget>>[];
  /** For a Service without a selector, its written addresses; undefined for one with a selector, and for ExternalName. */
  readonly written: readonly WrittenAddress[] | undefined;
}

export interface CalicoEntity {
  readonly selection: EntitySelection;
  readonly services: CalicoServiceMatch | undefined;
  readonly nets: readonly Cidr[] | undefined;
  readonly notNets: readonly Cidr[] | undefined;
  readonly ports: readonly CalicoPortMatch[] | undefined;
  readonly notPorts: readonly CalicoPortMatch[] | undefined;
}

export interface CalicoRuleIR {
  readonly direction: Direction;
  readonly index: number;
  readonly action: CalicoAction;
  /** Canonical name (`TCP`, `ICMPv6`, ...) or IANA number; undefined: every protocol. */
  readonly protocol: string | number | undefined;
  readonly notProtocol: string | number | undefined;
  readonly ipVersion: 4 | 6 | undefined;
  readonly source: CalicoEntity;
  readonly destination: CalicoEntity;
  /** The rule can never match (it needs something kubereach cannot see): see the notes. */
  readonly matchesNothing: boolean;
  readonly location: SourceLocation;
}

export type CalicoPolicyKind = 'NetworkPolicy' | 'GlobalNetworkPolicy';

export interface CalicoPolicy {
  /** `NetworkPolicy/ns/name` or `GlobalNetworkPolicy/name`. */
  readonly id: string;
  readonly kind: CalicoPolicyKind;
  readonly name: string;
  /** Set for a (namespaced) NetworkPolicy. */
  readonly namespace: string | undefined;
  readonly tier: string;
  /** undefined sorts last ("no value indicates highest order"). */
  readonly order: number | undefined;
  /** Which endpoints the policy applies to. */
  readonly applies: {
    readonly selector: CalicoSelector;
    /** GlobalNetworkPolicy only. */
    readonly namespaceSelector: CalicoSelector | undefined;
    readonly serviceAccountSelector: CalicoSelector | undefined;
  };
  readonly ingress: readonly CalicoRuleIR[] | undefined;
  readonly egress: readonly CalicoRuleIR[] | undefined;
  /** A preDNAT or doNotTrack GlobalNetworkPolicy: Felix applies it on host endpoints only, never to pods. */
  readonly hostEndpointsOnly: boolean;
  readonly location: SourceLocation;
  readonly locate: Locate;
}

export interface CalicoTierIR {
  readonly name: string;
  readonly order: number | undefined;
  readonly defaultAction: 'deny' | 'pass';
  /** Where the Tier object is, or undefined for a tier Calico creates itself. */
  readonly location: SourceLocation | undefined;
}

/** A NetworkSet (namespaced) or GlobalNetworkSet: labelled external networks that rule selectors can match. */
export interface CalicoNetworkSet {
  readonly id: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly nets: readonly Cidr[];
}

export interface CalicoNote {
  readonly location: SourceLocation;
  readonly message: string;
}

export interface CalicoPolicies {
  /** Sorted by tier order, then policy order and name (Felix's evaluation order). */
  readonly tiers: readonly CalicoTierIR[];
  readonly policies: readonly CalicoPolicy[];
  readonly networkSets: readonly CalicoNetworkSet[];
  /** The labels of the ServiceAccount objects in the input, by `namespace/name`. */
  readonly serviceAccountLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The Services of the input, by `namespace/name`, for rules' service matches. */
  readonly services: ReadonlyMap<string, CalicoService>;
  readonly notes: readonly CalicoNote[];
}

/** The key of a service match in `CalicoPolicies.services` (undefined: it names no namespace). */
export function serviceKey(match: CalicoServiceMatch): string | undefined {
  return match.namespace === undefined ? undefined : `${match.namespace}/${match.name}`;
}

/**
 * The Services without a selector that some service match names, each once with its namespace (where a targetRef
 * without one points) and its written addresses.
 */
export function matchedWrittenServices(
  calico: CalicoPolicies,
): { readonly namespace: string; readonly written: readonly WrittenAddress[] }[] {
  const found = new Map<string, { readonly namespace: string; readonly written: readonly WrittenAddress[] }>();
  for (const policy of calico.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const match of [rule.source.services, rule.destination.services]) {
        const namespace = match?.namespace;
        if (match === undefined || namespace === undefined) continue;
        const key = serviceKey(match) ?? '';
        const written = calico.services.get(key)?.written;
        if (written !== undefined && written.length > 0 && !found.has(key)) found.set(key, { namespace, written });
      }
    }
  }
  return [...found.values()];
}

/** Tier orders fixed by projectcalico/api v3 (DefaultTierOrder, KubeAdminTierOrder, KubeBaselineTierOrder). */
export const DEFAULT_TIER_ORDER = 1_000_000;
export const KUBE_ADMIN_TIER_ORDER = 1_000;
export const KUBE_BASELINE_TIER_ORDER = 10_000_000;

/**
 * The tiers Calico creates itself, with their fixed order and default action (the v3 API rejects other values):
 * `default` (Deny), `kube-admin` and `kube-baseline` (Pass); the earlier names of the admin tiers read the same.
 */
export const BUILT_IN_TIERS: readonly CalicoTierIR[] = [
  { name: 'default', order: DEFAULT_TIER_ORDER, defaultAction: 'deny', location: undefined },
  { name: 'kube-admin', order: KUBE_ADMIN_TIER_ORDER, defaultAction: 'pass', location: undefined },
  { name: 'kube-baseline', order: KUBE_BASELINE_TIER_ORDER, defaultAction: 'pass', location: undefined },
  { name: 'adminnetworkpolicy', order: KUBE_ADMIN_TIER_ORDER, defaultAction: 'pass', location: undefined },
  {
    name: 'baselineadminnetworkpolicy',
    order: KUBE_BASELINE_TIER_ORDER,
    defaultAction: 'pass',
    location: undefined,
  },
];

export function isCalicoPolicyObject(object: ManifestObject): boolean {
  return object.kind === 'CalicoNetworkPolicy' || object.kind === 'CalicoGlobalNetworkPolicy';
}

/** Compiles the accepted Calico objects of the input. */
export function compileCalicoPolicies(
  objects: readonly ManifestObject[],
  defaultNamespace = 'default',
): CalicoPolicies {
  const notes: CalicoNote[] = [];
  const tiers = new Map(BUILT_IN_TIERS.map((tier) => [tier.name, tier]));
  const policies: CalicoPolicy[] = [];
  const networkSets: CalicoNetworkSet[] = [];
  const serviceAccountLabels = new Map<string, Readonly<Record<string, string>>>();
  const services = new Map<string, CalicoService>();
  const written = writtenServiceAddresses(objects, defaultNamespace);
  // The labels objects are the ServiceAccount objects' own (or one shared empty one), so that what evaluation derives
  // from them can be kept across the analyses of an edited workspace.
  for (const object of objects) {
    if (object.rejected) continue;
    switch (object.kind) {
      case 'ServiceAccount':
        serviceAccountLabels.set(
          `${object.namespace ?? defaultNamespace}/${object.name}`,
          (object as ManifestObject<'ServiceAccount'>).value.metadata.labels ?? NO_LABELS,
        );
        break;
      case 'Service': {
        const { spec } = (object as ManifestObject<'Service'>).value;
        const key = `${object.namespace ?? defaultNamespace}/${object.name}`;
        services.set(key, {
          selector: endpointSelector(spec),
          ports: (spec.ports ?? []).flatMap((port) => portTarget(port) ?? []),
          written: written.get(key),
        });
        break;
      }
      case 'CalicoTier': {
        if (BUILT_IN_TIERS.some((tier) => tier.name === object.name)) continue;
        const { spec } = (object as ManifestObject<'CalicoTier'>).value;
        const location = objectLocator(object)(['metadata', 'name']);
        tiers.set(object.name, {
          name: object.name,
          order: spec.order,
          defaultAction: spec.defaultAction === 'Pass' ? 'pass' : 'deny',
          location,
        });
        break;
      }
      case 'CalicoNetworkSet':
      case 'CalicoGlobalNetworkSet': {
        const value = (object as ManifestObject<'CalicoNetworkSet'>).value;
        const global = object.kind === 'CalicoGlobalNetworkSet';
        networkSets.push({
          id: global
            ? `GlobalNetworkSet/${object.name}`
            : `NetworkSet/${object.namespace ?? defaultNamespace}/${object.name}`,
          namespace: global ? undefined : (object.namespace ?? defaultNamespace),
          labels: value.metadata.labels ?? {},
          nets: (value.spec.nets ?? []).flatMap((net) => parseNet(net) ?? []),
        });
        break;
      }
      case 'CalicoNetworkPolicy':
      case 'CalicoGlobalNetworkPolicy':
        policies.push(compilePolicy(object, defaultNamespace, notes));
        break;
      default:
        break;
    }
  }
  const sortedTiers = [...tiers.values()].sort(byOrderThenName);
  const tierRank = new Map(sortedTiers.map((tier, k) => [tier.name, k]));
  policies.sort(
    (a, b) =>
      (tierRank.get(a.tier) ?? Infinity) - (tierRank.get(b.tier) ?? Infinity) ||
      compare(a.tier, b.tier) ||
      byOrderThenName(sortKey(a), sortKey(b)),
  );
  noteUnknownServices(policies, services, notes);
  return { tiers: sortedTiers, policies, networkSets, serviceAccountLabels, services, notes };
}

/** A service match whose Service the input does not hold, or whose endpoints it cannot know, matches no pod here. */
function noteUnknownServices(policies: readonly CalicoPolicy[], services: ReadonlyMap<string, CalicoService>, notes: CalicoNote[]): void {
  for (const policy of policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction] ?? []) {
        for (const side of ['source', 'destination'] as const) {
          const match = rule[side].services;
          if (match === undefined) continue;
          const key = serviceKey(match);
          const service = key === undefined ? undefined : services.get(key);
          const why =
            key === undefined
              ? 'names no namespace, and a GlobalNetworkPolicy has none'
              : service === undefined
                ? `names Service ${key}, which is not in the input`
                : service.selector !== undefined
                  ? undefined
                  : service.written === undefined
                    ? `names Service ${key}, of type ExternalName, which has no endpoints`
                    : service.written.length === 0
                      ? `names Service ${key}, which has no selector and whose EndpointSlices are not in the input`
                      : undefined;
          if (why === undefined) continue;
          notes.push({
            location: policy.locate(['spec', direction, rule.index, side, 'services']),
            message: `this service match ${why}: it is read as matching no endpoint`,
          });
        }
      }
    }
  }
}

/** Felix's PolKVLess: order (none = last), then `name/namespace/kind`. */
export function sortKey(policy: {
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly kind: string;
  readonly order: number | undefined;
}): {
  readonly name: string;
  readonly order: number | undefined;
} {
  return { name: `${policy.name}/${policy.namespace ?? ''}/${policy.kind}`, order: policy.order };
}

export function byOrderThenName(
  a: { readonly name: string; readonly order: number | undefined },
  b: { readonly name: string; readonly order: number | undefined },
): number {
  const orderA = a.order ?? Infinity;
  const orderB = b.order ?? Infinity;
  if (orderA !== orderB) return orderA < orderB ? -1 : 1;
  return compare(a.name, b.name);
}

function compilePolicy(object: ManifestObject, defaultNamespace: string, notes: CalicoNote[]): CalicoPolicy {
  const global = object.kind === 'CalicoGlobalNetworkPolicy';
  const spec: CalicoGlobalNetworkPolicy['spec'] = (object as ManifestObject<'CalicoGlobalNetworkPolicy'>)
    .value.spec;
  const locate = objectLocator(object);
  const namespace = global ? undefined : (object.namespace ?? defaultNamespace);
  const kind: CalicoPolicyKind = global ? 'GlobalNetworkPolicy' : 'NetworkPolicy';
  const types = policyTypes(object.apiVersion, spec);
  const rules = (direction: Direction, list: readonly CalicoRule[] | undefined) =>
    types.includes(direction === 'ingress' ? 'Ingress' : 'Egress')
      ? (list ?? []).map((rule, index) => compileRule(direction, index, rule, namespace, locate, notes))
      : undefined;
  const hostEndpointsOnly = spec.preDNAT === true || spec.doNotTrack === true;
  if (hostEndpointsOnly) {
    notes.push({
      location: locate(['spec', spec.preDNAT === true ? 'preDNAT' : 'doNotTrack']),
      message: `a ${spec.preDNAT === true ? 'pre-DNAT' : 'untracked (doNotTrack)'} policy applies to host endpoints only, which manifests do not describe: it governs no pod`,
    });
  }
  return {
    id: global ? `GlobalNetworkPolicy/${object.name}` : `NetworkPolicy/${namespace}/${object.name}`,
    kind,
    name: object.name,
    namespace,
    tier: spec.tier ?? 'default',
    order: spec.order,
    applies: {
      selector: selectorOf(spec.selector) ?? { kind: 'all' },
      namespaceSelector: global ? selectorOf(spec.namespaceSelector) : undefined,
      serviceAccountSelector: selectorOf(spec.serviceAccountSelector),
    },
    ingress: rules('ingress', spec.ingress),
    egress: rules('egress', spec.egress),
    hostEndpointsOnly,
    location: locate(['metadata', 'name']),
    locate,
  };
}

/** The group whose objects are the CRDs' storage, applied as they are when written directly (no API server). */
const CRD_GROUP = 'crd.projectcalico.org/';

/**
 * The directions a policy governs: `types` when it lists some. An empty list is an absent one (`len(types) == 0` in
 * both places below), and what fills it depends on who reads the object:
 * 1. projectcalico.org/v3 goes through Calico's defaulting (the API server, calicoctl, the defaulting controller of
 *    kube-controllers: defaultPolicyTypesField in projectcalico/api pkg/defaults and libcalico-go clientv3): Ingress,
 *    unless the policy has egress rules, then Egress, or both when it has ingress rules too.
 * 2. crd.projectcalico.org/v1 written directly reaches Felix as it is: nothing defaults its types, the update processors
 *    copy them (policyTypesAPIV2ToBackend), and Felix reads none as both directions (felix/calc/policy_sorter.go
 *    ExtractPolicyMetadata: "Back compatibility: no Types means Ingress and Egress").
 */
function policyTypes(apiVersion: string, spec: CalicoGlobalNetworkPolicy['spec']): readonly string[] {
  if (spec.types !== undefined && spec.types.length > 0) return spec.types;
  if (apiVersion.startsWith(CRD_GROUP)) return ['Ingress', 'Egress'];
  if ((spec.egress ?? []).length === 0) return ['Ingress'];
  return (spec.ingress ?? []).length === 0 ? ['Egress'] : ['Ingress', 'Egress'];
}

function compileRule(
  direction: Direction,
  index: number,
  rule: CalicoRule,
  namespace: string | undefined,
  locate: Locate,
  notes: CalicoNote[],
): CalicoRuleIR {
  const path = ['spec', direction, index] as const;
  const note = (field: readonly (string | number)[], message: string) =>
    notes.push({ location: locate([...path, ...field]), message });
  let matchesNothing = false;
  if (rule.source?.ports !== undefined && rule.source.ports.length > 0) {
    matchesNothing = true;
    note(
      ['source', 'ports'],
      'source ports are ephemeral on the client side and not modelled: this rule is read as matching no connection',
    );
  }
  if (rule.source?.notPorts !== undefined && rule.source.notPorts.length > 0) {
    note(
      ['source', 'notPorts'],
      'source ports are not modelled: source.notPorts is read as excluding no connection',
    );
  }
  if (rule.icmp !== undefined || rule.notICMP !== undefined) {
    note(
      [rule.icmp !== undefined ? 'icmp' : 'notICMP'],
      'ICMP types and codes are not modelled: the rule is read as matching all of its ICMP protocol',
    );
  }
  if (rule.http !== undefined)
    note(
      ['http'],
      'HTTP matches (application layer) are not modelled: the rule is read as matching whole connections',
    );
  const protocol = rule.protocol === undefined ? undefined : calicoProtocol(rule.protocol);
  if (
    (protocol === 'UDPLite' || protocol === 136) &&
    (rule.destination?.ports !== undefined || rule.destination?.notPorts !== undefined)
  ) {
    note(['destination'], 'UDPLite ports are not modelled: the rule is read as matching every UDPLite port');
  }
  return {
    direction,
    index,
    action:
      rule.action === 'Allow'
        ? 'allow'
        : rule.action === 'Deny'
          ? 'deny'
          : rule.action === 'Pass'
            ? 'pass'
            : 'log',
    protocol,
    notProtocol: rule.notProtocol === undefined ? undefined : calicoProtocol(rule.notProtocol),
    ipVersion: rule.ipVersion === 4 || rule.ipVersion === 6 ? rule.ipVersion : undefined,
    source: compileEntity(rule.source, namespace),
    destination: compileEntity(rule.destination, namespace),
    matchesNothing,
    location: locate(path),
  };
}

/** getEndpointSelector in rules.go, kept structured instead of rewritten into one prefixed expression. */
function compileEntity(entity: CalicoEntityRule | undefined, namespace: string | undefined): CalicoEntity {
  const selector = selectorOf(entity?.selector);
  const notSelector = selectorOf(entity?.notSelector);
  const namespaceSelector = selectorOf(entity?.namespaceSelector);
  const serviceAccounts =
    entity?.serviceAccounts === undefined
      ? undefined
      : {
          names: nonEmpty(entity.serviceAccounts.names),
          selector: selectorOf(entity.serviceAccounts.selector),
        };
  const usesServiceAccounts =
    serviceAccounts !== undefined &&
    (serviceAccounts.names !== undefined || serviceAccounts.selector !== undefined);
  const namespacePart =
    namespaceSelector !== undefined
      ? ({ kind: 'selector', selector: namespaceSelector } as const)
      : namespace !== undefined
        ? ({ kind: 'own', namespace } as const)
        : undefined;
  const scoped =
    namespacePart !== undefined &&
    (selector !== undefined ||
      usesServiceAccounts ||
      notSelector !== undefined ||
      namespaceSelector !== undefined);
  const positive =
    selector === undefined && !usesServiceAccounts && !scoped
      ? undefined
      : {
          namespace: scoped ? namespacePart : undefined,
          selector,
          serviceAccounts: usesServiceAccounts ? serviceAccounts : undefined,
        };
  const services = entity?.services;
  return {
    selection: { positive, notSelector },
    services:
      services === undefined ? undefined : { name: services.name ?? '', namespace: nonEmptyText(services.namespace) ?? namespace },
    nets: netsOf(entity?.nets),
    notNets: netsOf(entity?.notNets),
    ports: portsOf(entity?.ports),
    notPorts: portsOf(entity?.notPorts),
  };
}

/** An empty or absent selector field is "not used"; an unparseable one cannot occur (validation rejected the policy). */
function selectorOf(text: string | undefined): CalicoSelector | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseCalicoSelector(text);
  return parsed.ok ? parsed.selector : undefined;
}

function nonEmptyText(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

function nonEmpty<T>(list: readonly T[] | undefined): readonly T[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list;
}

function netsOf(nets: readonly string[] | undefined): Cidr[] | undefined {
  if (nets === undefined || nets.length === 0) return undefined;
  return nets.flatMap((net) => parseNet(net) ?? []);
}

/** ParseCIDROrIP then Network(): an address is its /32 (/128); host bits are masked. */
export function parseNet(text: string): Cidr | undefined {
  if (text.includes('/')) return parseCidr(text);
  const ip = parseIp(text);
  if (ip === undefined) return undefined;
  return {
    family: ip.family,
    start: ip.value,
    end: ip.value,
    text,
    prefixLength: ip.family === 4 ? 32 : 128,
    hasHostBits: false,
  };
}

function portsOf(ports: readonly (number | string)[] | undefined): CalicoPortMatch[] | undefined {
  if (ports === undefined || ports.length === 0) return undefined;
  return ports.map((port): CalicoPortMatch => {
    if (typeof port === 'number') return { kind: 'range', start: port, end: port };
    const range = /^(\d+)(?::(\d+))?$/.exec(port);
    if (range === null) return { kind: 'named', name: port };
    return { kind: 'range', start: Number(range[1]), end: Number(range[2] ?? range[1]) };
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
