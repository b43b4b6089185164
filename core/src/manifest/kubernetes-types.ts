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
  /** As written: `Always` makes an init container a sidecar, which runs alongside the containers. */
  readonly restartPolicy?: string;
}

/** Where a pod's resolver comes from; the API server rejects other values and defaults an absent one to ClusterFirst. */
export type DnsPolicy = 'ClusterFirstWithHostNet' | 'ClusterFirst' | 'Default' | 'None';

export interface PodSpec {
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly hostNetwork?: boolean;
  readonly dnsPolicy?: DnsPolicy;
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

/** Deployment, ReplicaSet, StatefulSet, DaemonSet (apps/v1): the selector of the pods they manage, read for validation. */
export interface AppsWorkload {
  readonly metadata: ObjectMeta;
  readonly spec: TemplatedWorkload['spec'] & { readonly selector?: LabelSelector };
}

/** Its pods are named `<name>-<ordinal>`, ordinals counted from `spec.ordinals.start` (0 when unset). */
export interface StatefulSet {
  readonly metadata: ObjectMeta;
  readonly spec: AppsWorkload['spec'] & { readonly ordinals?: { readonly start?: number } };
}

/** A plain label map for a selector; the API server fills an empty one with the template's labels. */
export interface ReplicationController {
  readonly metadata: ObjectMeta;
  readonly spec: TemplatedWorkload['spec'] & { readonly selector?: Readonly<Record<string, string>> };
}

/** `manualSelector: true` stops the API server from adding its selector and labels (see the cluster model). */
export interface Job {
  readonly metadata: ObjectMeta;
  readonly spec: TemplatedWorkload['spec'] & { readonly manualSelector?: boolean; readonly selector?: LabelSelector };
}

/** A CronJob's Jobs always get generated selectors: its job template may set neither field (read for validation). */
export interface CronJob {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly jobTemplate: {
      readonly spec: { readonly template: PodTemplateSpec; readonly selector?: LabelSelector; readonly manualSelector?: boolean };
    };
  };
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

/** Cluster-scoped: which controller serves the Ingresses of a class (networking.k8s.io/v1). */
export interface IngressClass {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly controller?: string };
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

// policy.networking.k8s.io, from kubernetes-sigs/network-policy-api: apis/v1alpha1/shared_types.go,
// adminnetworkpolicy_types.go, baselineadminnetworkpolicy_types.go (v0.1.x) and clusternetworkpolicy_types.go of
// apis/v1alpha2 and apis/v1beta1 (the same shape).

/**
 * NamespacedPod: namespaceSelector AND podSelector. Both are required in v1alpha1; in v1alpha2 and v1beta1 a missing
 * namespaceSelector decodes as the empty one, which selects every namespace.
 */
export interface NamespacedPod {
  readonly namespaceSelector: LabelSelector;
  readonly podSelector: LabelSelector;
}

/** AdminNetworkPolicySubject / ClusterNetworkPolicySubject: exactly one field. */
export interface AdminSubject {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
}

/** The union of the ingress and egress peers of both versions; which fields a direction allows is checked on compile. */
export interface AdminPeer {
  readonly namespaces?: LabelSelector;
  readonly pods?: NamespacedPod;
  readonly nodes?: LabelSelector;
  readonly networks?: readonly string[];
  readonly domainNames?: readonly string[];
}

/** v1alpha1 AdminNetworkPolicyPort: exactly one of portNumber, portRange, namedPort. */
export interface AdminPort {
  readonly portNumber?: { readonly protocol?: string; readonly port: number };
  readonly portRange?: { readonly protocol?: string; readonly start: number; readonly end: number };
  readonly namedPort?: string;
}

export interface AdminRule {
  readonly name?: string;
  readonly action: 'Allow' | 'Deny' | 'Pass';
  readonly from?: readonly AdminPeer[];
  readonly to?: readonly AdminPeer[];
  readonly ports?: readonly AdminPort[];
}

export interface AdminNetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly priority: number;
    readonly subject: AdminSubject;
    readonly ingress?: readonly AdminRule[];
    readonly egress?: readonly AdminRule[];
  };
}

export interface BaselineAdminRule extends Omit<AdminRule, 'action'> {
  readonly action: 'Allow' | 'Deny';
}

export interface BaselineAdminNetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly subject: AdminSubject;
    readonly ingress?: readonly BaselineAdminRule[];
    readonly egress?: readonly BaselineAdminRule[];
  };
}

/** v1alpha2 and v1beta1 Port: a number or a range. */
export interface ClusterNetworkPolicyPort {
  readonly number?: number;
  readonly range?: { readonly start: number; readonly end: number };
}

/** v1alpha2 and v1beta1 ClusterNetworkPolicyProtocol: exactly one of tcp, udp, sctp, destinationNamedPort. */
export interface ClusterNetworkPolicyProtocol {
  readonly tcp?: { readonly destinationPort?: ClusterNetworkPolicyPort };
  readonly udp?: { readonly destinationPort?: ClusterNetworkPolicyPort };
  readonly sctp?: { readonly destinationPort?: ClusterNetworkPolicyPort };
  readonly destinationNamedPort?: string;
}

export interface ClusterNetworkPolicyRule {
  readonly name?: string;
  readonly action: 'Accept' | 'Deny' | 'Pass';
  readonly from?: readonly AdminPeer[];
  readonly to?: readonly AdminPeer[];
  readonly protocols?: readonly ClusterNetworkPolicyProtocol[];
}

export interface ClusterNetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly tier: 'Admin' | 'Baseline';
    readonly priority: number;
    readonly subject: AdminSubject;
    readonly ingress?: readonly ClusterNetworkPolicyRule[];
    readonly egress?: readonly ClusterNetworkPolicyRule[];
  };
}

