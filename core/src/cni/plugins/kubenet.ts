// Capability profile: kubenet.
import { ENFORCES_NOTHING, confirmed, fixed, type ProfileFamily } from '../profile.js';

export const KUBENET: ProfileFamily = {
  name: 'kubenet',
  displayName: 'kubenet',
  capabilities: fixed(ENFORCES_NOTHING),
  // "does not, of itself, implement ... network policy"
  sources: { enforcement: confirmed('https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/') },
};
