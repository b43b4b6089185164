// zod schemas of the Kubernetes shapes kubereach reads: strict about those fields, silent about the rest (stripped).
import { z } from 'zod';
import type {
  AdminNetworkPolicy,
  AppsWorkload,
  StatefulSet,
  CalicoEntityRule,
  CalicoGlobalNetworkPolicy,
  CalicoNetworkPolicy,
  CalicoNetworkSet,
  CalicoPolicySpec,
  CalicoRule,
  CalicoTier,
  CustomResourceDefinition,
  ServiceAccount,
  EndpointAddress,
  EndpointPort,
  EndpointReference,
  EndpointSlice,
  Endpoints,
  AdminPeer,
  AdminPort,
  AdminRule,
  AdminSubject,
  BaselineAdminNetworkPolicy,
  BaselineAdminRule,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyPort,
  ClusterNetworkPolicyProtocol,
  ClusterNetworkPolicyRule,
  NamespacedPod,
  ContainerPortSpec,
  ContainerSpec,
  CronJob,
  IPBlock,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressServiceBackend,
  Job,
  KnownKind,
  KnownKinds,
  LabelSelector,
  LabelSelectorRequirement,
  Namespace,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodSpec,
  PodTemplateSpec,
  ReplicationController,
  Service,
  ServicePort,
  TemplatedWorkload,
} from './kubernetes-types.js';

/**
 * Every field of `T`, each with a schema of its type. Used with `satisfies` on each object shape, so a field left
 * out, added, or made optional by mistake is a compile error, not a field silently dropped by decoding.
 */
type Shape<T> = { readonly [K in keyof T]-?: z.ZodType<T[K]> };

type IngressSpec = Ingress['spec'];
type IngressRule = NonNullable<IngressSpec['rules']>[number];
type IngressPath = NonNullable<IngressRule['http']>['paths'][number];
type ServiceSpec = Service['spec'];

const stringMap = z.record(z.string(), z.string());
const integer = z.number().int();
const portNumberOrName = z.union([integer, z.string()], { error: 'expected a port number or a port name' });

const ownerReference = z.object({
  apiVersion: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  controller: z.boolean().optional(),
} satisfies Shape<OwnerReference>);

const objectMeta = z.object({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  ownerReferences: z.array(ownerReference).optional(),
} satisfies Shape<ObjectMeta>);

/** A missing `metadata` reads as an empty one: validation then reports the missing name at the object. */
const metadata: z.ZodType<ObjectMeta> = objectMeta.default({});

const labelSelector = z.object({
  matchLabels: stringMap.optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      } satisfies Shape<LabelSelectorRequirement>),
    )
    .optional(),
} satisfies Shape<LabelSelector>);

const containerPort = z.object({
  name: z.string().optional(),
  containerPort: integer,
  protocol: z.string().optional(),
  hostPort: integer.optional(),
} satisfies Shape<ContainerPortSpec>);

const container = z.object({
  name: z.string(),
  ports: z.array(containerPort).optional(),
  restartPolicy: z.string().optional(),
} satisfies Shape<ContainerSpec>);

const podSpec = z.object({
  containers: z.array(container),
  initContainers: z.array(container).optional(),
  hostNetwork: z.boolean().optional(),
  dnsPolicy: z.enum(['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']).optional(),
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(),
  nodeName: z.string().optional(),
} satisfies Shape<PodSpec>);

const podTemplate = z.object({
  metadata: objectMeta.optional(),
  spec: podSpec,
} satisfies Shape<PodTemplateSpec>);

const namespace = z.object({ metadata } satisfies Shape<Namespace>);

const pod = z.object({
  metadata,
  spec: podSpec,
  status: z
    .object({
      podIP: z.string().optional(),
      podIPs: z.array(z.object({ ip: z.string() })).optional(),
    } satisfies Shape<NonNullable<Pod['status']>>)
    .optional(),
} satisfies Shape<Pod>);

const templatedWorkloadSpec = { template: podTemplate, replicas: integer.optional() } satisfies Shape<TemplatedWorkload['spec']>;

const appsWorkloadSpec = { ...templatedWorkloadSpec, selector: labelSelector.optional() } satisfies Shape<AppsWorkload['spec']>;

const appsWorkload = z.object({ metadata, spec: z.object(appsWorkloadSpec) } satisfies Shape<AppsWorkload>);

const statefulSet = z.object({
  metadata,
  spec: z.object({
    ...appsWorkloadSpec,
    ordinals: z.object({ start: integer.optional() } satisfies Shape<NonNullable<StatefulSet['spec']['ordinals']>>).optional(),
  } satisfies Shape<StatefulSet['spec']>),
} satisfies Shape<StatefulSet>);

