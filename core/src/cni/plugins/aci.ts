// Capability profile: Cisco ACI CNI.
import { atLeast, UPSTREAM, confirmed, type ProfileFamily } from '../profile.js';

export const ACI: ProfileFamily = {
  name: 'aci',
  displayName: 'Cisco ACI CNI',
  // Before 6.1.2.1 the controller "ignored the endPort field ... only allowed traffic to the first port".
  capabilities: (version) => ({ ...UPSTREAM, endPort: atLeast(version, [6, 1, 2, 1]) ? 'supported' : 'port-only' }),
  sources: { endPort: confirmed('https://github.com/noironetworks/aci-containers/pull/1653') },
  versionNotes: 'endPort from 6.1.2.1 (earlier: first port only)',
};
