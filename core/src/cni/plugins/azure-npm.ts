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

const TRANSLATOR = confirmed('https://github.com/Azure/azure-container-networking/blob/master/npm/pkg/controlplane/translation/translatePolicy.go');

export const AZURE_NPM_WINDOWS: ProfileFamily = {
  name: 'azure-npm-windows',
  displayName: 'Azure Network Policy Manager (Windows nodes)',
  // On the Windows dataplane translation fails over a named port (portType), an except (ipBlockIPSet), NotIn or
  // DoesNotExist in a pod selector (parsePodSelector; later releases' work_budget.go checks namespaceSelectors too)
  // and SCTP in any ACL made; the controller then skips the whole policy, which "is not translated because it has
  // unsupported translated features of Windows" (controllers/v2/networkPolicyController.go). Only what NPM translates
  // can fail: the policy's podSelector always, and the rules `translated-rules` names.
  capabilities: fixed({
    ...UPSTREAM,
    namedPorts: 'policy-dropped',
    negativeSelectors: 'policy-dropped',
    ipBlockExcept: 'policy-dropped',
    sctp: 'policy-dropped',
    rejectionScope: 'translated-rules',
    endPort: 'unknown',
  }),
  sources: {
    namedPorts: TRANSLATOR,
    negativeSelectors: TRANSLATOR,
    ipBlockExcept: TRANSLATOR,
    sctp: TRANSLATOR,
    rejectionScope: TRANSLATOR,
  },
};
