// Capability profile: Calico and Canal.
import { atLeast, UPSTREAM, confirmed, type Capabilities, type ProfileFamily, type Version } from '../profile.js';

const CONVERSION = confirmed('https://github.com/projectcalico/calico/blob/master/libcalico-go/lib/backend/k8s/conversion/conversion.go');

const calicoCapabilities = (version: Version | undefined): Capabilities => ({
  ...UPSTREAM,
  // endPort arrived in v3.19.0 (libcalico-go #1357); what older releases did with it is not documented.
  endPort: atLeast(version, [3, 19]) ? 'supported' : 'unknown',
  // Felix enforces a Kubernetes ipBlock as the nets and notNets of a Calico rule (libcalico-go conversion.go,
  // k8sPeerToCalicoFields), and nets "match packets with IP in any of the listed CIDRs": pods' addresses too.
  ipBlockMatchesInCluster: true,
  // ANP in v3.29 and BANP in v3.30 (v1alpha1); v3.32 switched to ClusterNetworkPolicy v1alpha2, and whether the
  // v1alpha1 kinds are still enforced there is not documented.
  adminNetworkPolicy: atLeast(version, [3, 32]) ? 'unknown' : atLeast(version, [3, 29]) ? 'supported' : 'unsupported',
  baselineAdminNetworkPolicy: atLeast(version, [3, 32]) ? 'unknown' : atLeast(version, [3, 30]) ? 'supported' : 'unsupported',
  clusterNetworkPolicy: atLeast(version, [3, 32]) ? 'supported' : 'unsupported',
  calicoPolicies: 'supported',
});
const calicoSources = {
  endPort: confirmed('https://github.com/projectcalico/libcalico-go/pull/1357'),
  ipBlockExcept: CONVERSION,
  ipBlockMatchesInCluster: CONVERSION,
  adminNetworkPolicy: confirmed('https://github.com/projectcalico/calico/pull/9085'),
  baselineAdminNetworkPolicy: confirmed('https://docs.tigera.io/calico/latest/reference/resources/tier'),
  clusterNetworkPolicy: confirmed('https://docs.tigera.io/calico/latest/reference/resources/tier'),
  calicoPolicies: confirmed('https://docs.tigera.io/calico/latest/reference/resources/networkpolicy'),
};

export const CALICO: ProfileFamily = {
  name: 'calico',
  displayName: 'Calico',
  capabilities: calicoCapabilities,
  sources: calicoSources,
  versionNotes: 'endPort from 3.19; AdminNetworkPolicy from 3.29, BaselineAdminNetworkPolicy from 3.30, ClusterNetworkPolicy from 3.32',
};

export const CANAL: ProfileFamily = {
  name: 'canal',
  displayName: 'Canal (Calico policy on Flannel)',
  capabilities: calicoCapabilities,
  sources: { ...calicoSources, enforcement: confirmed('https://docs.tigera.io/calico/latest/getting-started/kubernetes/flannel/install-for-flannel') },
  versionNotes: 'endPort from 3.19 (the Calico version)',
};