const replicationController = z.object({
  metadata,
  spec: z.object({ ...templatedWorkloadSpec, selector: stringMap.optional() } satisfies Shape<ReplicationController['spec']>),
} satisfies Shape<ReplicationController>);

const job = z.object({
  metadata,
  spec: z.object({
    ...templatedWorkloadSpec,
    manualSelector: z.boolean().optional(),
    selector: labelSelector.optional(),
  } satisfies Shape<Job['spec']>),
} satisfies Shape<Job>);

type JobTemplateSpec = CronJob['spec']['jobTemplate']['spec'];

const cronJob = z.object({
  metadata,
  spec: z.object({
    jobTemplate: z.object({
      spec: z.object({
        template: podTemplate,
        selector: labelSelector.optional(),
        manualSelector: z.boolean().optional(),
      } satisfies Shape<JobTemplateSpec>),
    }),
  } satisfies Shape<CronJob['spec']>),
} satisfies Shape<CronJob>);

const servicePort = z.object({
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: integer,
  targetPort: portNumberOrName.optional(),
  nodePort: integer.optional(),
} satisfies Shape<ServicePort>);

const service = z.object({
  metadata,
  spec: z.object({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    selector: stringMap.optional(),
    ports: z.array(servicePort).optional(),
    clusterIP: z.string().optional(),
    externalName: z.string().optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
  } satisfies Shape<ServiceSpec>),
} satisfies Shape<Service>);

const ingressServiceBackend = z.object({
  name: z.string(),
  port: z.object({ number: integer.optional(), name: z.string().optional() }).optional(),
} satisfies Shape<IngressServiceBackend>);

const ingressBackend = z.object({
  service: ingressServiceBackend.optional(),
  resource: z.object({ apiGroup: z.string().optional(), kind: z.string(), name: z.string() }).optional(),
} satisfies Shape<IngressBackend>);

const ingressPath = z.object({
  path: z.string().optional(),
  pathType: z.string().optional(),
  backend: ingressBackend,
} satisfies Shape<IngressPath>);

const ingressRule = z.object({
  host: z.string().optional(),
  http: z.object({ paths: z.array(ingressPath) }).optional(),
} satisfies Shape<IngressRule>);

const ingress = z.object({
  metadata,
  spec: z.object({
    ingressClassName: z.string().optional(),
    defaultBackend: ingressBackend.optional(),
    tls: z
      .array(z.object({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() }))
      .optional(),
    rules: z.array(ingressRule).optional(),
  } satisfies Shape<IngressSpec>),
} satisfies Shape<Ingress>);

const ingressClass = z.object({
  metadata,
  spec: z.object({ controller: z.string().optional() } satisfies Shape<IngressClass['spec']>).default({}),
} satisfies Shape<IngressClass>);

const ipBlock = z.object({
  cidr: z.string(),
  except: z.array(z.string()).optional(),
} satisfies Shape<IPBlock>);

const peer = z.object({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  ipBlock: ipBlock.optional(),
} satisfies Shape<NetworkPolicyPeer>);

const networkPolicyPort = z.object({
  protocol: z.string().optional(),
  port: portNumberOrName.optional(),
  endPort: integer.optional(),
} satisfies Shape<NetworkPolicyPort>);

const ingressRuleOfPolicy = z.object({
  from: z.array(peer).optional(),
  ports: z.array(networkPolicyPort).optional(),
} satisfies Shape<NetworkPolicyIngressRule>);

const egressRuleOfPolicy = z.object({
  to: z.array(peer).optional(),
  ports: z.array(networkPolicyPort).optional(),
} satisfies Shape<NetworkPolicyEgressRule>);

/** `podSelector` is required here: the loader fills a missing one with `{}` first, and warns. */
const networkPolicy = z.object({
  metadata,
  spec: z.object({
    podSelector: labelSelector,
    ingress: z.array(ingressRuleOfPolicy).optional(),
    egress: z.array(egressRuleOfPolicy).optional(),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
  } satisfies Shape<NetworkPolicySpec>),
} satisfies Shape<NetworkPolicy>);

// policy.networking.k8s.io (kubernetes-sigs/network-policy-api apis/v1alpha1, apis/v1alpha2 and apis/v1beta1).
// Unknown peer fields are stripped, so a peer of a newer API version decodes as `{}`, which compile treats as failing
// closed. The API's other rules (one field of several, list sizes, CIDRs) are checked in validation-admin.ts.
const portBound = integer.min(1).max(65535);
const priority = integer.min(0).max(1000);

/** v1alpha1 NamespacedPod (shared_types.go): both selectors required. */
const namespacedPod = z.object({
  namespaceSelector: labelSelector,
  podSelector: labelSelector,
} satisfies Shape<NamespacedPod>);

