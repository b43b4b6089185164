// What a network plugin makes of NetworkPolicy objects, as object rewrites written from the profile definitions
// (core/src/cni/profile.ts: each capability value's meaning), independently of core/src/cni/effective.ts: the plain
// reference then evaluates the rewritten cluster.
import type { Capabilities } from '@kubereach/core';
import type { KubeObject, LabelSelector, NetworkPolicyObject, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from './reference.js';

/** A peer that matches no pod and no address: pods of the policy's namespace with a label no generated pod has. */
const MATCHES_NOTHING: NetworkPolicyPeer = { podSelector: { matchLabels: { 'kubereach.test/never': 'x' } } };

function negative(selector: LabelSelector | undefined): boolean {
  return (selector?.matchExpressions ?? []).some((r) => r.operator === 'NotIn' || r.operator === 'DoesNotExist');
}

type Rule = { peers: readonly NetworkPolicyPeer[]; ports: readonly NetworkPolicyPort[] };

/**
 * The rules a plugin that rejects policies reads (`rejectionScope`): `every-rule`, all of them; `translated-rules`,
 * those of the directions policyTypes lists, except a direction that has a rule with no ports and no peers.
 */
function rulesOf(spec: NetworkPolicySpec, scope: Capabilities['rejectionScope']): Rule[] {
  const ingress = (spec.ingress ?? []).map((r) => ({ peers: r.from ?? [], ports: r.ports ?? [] }));
  const egress = (spec.egress ?? []).map((r) => ({ peers: r.to ?? [], ports: r.ports ?? [] }));
  if (scope === 'every-rule') return [...ingress, ...egress];
  const translated = (type: 'Ingress' | 'Egress', rules: Rule[]) =>
    declaredTypes(spec).includes(type) && !rules.some((r) => r.peers.length === 0 && r.ports.length === 0) ? rules : [];
  return [...translated('Ingress', ingress), ...translated('Egress', egress)];
}

/** Which optional features a policy uses, in its podSelector and the rules `scope` reads. */
function uses(spec: NetworkPolicySpec, scope: Capabilities['rejectionScope']): Record<'namedPorts' | 'negativeSelectors' | 'ipBlockExcept' | 'sctp' | 'endPort', boolean> {
  const rules = rulesOf(spec, scope);
  const ports = rules.flatMap((r) => r.ports);
  const peers = rules.flatMap((r) => r.peers);
  return {
    namedPorts: ports.some((p) => typeof p.port === 'string'),
    sctp: ports.some((p) => p.protocol === 'SCTP'),
    endPort: ports.some((p) => p.endPort !== undefined && typeof p.port === 'number' && p.endPort > p.port),
    ipBlockExcept: peers.some((p) => (p.ipBlock?.except ?? []).length > 0),
    negativeSelectors: negative(spec.podSelector) || peers.some((p) => negative(p.podSelector) || negative(p.namespaceSelector)),
  };
}

function declaredTypes(spec: NetworkPolicySpec): readonly ('Ingress' | 'Egress')[] {
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function rewritePolicy(policy: NetworkPolicyObject, capabilities: Capabilities): NetworkPolicyObject | undefined {
  const used = uses(policy.spec, capabilities.rejectionScope);
  // `policy-dropped`: the plugin rejects the whole policy, which then isolates nothing.
  if ((['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp', 'endPort'] as const).some((f) => capabilities[f] === 'policy-dropped' && used[f])) return undefined;
  let spec = policy.spec;
  if (capabilities.enforcement === 'ingress-only') {
    const types = declaredTypes(spec).filter((t) => t === 'Ingress');
    if (types.length === 0) return undefined;
    const { egress: _dropped, ...rest } = spec;
    spec = { ...rest, policyTypes: types };
  }
  const peer = (p: NetworkPolicyPeer): NetworkPolicyPeer[] => {
    const except = p.ipBlock?.except ?? [];
    if (capabilities.ipBlockExcept === 'ipblock-ignored' && except.length > 0) return [MATCHES_NOTHING];
    // A plugin matching pods' addresses with ipBlocks: the generated pods have none yet, and so are taken as IPv4 pods,
    // whose addresses only a block covering all of IPv4, with no except, surely holds. For them such a block is also a
    // peer of every pod, hostNetwork ones included (their address is their node's).
    const wholeFamily = p.ipBlock?.cidr === '0.0.0.0/0';
    if (capabilities.ipBlockMatchesInCluster === true && wholeFamily && except.length === 0) return [p, { everyPod: true }];
    return [p];
  };
  const port = (p: NetworkPolicyPort): NetworkPolicyPort => {
    if (capabilities.endPort !== 'port-only' || p.endPort === undefined) return p;
    const { endPort: _reduced, ...rest } = p;
    return rest;
  };
  return {
    ...policy,
    spec: {
      ...spec,
      ...(capabilities.inactiveRules === 'allowed' ? { inactiveRulesAllow: true } : {}),
      ...(spec.ingress === undefined ? {} : { ingress: spec.ingress.map((r) => ({ ...r, ...(r.from === undefined ? {} : { from: r.from.flatMap(peer) }), ...(r.ports === undefined ? {} : { ports: r.ports.map(port) }) })) }),
      ...(spec.egress === undefined ? {} : { egress: spec.egress.map((r) => ({ ...r, ...(r.to === undefined ? {} : { to: r.to.flatMap(peer) }), ...(r.ports === undefined ? {} : { ports: r.ports.map(port) }) })) }),
    },
  };
}

/** The cluster as the plugin enforces it: `none` drops every policy; `unknown` and `needs-configuration` change nothing. */
export function underProfile(cluster: readonly KubeObject[], capabilities: Capabilities): KubeObject[] {
  return cluster.flatMap((object): KubeObject[] => {
    if (object.kind !== 'NetworkPolicy') return [object];
    if (capabilities.enforcement === 'none') return [];
    const rewritten = rewritePolicy(object, capabilities);
    return rewritten === undefined ? [] : [rewritten];
  });
}