/** Calico (projectcalico.org/v3, stored as crd.projectcalico.org/v1) EntityRule: the source or destination of a rule. */
export interface CalicoEntityRule {
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  /** Calico selector expressions (core/src/semantics/calico-selector.ts), like every `*Selector` below. */
  readonly selector?: string;
  readonly notSelector?: string;
  readonly namespaceSelector?: string;
  /** A number, a range `"8000:9000"`, or a named port. */
  readonly ports?: readonly (number | string)[];
  readonly notPorts?: readonly (number | string)[];
  readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: string };
  /** A Service whose endpoints (destination) or pods (source) the rule matches. */
  readonly services?: { readonly name?: string; readonly namespace?: string };
}

/** ICMP type and code, both optional. */
export interface CalicoIcmp {
  readonly type?: number;
  readonly code?: number;
}

export interface CalicoRule {
  readonly action: 'Allow' | 'Deny' | 'Pass' | 'Log';
  /** A name (TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite) or an IANA protocol number. */
  readonly protocol?: number | string;
  readonly notProtocol?: number | string;
  readonly ipVersion?: number;
  readonly icmp?: CalicoIcmp;
  readonly notICMP?: CalicoIcmp;
  /** Application-layer match (needs Calico's L7 support): HTTP methods and paths. */
  readonly http?: unknown;
  readonly source?: CalicoEntityRule;
  readonly destination?: CalicoEntityRule;
}

export interface CalicoPolicySpec {
  readonly tier?: string;
  readonly order?: number;
  readonly selector?: string;
  readonly serviceAccountSelector?: string;
  readonly types?: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly CalicoRule[];
  readonly egress?: readonly CalicoRule[];
}

export interface CalicoNetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: CalicoPolicySpec;
}

export interface CalicoGlobalNetworkPolicy {
  readonly metadata: ObjectMeta;
  readonly spec: CalicoPolicySpec & {
    readonly namespaceSelector?: string;
    /** Host endpoint policies: applied before DNAT, or to untracked traffic, and only on host interfaces. */
    readonly preDNAT?: boolean;
    readonly doNotTrack?: boolean;
    readonly applyOnForward?: boolean;
  };
}

export interface CalicoTier {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly order?: number; readonly defaultAction?: 'Deny' | 'Pass' };
}

/** NetworkSet (namespaced) and GlobalNetworkSet: labelled lists of external networks. */
export interface CalicoNetworkSet {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly nets?: readonly string[] };
}

/** What an endpoint of a Service points at: a Pod, for endpoints the control plane manages. */
export interface EndpointReference {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A port of an EndpointSlice or Endpoints subset: the Service port of the same name is DNATed to it. */
export interface EndpointPort {
  readonly name?: string;
  readonly protocol?: string;
  readonly port?: number;
}

/**
 * discovery.k8s.io/v1 EndpointSlice: read for Services without a selector, whose endpoints their owner writes
 * (https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors).
 */
export interface EndpointSlice {
  readonly metadata: ObjectMeta;
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN';
  readonly endpoints?: readonly {
    readonly addresses: readonly string[];
    readonly conditions?: { readonly ready?: boolean; readonly serving?: boolean; readonly terminating?: boolean };
    readonly targetRef?: EndpointReference;
  }[];
  readonly ports?: readonly EndpointPort[];
}

export interface EndpointAddress {
  readonly ip: string;
  readonly targetRef?: EndpointReference;
}

/** v1 Endpoints, the older form of EndpointSlices, which the control plane mirrors into them for Services without a selector. */
export interface Endpoints {
  readonly metadata: ObjectMeta;
  readonly subsets?: readonly {
    readonly addresses?: readonly EndpointAddress[];
    readonly notReadyAddresses?: readonly EndpointAddress[];
    readonly ports?: readonly EndpointPort[];
  }[];
}

/** Read for its labels, which Calico's service account selectors match. */
export interface ServiceAccount {
  readonly metadata: ObjectMeta;
}

/** Read for one thing: which network plugin's CRDs a cluster has (its API group and kind). */
export interface CustomResourceDefinition {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly group?: string; readonly names?: { readonly kind?: string } };
}

/** The kinds the engine reads, with their decoded shapes. */
export interface KnownKinds {
  readonly Namespace: Namespace;
  readonly Pod: Pod;
  readonly Deployment: AppsWorkload;
  readonly ReplicaSet: AppsWorkload;
  readonly StatefulSet: StatefulSet;
  readonly DaemonSet: AppsWorkload;
  readonly Job: Job;
  readonly ReplicationController: ReplicationController;
  readonly CronJob: CronJob;
  readonly Service: Service;
  readonly Ingress: Ingress;
  readonly IngressClass: IngressClass;
  readonly NetworkPolicy: NetworkPolicy;
  readonly AdminNetworkPolicy: AdminNetworkPolicy;
  readonly BaselineAdminNetworkPolicy: BaselineAdminNetworkPolicy;
  readonly ClusterNetworkPolicy: ClusterNetworkPolicy;
  /** Calico kinds carry a `Calico` prefix here: their `kind` field collides with (or reads like) Kubernetes kinds. */
  readonly CalicoNetworkPolicy: CalicoNetworkPolicy;
  readonly CalicoGlobalNetworkPolicy: CalicoGlobalNetworkPolicy;
  readonly CalicoTier: CalicoTier;
  readonly CalicoNetworkSet: CalicoNetworkSet;
  readonly CalicoGlobalNetworkSet: CalicoNetworkSet;
  readonly CustomResourceDefinition: CustomResourceDefinition;
  readonly ServiceAccount: ServiceAccount;
  readonly EndpointSlice: EndpointSlice;
  readonly Endpoints: Endpoints;
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
