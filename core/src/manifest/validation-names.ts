// metadata.name and metadata.namespace as the API server checks them when it creates an object: ValidateObjectMeta
// (k8s.io/apimachinery/pkg/api/validation/objectmeta.go) with each kind's name function, which follow
// pkg/apis/core/validation/validation.go (ValidateNamespaceName, ValidateServiceName, ValidatePodName,
// ValidateReplicationControllerName, ValidateServiceAccountName), pkg/apis/apps/validation/validation.go
// (ValidateStatefulSetName is a DNS label; Deployment, ReplicaSet and DaemonSet names are DNS subdomains),
// pkg/apis/batch/validation/validation.go (ValidateCronJobCreate), pkg/apis/networking/validation/validation.go, and
// apiextensions-apiserver for custom resources (NameIsDNSSubdomain).
import type { KnownKind, ObjectMeta } from './kubernetes-types.js';
import type { ObjectIssues } from './object-issues.js';
import { DNS1123_SUBDOMAIN } from './kubernetes-syntax.js';

/** The syntax a kind's names follow; `unchecked` where kubereach does not know the server's rule (Calico's own API). */
type NameSyntax = 'dns-subdomain' | 'dns-label' | 'dns-1035-label' | 'unchecked';

const NAME_SYNTAX: { readonly [K in KnownKind]: NameSyntax } = {
  Namespace: 'dns-label',
  // ValidateServiceName; the RelaxedServiceNameValidation feature gate (alpha in 1.34, off by default) would allow a DNS label.
  Service: 'dns-1035-label',
  // Its pods are named `<name>-<ordinal>` and their hostname is that name: a DNS label (a subdomain was once accepted,
  // and its pods could not be created).
  StatefulSet: 'dns-label',
  Pod: 'dns-subdomain',
  Deployment: 'dns-subdomain',
  ReplicaSet: 'dns-subdomain',
  DaemonSet: 'dns-subdomain',
  Job: 'dns-subdomain',
  ReplicationController: 'dns-subdomain',
  CronJob: 'dns-subdomain',
  Ingress: 'dns-subdomain',
  IngressClass: 'dns-subdomain',
  NetworkPolicy: 'dns-subdomain',
  ServiceAccount: 'dns-subdomain',
  EndpointSlice: 'dns-subdomain',
  Endpoints: 'dns-subdomain',
  CustomResourceDefinition: 'dns-subdomain',
  AdminNetworkPolicy: 'dns-subdomain',
  BaselineAdminNetworkPolicy: 'dns-subdomain',
  ClusterNetworkPolicy: 'dns-subdomain',
  CalicoNetworkPolicy: 'unchecked',
  CalicoGlobalNetworkPolicy: 'unchecked',
  CalicoTier: 'unchecked',
  CalicoNetworkSet: 'unchecked',
  CalicoGlobalNetworkSet: 'unchecked',
};

/**
 * Kinds without a namespace: the API server clears a namespace written on one (rest.BeforeCreate), so it is not checked.
 */
const CLUSTER_SCOPED: ReadonlySet<KnownKind> = new Set<KnownKind>([
  'Namespace',
  'IngressClass',
  'CustomResourceDefinition',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'CalicoGlobalNetworkPolicy',
  'CalicoTier',
  'CalicoGlobalNetworkSet',
]);

/** The cronjob controller names each Job `<name>-<11 characters>`, and a Job's name is a label value (ValidateCronJobCreate). */
const CRON_JOB_NAME_MAX = 52;

/** Whether objects of the kind have no namespace. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind as KnownKind);
}

/** Checks `metadata.name` (required, in the kind's syntax) and, for a namespaced kind, `metadata.namespace` (a DNS label). */
export function validateMetadata(kind: KnownKind, metadata: ObjectMeta, issues: ObjectIssues): void {
  const { name, namespace } = metadata;
  if (name === undefined || name === '') {
    issues.add('missing-field', 'error', ['metadata', 'name'], 'required field is missing');
  } else {
    for (const problem of nameProblems(NAME_SYNTAX[kind], name)) issues.add('invalid-value', 'error', ['metadata', 'name'], problem);
    if (kind === 'CronJob' && name.length > CRON_JOB_NAME_MAX) {
      issues.add('invalid-value', 'error', ['metadata', 'name'], `must be no more than ${CRON_JOB_NAME_MAX} characters`);
    }
  }
  // An empty namespace is none: kubectl and the API server then use the default one.
  if (namespace !== undefined && namespace !== '' && !CLUSTER_SCOPED.has(kind)) {
    for (const problem of dnsLabelProblems(namespace)) issues.add('invalid-value', 'error', ['metadata', 'namespace'], problem);
  }
}

function nameProblems(syntax: NameSyntax, name: string): readonly string[] {
  switch (syntax) {
    case 'dns-subdomain':
      return dnsSubdomainProblems(name);
    case 'dns-label':
      return dnsLabelProblems(name);
    case 'dns-1035-label':
      return dns1035LabelProblems(name);
    case 'unchecked':
      return [];
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The length problem of a name, if any (IsDNS1123Label and the others report it apart from the characters). */
function tooLong(name: string, max: number): string[] {
  return name.length > max ? [`must be no more than ${max} characters`] : [];
}

/** IsDNS1123Label; a valid subdomain is told it has dots. */
export function dnsLabelProblems(name: string): string[] {
  const problems = tooLong(name, 63);
  if (!DNS1123_LABEL.test(name)) {
    problems.push(
      name.split('.').every((part) => DNS1123_LABEL.test(part))
        ? 'must not contain dots'
        : "must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character (a lowercase RFC 1123 label, e.g. 'my-name' or '123-abc')",
    );
  }
  return problems;
}

/** IsDNS1123Subdomain. */
export function dnsSubdomainProblems(name: string): string[] {
  const problems = tooLong(name, 253);
  if (!DNS1123_SUBDOMAIN.test(name)) {
    problems.push(
      "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character (a lowercase RFC 1123 subdomain, e.g. 'example.com')",
    );
  }
  return problems;
}

/** IsDNS1035Label: a DNS label that starts with a letter. */
function dns1035LabelProblems(name: string): string[] {
  const problems = tooLong(name, 63);
  if (!DNS1035_LABEL.test(name)) {
    problems.push(
      "must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (a DNS-1035 label, e.g. 'my-name' or 'abc-123')",
    );
  }
  return problems;
}
