// The profile registry: every plugin family, and `name[@version]` resolution.
import { ACI } from './plugins/aci.js';
import { ANTREA } from './plugins/antrea.js';
import { AWS_VPC_CNI } from './plugins/aws-vpc-cni.js';
import { AZURE_NPM, AZURE_NPM_WINDOWS } from './plugins/azure-npm.js';
import { CALICO, CANAL } from './plugins/calico.js';
import { AZURE_CILIUM, CILIUM, GKE_DATAPLANE_V2 } from './plugins/cilium.js';
import { FLANNEL } from './plugins/flannel.js';
import { GENERIC } from './plugins/generic.js';
import { KUBE_ROUTER } from './plugins/kube-router.js';
import { KUBENET } from './plugins/kubenet.js';
import { NSX } from './plugins/nsx.js';
import { OPENSHIFT_SDN, OVN_KUBERNETES } from './plugins/openshift.js';
import { WEAVE } from './plugins/weave.js';
import { parseVersion, type Profile, type ProfileFamily } from './profile.js';

/** Every family, sorted by name. */
export const PROFILE_FAMILIES: readonly ProfileFamily[] = [
  ACI,
  ANTREA,
  AWS_VPC_CNI,
  AZURE_CILIUM,
  AZURE_NPM,
  AZURE_NPM_WINDOWS,
  CALICO,
  CANAL,
  CILIUM,
  FLANNEL,
  GENERIC,
  GKE_DATAPLANE_V2,
  KUBE_ROUTER,
  KUBENET,
  NSX,
  OPENSHIFT_SDN,
  OVN_KUBERNETES,
  WEAVE,
];

export const GENERIC_PROFILE: Profile = { id: 'generic', family: GENERIC, version: undefined, capabilities: GENERIC.capabilities(undefined) };

/** `cilium`, `cilium@1.15`, `calico@v3.29`; an error message when the name or version is unknown. */
export function resolveProfile(id: string): Profile | { readonly error: string } {
  const [name, versionText, ...rest] = id.trim().toLowerCase().split('@');
  const family = PROFILE_FAMILIES.find((f) => f.name === name);
  if (family === undefined || rest.length > 0) {
    return { error: `unknown network plugin "${id}"; one of: ${PROFILE_FAMILIES.map((f) => f.name).join(', ')} (optionally @version)` };
  }
  const version = versionText === undefined ? undefined : parseVersion(versionText);
  if (versionText !== undefined && version === undefined) return { error: `"${versionText}" is not a version (like 1.15 or 3.29.1)` };
  return { id: id.trim(), family, version, capabilities: family.capabilities(version) };
}
