// From declared to effective policies: what a network plugin really enforces, with an effect at each field it changes.
import type { ClusterModel } from '../model/cluster.js';
import type { Selector } from '../semantics/label-selector.js';
import type { CompiledPolicy, Peer, PolicyDirection, PolicyRule, PortSpec } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import type { Capability, Profile, Source } from './profile.js';

export type EffectKind =
  /** The plugin enforces no policy at all. */
  | 'not-enforced'
  /** The plugin rejects the whole policy because of one feature (it fails open). */
  | 'policy-dropped'
  /** The plugin does not enforce egress. */
  | 'egress-ignored'
  /** An endPort range reduced to its first port. */
  | 'end-port-reduced'
  /** An ipBlock peer the plugin ignores (it then matches nothing). */
  | 'ipblock-ignored'
  /** Enforced only when the plugin is configured for it. */
  | 'needs-configuration'
  /** No primary source says what the plugin does: the matrix assumes upstream semantics. */
  | 'unverified';

export interface ProfileEffect {
  readonly kind: EffectKind;
  readonly capability: Capability;
  /** The declared policy concerned. */
  readonly policy: CompiledPolicy;
  /** The exact field that triggers the effect. */
  readonly location: SourceLocation;
  /** What the plugin does instead, in a sentence fragment. */
  readonly detail: string;
  readonly source: Source | undefined;
}

const hasNegative = (selector: Selector): boolean =>
  selector.kind === 'requirements' && selector.requirements.some((r) => r.operator === 'NotIn' || r.operator === 'DoesNotExist');

function rulesOf(policy: CompiledPolicy, withInactive: boolean): PolicyRule[] {
  return [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? []), ...(withInactive ? (policy.inactiveRules ?? []) : [])];
}

/**
 * The first field using each feature a plugin may reject or not support. With `withInactive`, rules of directions
 * policyTypes leaves out count too: a plugin that rejects a policy over a feature scans its whole spec.
 */
function featureUses(policy: CompiledPolicy, withInactive: boolean): FeatureUses {
  const kept = featureUsesOf.get(policy);
  const known = kept?.[withInactive ? 1 : 0];
  if (known !== undefined) return known;
  const uses = findFeatureUses(policy, withInactive);
  if (kept === undefined) featureUsesOf.set(policy, withInactive ? [undefined, uses] : [uses, undefined]);
  else kept[withInactive ? 1 : 0] = uses;
  return uses;
}

type FeatureUses = Readonly<Partial<Record<Capability, SourceLocation>>>;

/** Per policy (immutable, kept across analyses of an edited workspace): without and with inactive rules. */
const featureUsesOf = new WeakMap<CompiledPolicy, [FeatureUses | undefined, FeatureUses | undefined]>();

function findFeatureUses(policy: CompiledPolicy, withInactive: boolean): FeatureUses {
  const uses: Partial<Record<Capability, SourceLocation>> = {};
  const rules = rulesOf(policy, withInactive);
  const ports: PortSpec[] = rules.flatMap((rule) => (rule.ports.kind === 'list' ? rule.ports.ports : []));
  const peers: Peer[] = rules.flatMap((rule) => (rule.peers.kind === 'list' ? rule.peers.peers : []));
  uses.namedPorts = ports.find((p) => p.match.kind === 'named')?.location;
  uses.endPort = ports.find((p) => p.match.kind === 'range' && p.match.end > p.match.start)?.location;
  uses.sctp = ports.find((p) => p.protocol === 'SCTP')?.location;
  uses.ipBlockExcept = peers.find((p) => p.kind === 'ipBlock' && p.except.length > 0)?.location;
  if (hasNegative(policy.podSelector)) uses.negativeSelectors = policy.locate(['spec', 'podSelector']);
  else {
    uses.negativeSelectors = peers.find(
      (p) => p.kind === 'pods' && (hasNegative(p.pods) || (p.namespaces.kind === 'selected' && hasNegative(p.namespaces.selector))),
    )?.location;
  }
  return uses;
}

const FEATURE_NAMES: Readonly<Partial<Record<Capability, string>>> = {
  namedPorts: 'a named port',
  endPort: 'an endPort range',
  sctp: 'SCTP',
  ipBlockExcept: 'an ipBlock with except',
  negativeSelectors: 'a NotIn or DoesNotExist selector',
};

