// Recognises the network plugin from the manifests: its agent (a calico-node or cilium DaemonSet, ...), Calico's own
// resources, or the plugin's CustomResourceDefinitions.
import type { ManifestObject } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';
import type { SourceLocation } from '../source/source.js';

interface Sign {
  readonly profile: string;
  /** DaemonSet names, or `k8s-app` / `app` / `app.kubernetes.io/name` label values of the pod template. */
  readonly names: readonly string[];
}

/** Checked in order: Canal before Calico (its DaemonSet runs calico-node too), Calico before Flannel. */
const SIGNS: readonly Sign[] = [
  { profile: 'canal', names: ['canal'] },
  { profile: 'calico', names: ['calico-node'] },
  { profile: 'cilium', names: ['cilium', 'cilium-agent'] },
  { profile: 'antrea', names: ['antrea-agent'] },
  { profile: 'weave', names: ['weave-net'] },
  { profile: 'kube-router', names: ['kube-router'] },
  { profile: 'ovn-kubernetes', names: ['ovnkube-node'] },
  { profile: 'azure-npm', names: ['azure-npm'] },
  { profile: 'flannel', names: ['kube-flannel-ds', 'flannel'] },
];

export interface Detection {
  readonly profile: string;
  readonly evidence: SourceLocation;
  readonly description: string;
}

const CALICO_RESOURCE_KINDS: readonly string[] = ['CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier', 'CalicoNetworkSet', 'CalicoGlobalNetworkSet'];

/**
 * An agent DaemonSet first (it tells Canal from Calico); else a Calico resource, which the API server only accepts
 * where Calico's CRDs (or API server) are installed.
 */
export function detectProfile(objects: readonly ManifestObject[]): Detection | undefined {
  return detectFromAgents(objects) ?? detectFromResources(objects) ?? detectFromDefinitions(objects);
}

/** API groups of the plugins' CustomResourceDefinitions (their policy kinds, IP pools, ...), checked in this order. */
const CRD_GROUPS: readonly { readonly profile: string; readonly groups: readonly string[] }[] = [
  { profile: 'calico', groups: ['crd.projectcalico.org', 'projectcalico.org'] },
  { profile: 'cilium', groups: ['cilium.io'] },
  { profile: 'antrea', groups: ['crd.antrea.io'] },
];

function detectFromDefinitions(objects: readonly ManifestObject[]): Detection | undefined {
  const definitions = objects.filter((o): o is ManifestObject<'CustomResourceDefinition'> => o.kind === 'CustomResourceDefinition' && !o.rejected);
  for (const sign of CRD_GROUPS) {
    const definition = definitions.find((d) => sign.groups.includes(d.value.spec.group ?? ''));
    if (definition !== undefined) {
      return {
        profile: sign.profile,
        evidence: objectLocator(definition)(['spec', 'group']),
        description: `CustomResourceDefinition ${definition.name}`,
      };
    }
  }
  return undefined;
}

function detectFromResources(objects: readonly ManifestObject[]): Detection | undefined {
  const resource = objects.find((o) => CALICO_RESOURCE_KINDS.includes(o.kind));
  if (resource === undefined) return undefined;
  const kind = resource.kind.slice('Calico'.length);
  return {
    profile: 'calico',
    evidence: objectLocator(resource)(['apiVersion']),
    description: `Calico resource ${kind} ${resource.namespace === undefined ? '' : `${resource.namespace}/`}${resource.name} (${resource.apiVersion})`,
  };
}

function detectFromAgents(objects: readonly ManifestObject[]): Detection | undefined {
  const daemonSets = objects.filter((o): o is ManifestObject<'DaemonSet'> => o.kind === 'DaemonSet' && !o.rejected);
  for (const sign of SIGNS) {
    for (const daemonSet of daemonSets) {
      const labels = daemonSet.value.spec.template.metadata?.labels ?? {};
      const names = [daemonSet.name, labels['k8s-app'], labels['app'], labels['app.kubernetes.io/name']];
      if (names.some((name) => name !== undefined && sign.names.includes(name))) {
        return {
          profile: sign.profile,
          evidence: objectLocator(daemonSet)(['metadata', 'name']),
          description: `DaemonSet ${daemonSet.namespace ?? 'default'}/${daemonSet.name}`,
        };
      }
    }
  }
  return undefined;
}
