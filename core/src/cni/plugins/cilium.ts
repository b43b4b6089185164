// Capability profile: Cilium and the platforms built on it (Azure CNI powered by Cilium, GKE Dataplane V2).
import { atLeast, UPSTREAM, confirmed, unverified, fixed, type Capabilities, type ProfileFamily, type Version } from '../profile.js';

const ciliumCapabilities = (version: Version | undefined): Capabilities => ({
  ...UPSTREAM,
  // An endPort range was silently reduced to its port (cilium #28684); 1.15 rejects a NetworkPolicy using endPort
  // instead ("Cilium will not process or enforce network policies with port ranges or Kubernetes network policies
  // that use EndPort", #28704, merged for 1.15), reading every rule of spec.ingress and spec.egress whatever
  // policyTypes says (ParseNetworkPolicy); 1.16 supports port ranges (#32807).
  endPort: atLeast(version, [1, 16]) ? 'supported' : atLeast(version, [1, 15]) ? 'policy-dropped' : 'port-only',
  rejectionScope: 'every-rule',
  // Needs `sctp.enabled` (beta).
  sctp: 'needs-configuration',
  // "By default, CIDR-based selectors do not match in-cluster entities (pods or nodes)".
  ipBlockMatchesInCluster: false,
  // ANP v1alpha1 is not implemented (cilium #23380); ClusterNetworkPolicy in 1.20 behind
  // enable-k8s-cluster-network-policy (default false): unknown.
  clusterNetworkPolicy: atLeast(version, [1, 20]) ? 'unknown' : 'unsupported',
});
const ciliumSources = {
  endPort: confirmed('https://github.com/cilium/cilium/pull/28704'),
  sctp: confirmed('https://docs.cilium.io/en/stable/configuration/sctp/'),
  ipBlockMatchesInCluster: confirmed('https://docs.cilium.io/en/stable/security/policy/language/'),
  namedPorts: confirmed('https://github.com/cilium/cilium/pull/11092'),
  adminNetworkPolicy: confirmed('https://github.com/cilium/cilium/issues/23380'),
  clusterNetworkPolicy: confirmed('https://network-policy-api.sigs.k8s.io/'),
};

export const CILIUM: ProfileFamily = {
  name: 'cilium',
  displayName: 'Cilium',
  capabilities: ciliumCapabilities,
  sources: ciliumSources,
  versionNotes: 'endPort from 1.16 (1.15: a policy using it is rejected; earlier: reduced to port)',
};

export const AZURE_CILIUM: ProfileFamily = {
  name: 'azure-cilium',
  displayName: 'Azure CNI powered by Cilium',
  // endPort follows the Cilium version AKS ships, which the reference could not confirm: unknown.
  capabilities: (version) => ({ ...ciliumCapabilities(version), endPort: version === undefined ? 'unknown' : ciliumCapabilities(version).endPort }),
  sources: {
    ipBlockMatchesInCluster: confirmed('https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium'),
    endPort: unverified('https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium'),
  },
  versionNotes: 'the version is the Cilium version',
};

export const GKE_DATAPLANE_V2: ProfileFamily = {
  name: 'gke-dataplane-v2',
  displayName: 'GKE Dataplane V2',
  // Built on Cilium, but GKE's limitations page was not retrievable: only enforcement is confirmed.
  capabilities: fixed({ ...UPSTREAM, endPort: 'unknown', sctp: 'unknown', ipBlockMatchesInCluster: 'unknown' }),
  sources: { enforcement: confirmed('https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2') },
};
