// From declared to effective policies: what a network plugin really enforces, with an effect at each field it changes.
import type { ClusterModel } from '../model/cluster.js';
import type { Selector } from '../semantics/label-selector.js';
import type { CompiledPolicy, PolicyDirection, PolicyRule, PortSpec } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import type { Capability, Profile, RejectionScope, Source } from './profile.js';

export type EffectKind =
  /** The plugin enforces no policy at all. */
  | 'not-enforced'
  /** The plugin rejects the whole policy because of one feature (it fails open). */
  | 'policy-dropped'
  /** The plugin does not enforce egress. */
  | 'egress-ignored'
  /** Rules of a direction policyTypes leaves out, which the plugin applies as allows (without isolating). */
  | 'inactive-rules-applied'
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

/**
 * Which rules a scan reads: `active-rules`, those of the directions the policy affects (what the matrix enforces), or
 * the rules a plugin reads for the features it rejects a whole policy over (see RejectionScope).
 */
type Scan = 'active-rules' | RejectionScope;

/** The first field using each feature a plugin may reject or not support, among the rules `scan` reads. */
function featureUses(policy: CompiledPolicy, scan: Scan): FeatureUses {
  let kept = featureUsesOf.get(policy);
  if (kept === undefined) featureUsesOf.set(policy, (kept = {}));
  const known = kept[scan];
  if (known !== undefined) return known;
  const rules = scannedRules(policy, scan);
  // Scans that read the same rules as the active one (most policies: no rule left out) share its result.
  const uses =
    scan !== 'active-rules' && sameRules(rules, scannedRules(policy, 'active-rules'))
      ? featureUses(policy, 'active-rules')
      : findFeatureUses(policy, rules);
  kept[scan] = uses;
  return uses;
}

type FeatureUses = Readonly<Partial<Record<Capability, SourceLocation>>>;

/** Per policy (immutable, kept across analyses of an edited workspace), per scan. */
const featureUsesOf = new WeakMap<CompiledPolicy, Partial<Record<Scan, FeatureUses>>>();

/** The rule lists a scan reads, in order: ingress, egress, then (every-rule) those of directions left out. */
function scannedRules(policy: CompiledPolicy, scan: Scan): readonly (readonly PolicyRule[] | undefined)[] {
  switch (scan) {
    case 'active-rules':
      return [policy.ingress?.rules, policy.egress?.rules];
    case 'every-rule':
      // Weave's npc analyser checks every rule of spec.ingress and spec.egress, whatever policyTypes says.
      return [policy.ingress?.rules, policy.egress?.rules, policy.inactiveRules];
    case 'translated-rules':
      return [translatedRules(policy.ingress), translatedRules(policy.egress)];
  }
}

/**
 * The rules of a direction Azure NPM translates (npm/pkg/controlplane/translation/translatePolicy.go): TranslatePolicy
 * reads only the directions in policyTypes, and ingressPolicy/egressPolicy give a direction with a rule that has no
 * ports and no peers (`{}`) one allow-all ACL before translating any of its rules, so none of them can fail.
 */
function translatedRules(direction: PolicyDirection | undefined): readonly PolicyRule[] | undefined {
  if (direction === undefined || direction.rules.some((rule) => rule.peers.kind === 'any' && rule.ports.kind === 'any')) return undefined;
  return direction.rules;
}

function sameRules(a: readonly (readonly PolicyRule[] | undefined)[], b: readonly (readonly PolicyRule[] | undefined)[]): boolean {
  const present = (lists: readonly (readonly PolicyRule[] | undefined)[]) => lists.filter((rules) => rules !== undefined && rules.length > 0);
  const [left, right] = [present(a), present(b)];
  return left.length === right.length && left.every((rules, k) => rules === right[k]);
}

/** One pass over the rules, in order, keeping the first use of each feature; the policy's podSelector comes first. */
function findFeatureUses(policy: CompiledPolicy, rules: readonly (readonly PolicyRule[] | undefined)[]): FeatureUses {
  const uses: Partial<Record<Capability, SourceLocation>> = {
    namedPorts: undefined,
    endPort: undefined,
    sctp: undefined,
    ipBlockExcept: undefined,
    negativeSelectors: hasNegative(policy.podSelector) ? policy.locate(['spec', 'podSelector']) : undefined,
  };
  for (const list of rules) findInRules(list, uses);
  return uses;
}

