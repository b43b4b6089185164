// Capability profile: upstream semantics.
import { ALL_ADMIN_POLICIES, UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const GENERIC: ProfileFamily = {
  name: 'generic',
  displayName: 'upstream Kubernetes semantics (every feature enforced)',
  capabilities: fixed({ ...UPSTREAM, ...ALL_ADMIN_POLICIES }),
  sources: {
    enforcement: confirmed('https://kubernetes.io/docs/concepts/services-networking/network-policies/'),
    adminNetworkPolicy: confirmed('https://network-policy-api.sigs.k8s.io/'),
    clusterNetworkPolicy: confirmed('https://network-policy-api.sigs.k8s.io/'),
  },
};