/** Applies a profile to the declared model: the effective model the engine evaluates, and every effect. */
export function applyProfile(model: ClusterModel, profile: Profile): { model: ClusterModel; effects: ProfileEffect[] } {
  const capabilities = profile.capabilities;
  const plugin = profile.family.displayName;
  const source = (capability: Capability): Source | undefined => profile.family.sources[capability];
  const effects: ProfileEffect[] = [];
  const effective: CompiledPolicy[] = [];

  for (const policy of model.policies) {
    const effect = (kind: EffectKind, capability: Capability, location: SourceLocation, detail: string) =>
      effects.push({ kind, capability, policy, location, detail, source: source(capability) });

    if (capabilities.enforcement === 'none') {
      effect('not-enforced', 'enforcement', policy.location, `${plugin} enforces no NetworkPolicy`);
      continue;
    }
    const uses = featureUses(policy, false);
    const scanned = featureUses(policy, true);
    const dropping = (['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp'] as const).find(
      (capability) => capabilities[capability] === 'policy-dropped' && scanned[capability] !== undefined,
    );
    if (dropping !== undefined) {
      effect('policy-dropped', dropping, scanned[dropping]!, `${plugin} rejects the whole policy because of ${FEATURE_NAMES[dropping]}, so it isolates nothing`);
      continue;
    }
    for (const capability of ['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp', 'endPort'] as const) {
      const location = uses[capability];
      if (location === undefined) continue;
      if (capabilities[capability] === 'unknown') {
        effect('unverified', capability, location, `no primary source says how ${plugin} handles ${FEATURE_NAMES[capability]}; the matrix assumes upstream semantics`);
      } else if (capabilities[capability] === 'needs-configuration') {
        effect('needs-configuration', capability, location, `${plugin} enforces ${FEATURE_NAMES[capability]} only when configured to (e.g. Cilium's sctp.enabled)`);
      }
    }

    let egress = policy.egress;
    if (capabilities.enforcement === 'ingress-only' && egress !== undefined) {
      effect('egress-ignored', 'enforcement', egress.location, `${plugin} does not enforce egress policy: the selected pods stay open for egress`);
      egress = undefined;
    }
    // A policy the plugin enforces as written stays the same object, so that what is kept with it across a language
    // server's analyses (selections, CIDRs, selector values) is found again.
    const transformDirection = (direction: PolicyDirection | undefined): PolicyDirection | undefined => {
      if (direction === undefined) return undefined;
      const rules = direction.rules.map((rule) => transformRule(rule));
      return rules.every((rule, k) => rule === direction.rules[k]) ? direction : { ...direction, rules };
    };
    const transformRule = (rule: PolicyRule): PolicyRule => {
      let { peers, ports } = rule;
      if (capabilities.ipBlockExcept === 'ipblock-ignored' && peers.kind === 'list') {
        const kept = peers.peers.filter((peer) => {
          if (peer.kind !== 'ipBlock' || peer.except.length === 0) return true;
          effect('ipblock-ignored', 'ipBlockExcept', peer.location, `${plugin} ignores an ipBlock with except: this peer matches nothing`);
          return false;
        });
        if (kept.length !== peers.peers.length) peers = { kind: 'list', peers: kept };
      }
      if (capabilities.endPort === 'port-only' && ports.kind === 'list') {
        const written = ports.ports;
        const reduced = written.map((spec): PortSpec => {
          if (spec.match.kind !== 'range' || spec.match.end === spec.match.start) return spec;
          effect('end-port-reduced', 'endPort', spec.location, `${plugin} ignores endPort: only ${spec.protocol} ${spec.match.start} is allowed, not ${spec.match.start}-${spec.match.end}`);
          return { ...spec, match: { kind: 'range', start: spec.match.start, end: spec.match.start } };
        });
        if (reduced.some((spec, k) => spec !== written[k])) ports = { kind: 'list', ports: reduced };
      }
      return peers === rule.peers && ports === rule.ports ? rule : { ...rule, peers, ports };
    };
    const ingress = transformDirection(policy.ingress);
    egress = transformDirection(egress);
    effective.push(ingress === policy.ingress && egress === policy.egress ? policy : { ...policy, ingress, egress });
  }
  return { model: { ...model, policies: effective }, effects };
}