/**
 * v1alpha2 and v1beta1 NamespacedPod (clusternetworkpolicy_types.go): `namespaceSelector` is optional, "if empty, it
 * selects all Namespaces"; a missing one is the empty selector.
 */
const clusterNamespacedPod = z.object({
  namespaceSelector: labelSelector.default({}),
  podSelector: labelSelector,
} satisfies Shape<NamespacedPod>);

function adminSubjectOf(pods: z.ZodType<NamespacedPod>) {
  return z.object({ namespaces: labelSelector.optional(), pods: pods.optional() } satisfies Shape<AdminSubject>);
}

function adminPeerOf(pods: z.ZodType<NamespacedPod>) {
  return z.object({
    namespaces: labelSelector.optional(),
    pods: pods.optional(),
    nodes: labelSelector.optional(),
    networks: z.array(z.string()).optional(),
    domainNames: z.array(z.string()).optional(),
  } satisfies Shape<AdminPeer>);
}

const adminSubject = adminSubjectOf(namespacedPod);
const adminPeer = adminPeerOf(namespacedPod);
const clusterSubject = adminSubjectOf(clusterNamespacedPod);
const clusterPeer = adminPeerOf(clusterNamespacedPod);

const adminPort = z.object({
  portNumber: z.object({ protocol: z.string().optional(), port: portBound }).optional(),
  portRange: z.object({ protocol: z.string().optional(), start: portBound, end: portBound }).optional(),
  namedPort: z.string().optional(),
} satisfies Shape<AdminPort>);

const adminRuleFields = {
  name: z.string().optional(),
  from: z.array(adminPeer).optional(),
  to: z.array(adminPeer).optional(),
  ports: z.array(adminPort).optional(),
};

const adminRule = z.object({
  ...adminRuleFields,
  action: z.enum(['Allow', 'Deny', 'Pass']),
} satisfies Shape<AdminRule>);

const baselineAdminRule = z.object({
  ...adminRuleFields,
  action: z.enum(['Allow', 'Deny']),
} satisfies Shape<BaselineAdminRule>);

const adminNetworkPolicy = z.object({
  metadata,
  spec: z.object({
    priority,
    subject: adminSubject,
    ingress: z.array(adminRule).optional(),
    egress: z.array(adminRule).optional(),
  } satisfies Shape<AdminNetworkPolicy['spec']>),
} satisfies Shape<AdminNetworkPolicy>);

const baselineAdminNetworkPolicy = z.object({
  metadata,
  spec: z.object({
    subject: adminSubject,
    ingress: z.array(baselineAdminRule).optional(),
    egress: z.array(baselineAdminRule).optional(),
  } satisfies Shape<BaselineAdminNetworkPolicy['spec']>),
} satisfies Shape<BaselineAdminNetworkPolicy>);

const clusterNetworkPolicyPort = z.object({
  number: portBound.optional(),
  range: z.object({ start: portBound, end: portBound }).optional(),
} satisfies Shape<ClusterNetworkPolicyPort>);

const transportMatch = z.object({ destinationPort: clusterNetworkPolicyPort.optional() });

const clusterNetworkPolicyProtocol = z.object({
  tcp: transportMatch.optional(),
  udp: transportMatch.optional(),
  sctp: transportMatch.optional(),
  destinationNamedPort: z.string().optional(),
} satisfies Shape<ClusterNetworkPolicyProtocol>);

const clusterNetworkPolicyRule = z.object({
  name: z.string().optional(),
  action: z.enum(['Accept', 'Deny', 'Pass']),
  from: z.array(clusterPeer).optional(),
  to: z.array(clusterPeer).optional(),
  protocols: z.array(clusterNetworkPolicyProtocol).optional(),
} satisfies Shape<ClusterNetworkPolicyRule>);

const clusterNetworkPolicy = z.object({
  metadata,
  spec: z.object({
    tier: z.enum(['Admin', 'Baseline']),
    priority,
    subject: clusterSubject,
    ingress: z.array(clusterNetworkPolicyRule).optional(),
    egress: z.array(clusterNetworkPolicyRule).optional(),
  } satisfies Shape<ClusterNetworkPolicy['spec']>),
} satisfies Shape<ClusterNetworkPolicy>);

const calicoPort = z.union([integer, z.string()], { error: 'expected a port number, a range "8000:9000" or a port name' });
const calicoProtocol = z.union([integer, z.string()], { error: 'expected a protocol name or number' });

