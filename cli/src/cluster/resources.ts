// What kubereach reads from a live cluster: each resource with the API versions it is read in, its kind and scope.

export interface ClusterResource {
  /** The API group ('' for the core group). */
  readonly group: string;
  /**
   * The versions of the group kubereach reads the resource in (core/src/manifest/api-versions.ts): a required resource
   * has one. A custom resource served in several holds the same objects in each, so it is read once: in the first of
   * the server's versions, in the server's order of preference, that serves it.
   */
  readonly versions: readonly [string, ...string[]];
  /** The plural resource name, as RBAC rules name it. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Custom resources and alpha APIs: read only when discovery says the API server serves them. */
  readonly optional: boolean;
  /** Objects per list page, where fewer than the default: a page must stay well under the reader's size limit. */
  readonly pageSize?: number;
}

/** A resource in the one version it is listed in. */
export interface ListedResource extends Omit<ClusterResource, 'versions' | 'optional'> {
  readonly version: string;
}

const resource = (
  apiVersion: string,
  plural: string,
  kind: string,
  options: { namespaced?: boolean; optional?: boolean; alsoServedIn?: readonly string[]; pageSize?: number } = {},
): ClusterResource => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return {
    group: group!,
    versions: [version!, ...(options.alsoServedIn ?? [])],
    resource: plural,
    kind,
    namespaced: options.namespaced ?? true,
    optional: options.optional ?? false,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  };
};

/**
 * Calico's kinds, from the CRDs every Calico installation has. Where Calico's API server also serves
 * projectcalico.org/v3, it serves these same objects, so that group is not read.
 */
const calico = (plural: string, kind: string, namespaced: boolean): ClusterResource =>
  resource('crd.projectcalico.org/v1', plural, kind, { namespaced, optional: true });

/**
 * In this order: namespaces first (their labels, and the list of namespaces to fall back on when a resource cannot
 * be listed cluster-wide), controllers before pods (a pod is reported as its controller), then services, ingresses,
 * policies and what they refer to, and last the CustomResourceDefinitions, which only tell the network plugin. The
 * docs' ClusterRole grants exactly these (test/src/cluster checks it).
 */
export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  resource('v1', 'namespaces', 'Namespace', { namespaced: false }),
  resource('apps/v1', 'deployments', 'Deployment'),
  resource('apps/v1', 'statefulsets', 'StatefulSet'),
  resource('apps/v1', 'daemonsets', 'DaemonSet'),
  resource('apps/v1', 'replicasets', 'ReplicaSet'),
  resource('batch/v1', 'cronjobs', 'CronJob'),
  resource('batch/v1', 'jobs', 'Job'),
  resource('v1', 'replicationcontrollers', 'ReplicationController'),
  resource('v1', 'pods', 'Pod'),
  resource('v1', 'serviceaccounts', 'ServiceAccount'),
  resource('v1', 'services', 'Service'),
  // For Services without a selector, whose endpoints their owner writes (the others' are the control plane's).
  resource('discovery.k8s.io/v1', 'endpointslices', 'EndpointSlice'),
  resource('networking.k8s.io/v1', 'ingressclasses', 'IngressClass', { namespaced: false }),
  resource('networking.k8s.io/v1', 'ingresses', 'Ingress'),
  resource('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy'),
  calico('tiers', 'Tier', false),
  calico('networkpolicies', 'NetworkPolicy', true),
  calico('globalnetworkpolicies', 'GlobalNetworkPolicy', false),
  calico('networksets', 'NetworkSet', true),
  calico('globalnetworksets', 'GlobalNetworkSet', false),
  resource('policy.networking.k8s.io/v1alpha1', 'adminnetworkpolicies', 'AdminNetworkPolicy', { namespaced: false, optional: true }),
  resource('policy.networking.k8s.io/v1alpha1', 'baselineadminnetworkpolicies', 'BaselineAdminNetworkPolicy', {
    namespaced: false,
    optional: true,
  }),
  resource('policy.networking.k8s.io/v1beta1', 'clusternetworkpolicies', 'ClusterNetworkPolicy', {
    namespaced: false,
    optional: true,
    alsoServedIn: ['v1alpha2'],
  }),
  // Each carries its OpenAPI schemas, up to megabytes: 50 a page.
  resource('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', { namespaced: false, pageSize: 50 }),
];

export function apiVersionOf(resource: ListedResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `/api/v1` or `/apis/apps/v1`: the group version's discovery path, under which its resources are listed. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The list path, cluster-wide or in one namespace. */
export function listPath(resource: ListedResource, namespace?: string): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${groupVersionPath(resource.group, resource.version)}${scope}/${resource.resource}`;
}

/**
 * A live object's kind as its input name and findings give it: a custom resource whose kind a built-in kind also has
 * is qualified by its group, as kubectl names it (`NetworkPolicy.crd.projectcalico.org`), so that names stay unique.
 */
export function objectKind(resource: Pick<ClusterResource, 'group' | 'kind'>): string {
  const builtIn = CLUSTER_RESOURCES.some((other) => !other.optional && other.kind === resource.kind && other.group !== resource.group);
  return builtIn ? `${resource.kind}.${resource.group}` : resource.kind;
}

/** `networkpolicies.networking.k8s.io`, as `kubectl auth can-i` and RBAC errors name a resource. */
export function qualifiedName(resource: Pick<ClusterResource, 'group' | 'resource'>): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}
