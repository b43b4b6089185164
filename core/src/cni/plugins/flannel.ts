// Capability profile: Flannel.
import { ENFORCES_NOTHING, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const FLANNEL: ProfileFamily = {
  name: 'flannel',
  displayName: 'Flannel',
  capabilities: fixed(ENFORCES_NOTHING),
  // "For network policy, other projects such as Calico can be used"
  sources: { enforcement: confirmed('https://github.com/flannel-io/flannel') },
};
