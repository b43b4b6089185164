// Capability profile: Antrea.
import { atLeast, UPSTREAM, confirmed, type ProfileFamily } from '../profile.js';

export const ANTREA: ProfileFamily = {
  name: 'antrea',
  displayName: 'Antrea',
  capabilities: (version) => ({ ...UPSTREAM, endPort: atLeast(version, [1, 1]) ? 'supported' : 'unknown', sctp: 'unknown' }),
  sources: { endPort: confirmed('https://github.com/antrea-io/antrea/blob/main/docs/antrea-network-policy.md') },
  versionNotes: 'endPort from 1.1',
};
