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

function rulesOf(spec: NetworkPolicySpec): { peers: readonly NetworkPolicyPeer[]; ports: readonly NetworkPolicyPort[] }[] {
  return [...(spec.ingress ?? []).map((r) => ({ peers: r.from ?? [], ports: r.ports ?? [] })), ...(spec.egress ?? []).map((r) => ({ peers: r.to ?? [], ports: r.ports ?? [] }))];
}

/** Which optional features a policy uses. */
function uses(spec: NetworkPolicySpec): Record<'namedPorts' | 'negativeSelectors' | 'ipBlockExcept' | 'sctp', boolean> {
  const rules = rulesOf(spec);
  const ports = rules.flatMap((r) => r.ports);
  const peers = rules.flatMap((r) => r.peers);
  return {
    namedPorts: ports.some((p) => typeof p.port === 'string'),
    sctp: ports.some((p) => p.protocol === 'SCTP'),
    ipBlockExcept: peers.some((p) => (p.ipBlock?.except ?? []).length > 0),
    negativeSelectors: negative(spec.podSelector) || peers.some((p) => negative(p.podSelector) || negative(p.namespaceSelector)),
  };
}

function declaredTypes(spec: NetworkPolicySpec): readonly ('Ingress' | 'Egress')[] {
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress?.length ?? 0) > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function rewritePolicy(policy: NetworkPolicyObject, capabilities: Capabilities): NetworkPolicyObject | undefined {
  const used = uses(policy.spec);
  // `policy-dropped`: the plugin rejects the whole policy, which then isolates nothing.
  if ((['namedPorts', 'negativeSelectors', 'ipBlockExcept', 'sctp'] as const).some((f) => capabilities[f] === 'policy-dropped' && used[f])) return undefined;
  let spec = policy.spec;
  if (capabilities.enforcement === 'ingress-only') {
    const types = declaredTypes(spec).filter((t) => t === 'Ingress');
    if (types.length === 0) return undefined;
    const { egress: _dropped, ...rest } = spec;
    spec = { ...rest, policyTypes: types };
  }
  const peer = (p: NetworkPolicyPeer): NetworkPolicyPeer =>
    capabilities.ipBlockExcept === 'ipblock-ignored' && (p.ipBlock?.except ?? []).length > 0 ? MATCHES_NOTHING : p;
  const port = (p: NetworkPolicyPort): NetworkPolicyPort => {
    if (capabilities.endPort !== 'port-only' || p.endPort === undefined) return p;
    const { endPort: _reduced, ...rest } = p;
    return rest;
  };
  return {
    ...policy,
    spec: {
      ...spec,
      ...(spec.ingress === undefined ? {} : { ingress: spec.ingress.map((r) => ({ ...r, ...(r.from === undefined ? {} : { from: r.from.map(peer) }), ...(r.ports === undefined ? {} : { ports: r.ports.map(port) }) })) }),
      ...(spec.egress === undefined ? {} : { egress: spec.egress.map((r) => ({ ...r, ...(r.to === undefined ? {} : { to: r.to.map(peer) }), ...(r.ports === undefined ? {} : { ports: r.ports.map(port) }) })) }),
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