function findInRules(rules: readonly PolicyRule[] | undefined, uses: Partial<Record<Capability, SourceLocation>>): void {
  if (rules === undefined) return;
  for (const rule of rules) {
    if (rule.ports.kind === 'list') {
      for (const port of rule.ports.ports) {
        const { match, location } = port;
        if (match.kind === 'named') uses.namedPorts ??= location;
        if (match.kind === 'range' && match.end > match.start) uses.endPort ??= location;
        if (port.protocol === 'SCTP') uses.sctp ??= location;
      }
    }
    if (rule.peers.kind === 'list') {
      for (const peer of rule.peers.peers) {
        if (peer.kind === 'ipBlock') {
          if (peer.except.length > 0) uses.ipBlockExcept ??= peer.location;
        } else if (hasNegative(peer.pods) || (peer.namespaces.kind === 'selected' && hasNegative(peer.namespaces.selector))) {
          uses.negativeSelectors ??= peer.location;
        }
      }
    }
  }
}

/** The features a plugin may reject a whole policy over, in the order their effect is chosen. */
const DROPPING_FEATURES = ['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp', 'endPort'] as const;
/** The features whose handling a plugin may not say or may need configured, in the order their effects are listed. */
const NOTED_FEATURES = ['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp', 'endPort'] as const;

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
  // Whether the plugin rejects policies over some feature, and whether it changes rules it enforces; most do neither.
  const rejects = DROPPING_FEATURES.some((capability) => capabilities[capability] === 'policy-dropped');
  const transforms = capabilities.ipBlockExcept === 'ipblock-ignored' || capabilities.endPort === 'port-only';

  for (const policy of model.policies) {
    const effect = (kind: EffectKind, capability: Capability, location: SourceLocation, detail: string) =>
      effects.push({ kind, capability, policy, location, detail, source: source(capability) });

    if (capabilities.enforcement === 'none') {
      effect('not-enforced', 'enforcement', policy.location, `${plugin} enforces no NetworkPolicy`);
      continue;
    }
    const uses = featureUses(policy, 'active-rules');
    const scanned = rejects ? featureUses(policy, capabilities.rejectionScope) : uses;
    const dropping = DROPPING_FEATURES.find(
      (capability) => capabilities[capability] === 'policy-dropped' && scanned[capability] !== undefined,
    );
    if (dropping !== undefined) {
      effect('policy-dropped', dropping, scanned[dropping]!, `${plugin} rejects the whole policy because of ${FEATURE_NAMES[dropping]}, so it isolates nothing`);
      continue;
    }
    for (const capability of NOTED_FEATURES) {
      const location = uses[capability];
      if (location === undefined) continue;
      if (capabilities[capability] === 'unknown') {
        effect('unverified', capability, location, `no primary source says how ${plugin} handles ${FEATURE_NAMES[capability]}; the matrix assumes upstream semantics`);
      } else if (capabilities[capability] === 'needs-configuration') {
        effect('needs-configuration', capability, location, `${plugin} enforces ${FEATURE_NAMES[capability]} only when configured to (e.g. Cilium's sctp.enabled)`);
      }
    }

    if (capabilities.inactiveRules === 'allowed' && policy.inactiveRules !== undefined) {
      for (const direction of ['ingress', 'egress'] as const) {
        const first = policy.inactiveRules.find((rule) => rule.direction === direction);
        if (first === undefined || (direction === 'egress' && capabilities.enforcement === 'ingress-only')) continue;
        effect(
          'inactive-rules-applied',
          'inactiveRules',
          first.location,
          `${plugin} applies the ${direction} rules of this policy although its policyTypes leaves ${direction === 'ingress' ? 'Ingress' : 'Egress'} out: they allow what they name to the pods it selects wherever another policy isolates their ${direction}`,
        );
      }
    }
    let egress = policy.egress;
    if (capabilities.enforcement === 'ingress-only' && egress !== undefined) {
      effect('egress-ignored', 'enforcement', egress.location, `${plugin} does not enforce egress policy: the selected pods stay open for egress`);
      egress = undefined;
    }
    let ingress = policy.ingress;
    let inactiveRules = policy.inactiveRules;
    // Closures made only where the plugin changes rules (see `transforms`).
    if (transforms) {
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
      ingress = transformDirection(ingress);
      egress = transformDirection(egress);
      // Rules of a direction policyTypes leaves out, where the plugin applies them, are changed as the others.
      if (capabilities.inactiveRules === 'allowed' && inactiveRules !== undefined) {
        const transformed = inactiveRules.map((rule) => transformRule(rule));
        if (transformed.some((rule, k) => rule !== inactiveRules![k])) inactiveRules = transformed;
      }
    }
    effective.push(
      ingress === policy.ingress && egress === policy.egress && inactiveRules === policy.inactiveRules
        ? policy
        : { ...policy, ingress, egress, ...(inactiveRules === undefined ? {} : { inactiveRules }) },
    );
  }
  return { model: { ...model, policies: effective }, effects };
}
