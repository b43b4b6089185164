// Capability profile: VMware NSX.
import { UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const NSX: ProfileFamily = {
  name: 'nsx',
  displayName: 'VMware NSX (nsx-operator)',
  // Named ports in egress rules with ipBlock or allow-all peers are rejected; what happens to the policy is not documented.
  capabilities: fixed({ ...UPSTREAM, namedPorts: 'unknown', sctp: 'unknown' }),
  sources: {
    endPort: confirmed('https://github.com/vmware-tanzu/nsx-operator/blob/main/pkg/nsx/services/securitypolicy/expand.go'),
    namedPorts: confirmed('https://github.com/vmware-tanzu/nsx-operator/blob/main/pkg/nsx/services/securitypolicy/expand.go'),
  },
};
