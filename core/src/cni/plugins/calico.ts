// Capability profile: Calico and Canal.
import { atLeast, UPSTREAM, confirmed, unverified, type Capabilities, type ProfileFamily, type Version } from '../profile.js';

const calicoCapabilities = (version: Version | undefined): Capabilities => ({
  ...UPSTREAM,
  // endPort arrived in v3.19.0 (libcalico-go #1357); what older releases did with it is not documented.
  endPort: atLeast(version, [3, 19]) ? 'supported' : 'unknown',
  ipBlockMatchesInCluster: 'unknown',
});
const calicoSources = {
  endPort: confirmed('https://github.com/projectcalico/libcalico-go/pull/1357'),
  ipBlockExcept: confirmed('https://github.com/projectcalico/calico/blob/master/libcalico-go/lib/backend/k8s/conversion/conversion.go'),
  ipBlockMatchesInCluster: unverified('https://docs.tigera.io/calico/latest/reference/resources/networkpolicy'),
};

export const CALICO: ProfileFamily = {
  name: 'calico',
  displayName: 'Calico',
  capabilities: calicoCapabilities,
  sources: calicoSources,
  versionNotes: 'endPort from 3.19',
};

export const CANAL: ProfileFamily = {
  name: 'canal',
  displayName: 'Canal (Calico policy on Flannel)',
  capabilities: calicoCapabilities,
  sources: { ...calicoSources, enforcement: confirmed('https://docs.tigera.io/calico/latest/getting-started/kubernetes/flannel/install-for-flannel') },
  versionNotes: 'endPort from 3.19 (the Calico version)',
};
