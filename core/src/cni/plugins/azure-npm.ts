// Capability profile: Azure Network Policy Manager, Linux and Windows.
import { atLeast, UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const AZURE_NPM: ProfileFamily = {
  name: 'azure-npm',
  displayName: 'Azure Network Policy Manager (Linux)',
  // NPM v1 ignored endPort (AKS #2857); the v2 translator handles it.
  capabilities: (version) => ({ ...UPSTREAM, endPort: atLeast(version, [2]) ? 'supported' : 'port-only', sctp: 'unknown' }),
  sources: { endPort: confirmed('https://github.com/Azure/AKS/issues/2857') },
  versionNotes: 'the NPM version: 1 ignores endPort, 2 (default) supports it',
};

export const AZURE_NPM_WINDOWS: ProfileFamily = {
  name: 'azure-npm-windows',
  displayName: 'Azure Network Policy Manager (Windows nodes)',
  // "not translated because it has unsupported translated features of Windows": the whole policy is skipped.
  capabilities: fixed({
    ...UPSTREAM,
    namedPorts: 'policy-dropped',
    negativeSelectors: 'policy-dropped',
    ipBlockExcept: 'policy-dropped',
    sctp: 'policy-dropped',
    endPort: 'unknown',
  }),
  sources: {
    namedPorts: confirmed('https://github.com/Azure/azure-container-networking/blob/master/npm/pkg/controlplane/translation/translatePolicy.go'),
    negativeSelectors: confirmed('https://github.com/Azure/azure-container-networking/blob/master/npm/pkg/controlplane/translation/translatePolicy.go'),
    ipBlockExcept: confirmed('https://github.com/Azure/azure-container-networking/blob/master/npm/pkg/controlplane/translation/translatePolicy.go'),
    sctp: confirmed('https://github.com/Azure/azure-container-networking/blob/master/npm/pkg/controlplane/translation/translatePolicy.go'),
  },
};
