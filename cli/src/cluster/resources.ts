// What kubereach reads from a live cluster: each resource with its API path, kind, and whether it is optional.

export interface ClusterResource {
  /** The API group ('' for the core group) and version. */
  readonly group: string;
  readonly version: string;
  /** The plural resource name, as RBAC rules name it. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Custom resources and alpha APIs: read only when the API server serves the group version. */
  readonly optional: boolean;
}

const resource = (
  groupVersion: string,
  resource: string,
  kind: string,
  options: { namespaced?: boolean; optional?: boolean } = {},
): ClusterResource => {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  return { group: group!, version: version!, resource, kind, namespaced: options.namespaced ?? true, optional: options.optional ?? false };
};

/**
 * In this order: namespaces first (their labels, and the list of namespaces to fall back on when a resource cannot
 * be listed cluster-wide), controllers before pods (a pod is reported as its controller), then services, ingresses
 * and policies. The docs' ClusterRole grants exactly these.
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
  resource('v1', 'services', 'Service'),
  resource('networking.k8s.io/v1', 'ingresses', 'Ingress'),
  resource('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy'),
  resource('crd.projectcalico.org/v1', 'networkpolicies', 'NetworkPolicy', { optional: true }),
  resource('crd.projectcalico.org/v1', 'globalnetworkpolicies', 'GlobalNetworkPolicy', { namespaced: false, optional: true }),
  resource('policy.networking.k8s.io/v1alpha1', 'adminnetworkpolicies', 'AdminNetworkPolicy', { namespaced: false, optional: true }),
  resource('policy.networking.k8s.io/v1alpha1', 'baselineadminnetworkpolicies', 'BaselineAdminNetworkPolicy', {
    namespaced: false,
    optional: true,
  }),
];

export function apiVersionOf(resource: ClusterResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `/api/v1` or `/apis/apps/v1`: the group version's discovery path, under which its resources are listed. */
export function groupVersionPath(resource: ClusterResource): string {
  return resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
}

/** The list path, cluster-wide or in one namespace. */
export function listPath(resource: ClusterResource, namespace?: string): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${groupVersionPath(resource)}${scope}/${resource.resource}`;
}

/** `networkpolicies.networking.k8s.io`, as `kubectl auth can-i` and RBAC errors name a resource. */
export function qualifiedName(resource: ClusterResource): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}