const calicoEntityRule = z.object({
  nets: z.array(z.string()).optional(),
  notNets: z.array(z.string()).optional(),
  selector: z.string().optional(),
  notSelector: z.string().optional(),
  namespaceSelector: z.string().optional(),
  ports: z.array(calicoPort).optional(),
  notPorts: z.array(calicoPort).optional(),
  serviceAccounts: z.object({ names: z.array(z.string()).optional(), selector: z.string().optional() }).optional(),
  services: z.object({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
} satisfies Shape<CalicoEntityRule>);

const calicoIcmp = z.object({ type: integer.optional(), code: integer.optional() });

const calicoRule = z.object({
  action: z.enum(['Allow', 'Deny', 'Pass', 'Log']),
  protocol: calicoProtocol.optional(),
  notProtocol: calicoProtocol.optional(),
  ipVersion: integer.optional(),
  icmp: calicoIcmp.optional(),
  notICMP: calicoIcmp.optional(),
  http: z.unknown().optional(),
  source: calicoEntityRule.optional(),
  destination: calicoEntityRule.optional(),
} satisfies Shape<CalicoRule>);

const calicoPolicySpecFields = {
  tier: z.string().optional(),
  order: z.number().optional(),
  selector: z.string().optional(),
  serviceAccountSelector: z.string().optional(),
  types: z.array(z.enum(['Ingress', 'Egress'])).optional(),
  ingress: z.array(calicoRule).optional(),
  egress: z.array(calicoRule).optional(),
} satisfies Shape<CalicoPolicySpec>;

const calicoNetworkPolicy = z.object({
  metadata,
  spec: z.object(calicoPolicySpecFields).default({}),
} satisfies Shape<CalicoNetworkPolicy>);

const calicoGlobalNetworkPolicy = z.object({
  metadata,
  spec: z
    .object({
      ...calicoPolicySpecFields,
      namespaceSelector: z.string().optional(),
      preDNAT: z.boolean().optional(),
      doNotTrack: z.boolean().optional(),
      applyOnForward: z.boolean().optional(),
    })
    .default({}),
} satisfies Shape<CalicoGlobalNetworkPolicy>);

const calicoTier = z.object({
  metadata,
  spec: z.object({ order: z.number().optional(), defaultAction: z.enum(['Deny', 'Pass']).optional() }).default({}),
} satisfies Shape<CalicoTier>);

const calicoNetworkSet = z.object({
  metadata,
  spec: z.object({ nets: z.array(z.string()).optional() }).default({}),
} satisfies Shape<CalicoNetworkSet>);

const customResourceDefinition = z.object({
  metadata,
  spec: z.object({ group: z.string().optional(), names: z.object({ kind: z.string().optional() }).optional() }).default({}),
} satisfies Shape<CustomResourceDefinition>);

const serviceAccount = z.object({ metadata } satisfies Shape<ServiceAccount>);

const endpointReference = z.object({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
} satisfies Shape<EndpointReference>);

const endpointPort = z.object({
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: integer.optional(),
} satisfies Shape<EndpointPort>);

const endpointSlice = z.object({
  metadata,
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z
    .array(
      z.object({
        addresses: z.array(z.string()),
        conditions: z.object({ ready: z.boolean().optional(), serving: z.boolean().optional(), terminating: z.boolean().optional() }).optional(),
        targetRef: endpointReference.optional(),
      }),
    )
    .optional(),
  ports: z.array(endpointPort).optional(),
} satisfies Shape<EndpointSlice>);

const endpointAddress = z.object({ ip: z.string(), targetRef: endpointReference.optional() } satisfies Shape<EndpointAddress>);

const endpoints = z.object({
  metadata,
  subsets: z
    .array(
      z.object({
        addresses: z.array(endpointAddress).optional(),
        notReadyAddresses: z.array(endpointAddress).optional(),
        ports: z.array(endpointPort).optional(),
      }),
    )
    .optional(),
} satisfies Shape<Endpoints>);

/** The schema of each kind. */
export const KIND_SCHEMAS: { readonly [K in KnownKind]: z.ZodType<KnownKinds[K]> } = {
  Namespace: namespace,
  Pod: pod,
  Deployment: appsWorkload,
  ReplicaSet: appsWorkload,
  StatefulSet: statefulSet,
  DaemonSet: appsWorkload,
  Job: job,
  ReplicationController: replicationController,
  CronJob: cronJob,
  Service: service,
  Ingress: ingress,
  IngressClass: ingressClass,
  NetworkPolicy: networkPolicy,
  AdminNetworkPolicy: adminNetworkPolicy,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicy,
  ClusterNetworkPolicy: clusterNetworkPolicy,
  CalicoNetworkPolicy: calicoNetworkPolicy,
  CalicoGlobalNetworkPolicy: calicoGlobalNetworkPolicy,
  CalicoTier: calicoTier,
  CalicoNetworkSet: calicoNetworkSet,
  CalicoGlobalNetworkSet: calicoNetworkSet,
  CustomResourceDefinition: customResourceDefinition,
  ServiceAccount: serviceAccount,
  EndpointSlice: endpointSlice,
  Endpoints: endpoints,
};
