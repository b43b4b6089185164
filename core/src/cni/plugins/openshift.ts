// Capability profile: OpenShift SDN and OVN-Kubernetes.
import { UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const OPENSHIFT_SDN: ProfileFamily = {
  name: 'openshift-sdn',
  displayName: 'OpenShift SDN',
  capabilities: fixed({
    ...UPSTREAM,
    // "Egress network policy as specified by the egress field is not supported."
    enforcement: 'ingress-only',
    // With an except clause "the entire IPBlock section of that policy is ignored."
    ipBlockExcept: 'ipblock-ignored',
    endPort: 'unknown',
    sctp: 'unknown',
  }),
  sources: {
    enforcement: confirmed('https://access.redhat.com/documentation/en-us/openshift_container_platform/4.9/html/networking/network-policy'),
    ipBlockExcept: confirmed('https://access.redhat.com/documentation/en-us/openshift_container_platform/4.9/html/networking/network-policy'),
  },
};

export const OVN_KUBERNETES: ProfileFamily = {
  name: 'ovn-kubernetes',
  displayName: 'OVN-Kubernetes',
  // ANP and BANP, evaluated ANP -> NetworkPolicy -> BANP; ClusterNetworkPolicy v1alpha2 is not documented.
  capabilities: fixed({
    ...UPSTREAM,
    ipBlockMatchesInCluster: true,
    sctp: 'unknown',
    adminNetworkPolicy: 'supported',
    baselineAdminNetworkPolicy: 'supported',
  }),
  sources: {
    ipBlockMatchesInCluster: confirmed('https://github.com/ovn-org/ovn-kubernetes/tree/master/docs/features/network-security-controls'),
    endPort: confirmed('https://github.com/ovn-org/ovn-kubernetes/tree/master/docs/features/network-security-controls'),
    adminNetworkPolicy: confirmed('https://github.com/ovn-org/ovn-kubernetes/tree/master/docs/features/network-security-controls'),
    baselineAdminNetworkPolicy: confirmed('https://github.com/ovn-org/ovn-kubernetes/tree/master/docs/features/network-security-controls'),
  },
};
