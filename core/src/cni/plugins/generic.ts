// Capability profile: upstream semantics.
import { UPSTREAM, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const GENERIC: ProfileFamily = {
  name: 'generic',
  displayName: 'upstream Kubernetes semantics (every feature enforced)',
  capabilities: fixed(UPSTREAM),
  sources: { enforcement: confirmed('https://kubernetes.io/docs/concepts/services-networking/network-policies/') },
};
