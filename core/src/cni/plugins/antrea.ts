// Capability profile: Antrea.
import { atLeast, UPSTREAM, confirmed, type ProfileFamily } from '../profile.js';

export const ANTREA: ProfileFamily = {
  name: 'antrea',
  displayName: 'Antrea',
  // ANP/BANP from v1.13 and ClusterNetworkPolicy from v2.7, each behind an alpha feature gate: unknown.
  capabilities: (version) => ({
    ...UPSTREAM,
    endPort: atLeast(version, [1, 1]) ? 'supported' : 'unknown',
    sctp: 'unknown',
    adminNetworkPolicy: atLeast(version, [1, 13]) ? 'unknown' : 'unsupported',
    baselineAdminNetworkPolicy: atLeast(version, [1, 13]) ? 'unknown' : 'unsupported',
    clusterNetworkPolicy: atLeast(version, [2, 7]) ? 'unknown' : 'unsupported',
  }),
  sources: {
    endPort: confirmed('https://github.com/antrea-io/antrea/blob/main/docs/antrea-network-policy.md'),
    adminNetworkPolicy: confirmed('https://github.com/antrea-io/antrea/blob/main/docs/admin-network-policy.md'),
    baselineAdminNetworkPolicy: confirmed('https://github.com/antrea-io/antrea/blob/main/docs/admin-network-policy.md'),
    clusterNetworkPolicy: confirmed('https://github.com/antrea-io/antrea/blob/main/docs/cluster-network-policy.md'),
  },
  versionNotes: 'endPort from 1.1',
};
