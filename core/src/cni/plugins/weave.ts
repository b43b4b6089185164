// Capability profile: Weave Net.
import { UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

const ANALYSER = confirmed('https://github.com/weaveworks/weave/blob/master/npc/analyser.go');

export const WEAVE: ProfileFamily = {
  name: 'weave',
  displayName: 'Weave Net 2.8',
  capabilities: fixed({
    ...UPSTREAM,
    // "named ports in network policies is not supported yet. Rejecting network policy" (npc/analyser.go), checked in
    // every rule of spec.ingress and spec.egress whatever policyTypes lists.
    namedPorts: 'policy-dropped',
    rejectionScope: 'every-rule',
    // analyser.go builds each rule from `npp.Protocol` and `npp.Port` alone (withNormalisedProtoAndPort) and never
    // reads endPort: a range allows its first port only.
    endPort: 'port-only',
    sctp: 'unknown',
    // npc/ipblock.go renders an ipBlock as a plain `-s`/`-d <cidr>` iptables match (excepts through an ipset), and
    // pod-to-pod traffic keeps the pods' addresses: a block holding a pod's address matches it.
    ipBlockMatchesInCluster: true,
  }),
  sources: {
    namedPorts: confirmed('https://github.com/weaveworks/weave/issues/3032'),
    endPort: ANALYSER,
    rejectionScope: ANALYSER,
    ipBlockMatchesInCluster: confirmed('https://github.com/weaveworks/weave/blob/master/npc/ipblock.go'),
  },
};
