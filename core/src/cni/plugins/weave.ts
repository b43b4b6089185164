// Capability profile: Weave Net.
import { UPSTREAM, confirmed, unverified, fixed, type ProfileFamily } from '../profile.js';

export const WEAVE: ProfileFamily = {
  name: 'weave',
  displayName: 'Weave Net 2.8',
  capabilities: fixed({
    ...UPSTREAM,
    // "named ports in network policies is not supported yet. Rejecting network policy" (npc/analyser.go).
    namedPorts: 'policy-dropped',
    endPort: 'unknown',
    sctp: 'unknown',
  }),
  sources: {
    namedPorts: confirmed('https://github.com/weaveworks/weave/issues/3032'),
    endPort: unverified('https://github.com/weaveworks/weave/blob/master/site/kubernetes/kube-addon.md'),
  },
};
