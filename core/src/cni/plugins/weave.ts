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
    // analysePolicy turns every rule of spec.ingress and spec.egress into an iptables ACCEPT for the pods the policy
    // selects, whatever policyTypes lists (policyTypes only decides which pods the policy isolates): a rule of a
    // direction policyTypes leaves out allows what it names wherever another policy isolates those pods.
    inactiveRules: 'allowed',
    sctp: 'unknown',
    // npc/ipblock.go renders an ipBlock as a plain `-s`/`-d <cidr>` iptables match (excepts through an ipset), and
    // pod-to-pod traffic keeps the pods' addresses: a block holding a pod's address matches it.
    ipBlockMatchesInCluster: true,
  }),
  sources: {
    namedPorts: confirmed('https://github.com/weaveworks/weave/issues/3032'),
    endPort: ANALYSER,
    rejectionScope: ANALYSER,
    inactiveRules: ANALYSER,
    ipBlockMatchesInCluster: confirmed('https://github.com/weaveworks/weave/blob/master/npc/ipblock.go'),
  },
};
