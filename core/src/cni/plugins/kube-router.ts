// Capability profile: kube-router.
import { atLeast, UPSTREAM, confirmed, type ProfileFamily } from '../profile.js';

export const KUBE_ROUTER: ProfileFamily = {
  name: 'kube-router',
  displayName: 'kube-router',
  // endPort from v1.3.0 (PR #1080); SCTP is an open request (#1019).
  capabilities: (version) => ({ ...UPSTREAM, endPort: atLeast(version, [1, 3]) ? 'supported' : 'unknown', sctp: 'unknown' }),
  sources: {
    endPort: confirmed('https://github.com/cloudnativelabs/kube-router/pull/1080'),
    sctp: confirmed('https://github.com/cloudnativelabs/kube-router/issues/1019'),
  },
  versionNotes: 'endPort from 1.3',
};
