// The Kubernetes API shapes kubereach reads, as decoded from manifests (fields it does not read are dropped).

export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly controller?: boolean;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface ContainerPortSpec {
  readonly name?: string;
  readonly containerPort: number;
  /** As written; validation restricts it to TCP, UDP, SCTP. Absent means TCP. */
  readonly protocol?: string;
  readonly hostPort?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly ports?: readonly ContainerPortSpec[];
}

export interface PodSpec {
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly hostNetwork?: boolean;
  readonly serviceAccountName?: string;
  /** Deprecated alias of serviceAccountName. */
  readonly serviceAccount?: string;
  readonly nodeName?: string;
}

export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec: PodSpec;
}

export interface Namespace {
  readonly metadata: ObjectMeta;
}

export interface Pod {
  readonly metadata: ObjectMeta;
  readonly spec: PodSpec;
  readonly status?: { readonly podIP?: string; readonly podIPs?: readonly { readonly ip: string }[] };
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController. */
export interface TemplatedWorkload {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly template: PodTemplateSpec; readonly replicas?: number };
}

export interface CronJob {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly jobTemplate: { readonly spec: { readonly template: PodTemplateSpec } } };
}

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
}

export interface Service {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
    readonly clusterIP?: string;
    readonly externalName?: string;
    readonly externalTrafficPolicy?: 'Cluster' | 'Local';
    readonly loadBalancerSourceRanges?: readonly string[];
  };
}

export interface IngressServiceBackend {
  readonly name: string;
  readonly port?: { readonly number?: number; readonly name?: string };
}

export interface IngressBackend {
  readonly service?: IngressServiceBackend;
  readonly resource?: { readonly apiGroup?: string; readonly kind: string; readonly name: string };
}

export interface Ingress {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly ingressClassName?: string;
    readonly defaultBackend?: IngressBackend;
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
    readonly rules?: readonly {
      readonly host?: string;
      readonly http?: {
        readonly paths: readonly { readonly path?: string; readonly pathType?: string; readonly backend: IngressBackend }[];
      };
    }[];
  };
}

export interface IPBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** As written; validation restricts it to TCP, UDP, SCTP. Absent means TCP. */
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export type PolicyType = 'Ingress' | 'Egress';

export interface NetworkPolicySpec {
  /** Required by the API; a missing one decodes as `{}` (every pod of the namespace), like the API server's Go types. */
  readonly podSelector: LabelSelector;
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
  readonly policyTypes?: readonly PolicyType[];
}

export interface NetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: NetworkPolicySpec;
}

/** The kinds the engine reads, with their decoded shapes. */
export interface KnownKinds {
  readonly Namespace: Namespace;
  readonly Pod: Pod;
  readonly Deployment: TemplatedWorkload;
  readonly ReplicaSet: TemplatedWorkload;
  readonly StatefulSet: TemplatedWorkload;
  readonly DaemonSet: TemplatedWorkload;
  readonly Job: TemplatedWorkload;
  readonly ReplicationController: TemplatedWorkload;
  readonly CronJob: CronJob;
  readonly Service: Service;
  readonly Ingress: Ingress;
  readonly NetworkPolicy: NetworkPolicy;
}

export type KnownKind = keyof KnownKinds;

export const TEMPLATED_WORKLOAD_KINDS = [
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
] as const satisfies readonly KnownKind[];
