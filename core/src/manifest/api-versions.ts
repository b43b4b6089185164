// Which apiVersion of each kind kubereach reads, and what it says about the versions a cluster no longer serves.
import type { KnownKind } from './kubernetes-types.js';
import type { InputIssueCode, Severity } from './types.js';

/** The version served for each kind (the one current clusters accept). */
const SERVED_VERSION: Readonly<Record<KnownKind, string>> = {
  Namespace: 'v1',
  Pod: 'v1',
  Service: 'v1',
  ReplicationController: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  // kubernetes-sigs/network-policy-api: v1alpha1 (v0.1.x) for ANP/BANP; v1beta1 (the storage version) and v1alpha2
  // for ClusterNetworkPolicy.
  AdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  BaselineAdminNetworkPolicy: 'policy.networking.k8s.io/v1alpha1',
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1beta1',
  CalicoNetworkPolicy: 'projectcalico.org/v3',
  CalicoGlobalNetworkPolicy: 'projectcalico.org/v3',
  CalicoTier: 'projectcalico.org/v3',
  CalicoNetworkSet: 'projectcalico.org/v3',
  CalicoGlobalNetworkSet: 'projectcalico.org/v3',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  ServiceAccount: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Endpoints: 'v1',
};

/**
 * Other versions read as the served one. Calico's CRDs store its v3 API objects as crd.projectcalico.org/v1 with
 * the same spec (what `kubectl get` returns where the Calico API server is not installed). ClusterNetworkPolicy
 * v1alpha2 has the fields of v1beta1 (apis/v1alpha2 and apis/v1beta1 clusternetworkpolicy_types.go); only its
 * `networks` CIDRs are checked less strictly (validation.ts).
 */
const SAME_SHAPE_VERSIONS: Readonly<Partial<Record<KnownKind, string>>> = {
  ClusterNetworkPolicy: 'policy.networking.k8s.io/v1alpha2',
  CalicoNetworkPolicy: 'crd.projectcalico.org/v1',
  CalicoGlobalNetworkPolicy: 'crd.projectcalico.org/v1',
  CalicoTier: 'crd.projectcalico.org/v1',
  CalicoNetworkSet: 'crd.projectcalico.org/v1',
  CalicoGlobalNetworkSet: 'crd.projectcalico.org/v1',
};

/** Versions the API server stopped serving, by the release that removed them. */
const REMOVED_VERSIONS: Readonly<Partial<Record<KnownKind, Readonly<Record<string, string>>>>> = {
  NetworkPolicy: { 'extensions/v1beta1': '1.16' },
  Deployment: { 'extensions/v1beta1': '1.16', 'apps/v1beta1': '1.16', 'apps/v1beta2': '1.16' },
  DaemonSet: { 'extensions/v1beta1': '1.16', 'apps/v1beta2': '1.16' },
  ReplicaSet: { 'extensions/v1beta1': '1.16', 'apps/v1beta2': '1.16' },
  StatefulSet: { 'apps/v1beta1': '1.16', 'apps/v1beta2': '1.16' },
  Ingress: { 'extensions/v1beta1': '1.22', 'networking.k8s.io/v1beta1': '1.22' },
  CronJob: { 'batch/v1beta1': '1.25' },
  CustomResourceDefinition: { 'apiextensions.k8s.io/v1beta1': '1.22' },
  EndpointSlice: { 'discovery.k8s.io/v1beta1': '1.25' },
};

/**
 * Removed versions that kubereach still reads, because the shape of every field it reads is unchanged and such
 * manifests are common: batch/v1beta1 CronJob.
 */
const READ_ANYWAY: readonly string[] = ['CronJob batch/v1beta1'];

export interface ApiVersionVerdict {
  readonly read: boolean;
  /** Something to tell the user (an info when the object is read anyway). */
  readonly note?: { readonly code: InputIssueCode; readonly severity: Severity; readonly message: string };
}

/** The verdict of nearly every object, one value for all. */
const READ: ApiVersionVerdict = { read: true };

export function checkApiVersion(kind: KnownKind, apiVersion: string): ApiVersionVerdict {
  const served = SERVED_VERSION[kind];
  if (apiVersion === served || apiVersion === SAME_SHAPE_VERSIONS[kind]) return READ;
  const removedIn = REMOVED_VERSIONS[kind]?.[apiVersion];
  if (removedIn === undefined) {
    const sameShape = SAME_SHAPE_VERSIONS[kind];
    const reads = sameShape === undefined ? served : `${served} and ${sameShape}`;
    return {
      read: false,
      note: {
        code: 'unknown-kind',
        severity: 'info',
        message: `${kind} ${apiVersion} is not read by kubereach (it reads ${reads}): skipped`,
      },
    };
  }
  const removed = `${apiVersion} ${kind} was removed in Kubernetes ${removedIn}`;
  if (READ_ANYWAY.includes(`${kind} ${apiVersion}`)) {
    return {
      read: true,
      note: { code: 'invalid-value', severity: 'info', message: `${removed}: read as ${served}` },
    };
  }
  return {
    read: false,
    note: { code: 'invalid-value', severity: 'warning', message: `${removed}: use ${served}; skipped` },
  };
}
