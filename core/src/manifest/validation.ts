// The API server's validation of the fields kubereach reads; an error means the server would reject the object.
// Follows kubernetes/kubernetes pkg/apis/networking/validation/validation.go (NetworkPolicy),
// pkg/apis/networking/validation/validation.go (ValidateIngressCreate, ValidateIngressClass),
// pkg/apis/core/validation/validation.go (validateContainerPorts, ValidateReplicationControllerSpec, ValidateService)
// after pkg/apis/core/v1/defaults.go,
// pkg/apis/apps/validation/validation.go and pkg/apis/batch/validation/validation.go (workload selectors), with
// k8s.io/apimachinery's label checks.
import { parseCalicoSelector, selectorErrorRange } from '../semantics/calico-selector.js';
import { cidrContains, formatNetwork, parseCidrSloppy } from '../semantics/cidr-syntax.js';
import { parseCidr, parseIp, type IpFamily } from '../semantics/ip.js';
import { compileSelector, selectorMatches } from '../semantics/label-selector.js';
import type { ParsedCidr } from '../semantics/cidr-syntax.js';
import type { Labels } from '../semantics/label-selector.js';
import type {
  AppsWorkload,
  ContainerSpec,
  EndpointAddress,
  EndpointPort,
  EndpointSlice,
  Endpoints,
  CronJob,
  IPBlock,
  Ingress,
  IngressClass,
  Job,
  KnownKind,
  KnownKinds,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodSpec,
  ReplicationController,
  Service,
  ServicePort,
} from './kubernetes-types.js';
import {
  PROTOCOLS,
  domainPrefixedPathProblems,
  isSupportedProtocol,
  labelKeyProblems,
  labelValueProblems,
  portNameProblems,
  portNumberProblem,
} from './kubernetes-syntax.js';
import { expandPattern, forEachMatchOfAll, labelLocations } from './label-locations.js';
import type { ObjectIssues } from './object-issues.js';
import { findNode, rangeAt } from './paths.js';
import {
  validateAdminNetworkPolicy,
  validateBaselineAdminNetworkPolicy,
  validateClusterNetworkPolicy,
} from './validation-admin.js';
import { dnsLabelProblems, dnsSubdomainProblems, validateMetadata } from './validation-names.js';
import { isRecord } from './plain-data.js';
import type { FieldPath } from './types.js';

/** The object as written (nulls dropped) and its apiVersion, for the checks that decoding leaves no trace of. */
export interface WrittenObject {
  readonly raw: unknown;
  readonly apiVersion: string;
}

type Validator<T> = (value: T, issues: ObjectIssues, written: WrittenObject) => void;

const noFurtherChecks = (): void => undefined;

const KIND_VALIDATORS: { readonly [K in KnownKind]: Validator<KnownKinds[K]> } = {
  Namespace: noFurtherChecks,
  Service: validateService,
  Ingress: validateIngress,
  IngressClass: validateIngressClass,
  Pod: (pod, issues) => validatePodSpec(pod.spec, ['spec'], issues),
  // The ReplicaSet's message says "deployment": so does the API server's (ValidateReplicaSetSpec).
  Deployment: appsWorkloadValidator('deployment', true),
  ReplicaSet: appsWorkloadValidator('deployment', true),
  StatefulSet: appsWorkloadValidator('statefulset', true),
  DaemonSet: appsWorkloadValidator('daemonset', false),
  Job: validateJob,
  ReplicationController: validateReplicationController,
  CronJob: validateCronJob,
  NetworkPolicy: validateNetworkPolicy,
  AdminNetworkPolicy: validateAdminNetworkPolicy,
  BaselineAdminNetworkPolicy: validateBaselineAdminNetworkPolicy,
  ClusterNetworkPolicy: validateClusterNetworkPolicy,
  CalicoNetworkPolicy: (policy, issues) => validateCalicoPolicy(policy, issues),
  CalicoGlobalNetworkPolicy: (policy, issues) => validateCalicoPolicy(policy, issues),
  CalicoTier: noFurtherChecks,
  CalicoNetworkSet: (set, issues) => validateNetworkSet(set, issues),
  CalicoGlobalNetworkSet: (set, issues) => validateNetworkSet(set, issues),
  CustomResourceDefinition: noFurtherChecks,
  ServiceAccount: noFurtherChecks,
  EndpointSlice: validateEndpointSlice,
  Endpoints: validateEndpoints,
};

const SELECTOR: FieldPath = ['spec', 'selector'];
const TEMPLATE_LABELS: FieldPath = ['spec', 'template', 'metadata', 'labels'];
const TEMPLATE_SPEC: FieldPath = ['spec', 'template', 'spec'];
const NO_LABELS: Labels = {};
const NOT_MATCHING = '`selector` does not match template `labels`';

/**
 * The selector checks of ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec and
 * ValidateDaemonSetSpec (pkg/apis/apps/validation/validation.go). The first three require `spec.selector`; the
 * DaemonSet's does not, but a missing selector is `labels.Nothing()` (LabelSelectorAsSelector), which matches no
 * labels: every kind then reports its template's labels, as the API server does. An empty selector is invalid for all
 * four. Otherwise a selector that parses must match the template's labels (matchLabels and matchExpressions alike;
 * labels the selector does not name do not matter). One that does not parse has its label errors (validateLabels),
 * and the API server checks no further.
 */
function appsWorkloadValidator(noun: string, selectorRequired: boolean): Validator<AppsWorkload> {
  return (workload, issues) => {
    const { selector, template } = workload.spec;
    if (selector === undefined) {
      if (selectorRequired) issues.add('missing-field', 'error', SELECTOR, 'required field is missing');
      issues.add('invalid-value', 'error', TEMPLATE_LABELS, `${NOT_MATCHING}: spec.selector is missing, which matches no labels`);
    } else {
      const compiled = compileSelector(selector);
      if (compiled.kind === 'everything') {
        issues.add('invalid-value', 'error', SELECTOR, `empty selector is invalid for ${noun}`);
      } else if (selectorParses(selector) && !selectorMatches(compiled, template.metadata?.labels ?? NO_LABELS)) {
        issues.add('invalid-value', 'error', TEMPLATE_LABELS, NOT_MATCHING);
      }
    }
    validatePodSpec(template.spec, TEMPLATE_SPEC, issues);
  };
}

/**
 * ValidateReplicationControllerSpec (pkg/apis/core/validation/validation.go) after SetDefaults_ReplicationController
 * (pkg/apis/core/v1/defaults.go): an empty selector takes the template's labels; one still empty is missing
 * (ValidateNonEmptySelector); one that is not must match the template's labels (ValidatePodTemplateSpecForRC). The
 * API server does not check the selector's labels themselves: those the template must carry are checked there.
 */
function validateReplicationController(controller: ReplicationController, issues: ObjectIssues): void {
  const { selector, template } = controller.spec;
  const labels = template.metadata?.labels ?? NO_LABELS;
  if (selector === undefined || isEmpty(selector)) {
    if (isEmpty(labels)) issues.add('missing-field', 'error', SELECTOR, 'required field is missing (the template has no labels to default it to)');
  } else if (!selectorMatches(compileSelector({ matchLabels: selector }), labels)) {
    issues.add('invalid-value', 'error', TEMPLATE_LABELS, NOT_MATCHING);
  }
  validatePodSpec(template.spec, TEMPLATE_SPEC, issues);
}

const SERVICE_PORTS: FieldPath = ['spec', 'ports'];

/**
 * A Service port as SetDefaults_Service (pkg/apis/core/v1/defaults.go) stores it, and as ValidateService then reads it:
 * an absent or empty protocol is TCP; an absent, 0 or "" targetPort is the port itself.
 */
export function defaultedServicePort(port: ServicePort): {
  readonly protocol: string;
  readonly targetPort: number | string;
  readonly targetPortDefaulted: boolean;
} {
  const protocol = port.protocol === undefined || port.protocol === '' ? 'TCP' : port.protocol;
  const { targetPort } = port;
  return targetPort === undefined || targetPort === 0 || targetPort === ''
    ? { protocol, targetPort: port.port, targetPortDefaulted: true }
    : { protocol, targetPort, targetPortDefaulted: false };
}

const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * ValidateIngressCreate: spec.ingressClassName names an IngressClass (a DNS subdomain, ValidateIngressClassName), and
 * the deprecated `kubernetes.io/ingress.class` annotation, when both are set, must say the same. The server checks the
 * annotation on create only (an Ingress created before the field existed may be updated): a manifest is read as new.
 */
function validateIngress(ingress: Ingress, issues: ObjectIssues): void {
  const className = ingress.spec.ingressClassName;
  if (className === undefined) return;
  const classPath: FieldPath = ['spec', 'ingressClassName'];
  for (const problem of dnsSubdomainProblems(className)) issues.add('invalid-value', 'error', classPath, problem);
  const annotation = ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined && annotation !== className) {
    issues.add(
      'invalid-value',
      'error',
      ['metadata', 'annotations', INGRESS_CLASS_ANNOTATION],
      `must match \`ingressClassName\` when both are specified (spec.ingressClassName is "${className}")`,
    );
  }
}

/**
 * validateIngressClassSpec (pkg/apis/networking/validation/validation.go): spec.controller is required, at most
 * maxLenIngressClassController (250) characters, and a domain-prefixed path (IsDomainPrefixedPath).
 */
function validateIngressClass(ingressClass: IngressClass, issues: ObjectIssues): void {
  const { controller } = ingressClass.spec;
  const path: FieldPath = ['spec', 'controller'];
  if (controller === undefined || controller === '') {
    issues.add('missing-field', 'error', path, 'required field is missing');
    return;
  }
  if (controller.length > 250) issues.add('invalid-value', 'error', path, 'must be no more than 250 characters');
  for (const problem of domainPrefixedPathProblems(controller)) issues.add('invalid-value', 'error', path, problem);
}

/**
 * The port checks of ValidateService (pkg/apis/core/validation/validation.go), in its order, on the defaulted ports:
 * (1) only a headless or ExternalName Service may have no ports; (2) each port, as validateServicePort checks it;
 * (3) no nodePort on a ClusterIP Service; (4) no nodePort twice for one protocol; (5) no port twice for one protocol.
 * The nodePort range is the cluster's (--service-node-port-range), checked when one is allocated: not here.
 */
function validateService(service: Service, issues: ObjectIssues): void {
  const { spec } = service;
  const ports = spec.ports ?? [];
  const type = spec.type ?? 'ClusterIP';
  if (ports.length === 0 && spec.clusterIP !== 'None' && type !== 'ExternalName') {
    issues.add('missing-field', 'error', SERVICE_PORTS, 'required field is missing (only a headless or ExternalName Service may have no ports)');
  }
  const names = new Set<string>();
  for (let index = 0; index < ports.length; index++) validateServicePort(ports[index]!, index, ports.length > 1, names, issues);
  if (type === 'ClusterIP') {
    for (let index = 0; index < ports.length; index++) {
      const { nodePort } = ports[index]!;
      if (nodePort !== undefined && nodePort !== 0) issues.add('invalid-value', 'error', [...SERVICE_PORTS, index, 'nodePort'], "may not be used when `type` is 'ClusterIP'");
    }
  }
  reportRepeatedPorts(ports, 'nodePort', issues);
  reportRepeatedPorts(ports, 'port', issues);
}

/**
 * validateServicePort: a name (required when the Service has more than one port) is a DNS label, unique in the
 * Service; the port is 1..65535; the protocol TCP, UDP or SCTP; the targetPort a port number or a port name. A
 * targetPort in quotes is a name, even of digits: IntOrString reads a JSON string as a string, so "8080" is rejected.
 */
function validateServicePort(port: ServicePort, index: number, nameRequired: boolean, names: Set<string>, issues: ObjectIssues): void {
  const path = [...SERVICE_PORTS, index];
  const { name } = port;
  if (name === undefined || name === '') {
    if (nameRequired) issues.add('missing-field', 'error', [...path, 'name'], 'required field is missing (a Service with more than one port names each)');
  } else {
    const problems = dnsLabelProblems(name);
    if (problems.length > 0) issues.add('invalid-value', 'error', [...path, 'name'], `port name ${problems.join('; ')}`);
    if (names.has(name)) issues.add('duplicate-name', 'error', [...path, 'name'], `duplicate port name "${name}"`);
    else names.add(name);
  }
  if (portNumberProblem(port.port) !== undefined) reportPortNumber(issues, [...path, 'port'], port.port);
  const { protocol, targetPort, targetPortDefaulted } = defaultedServicePort(port);
  if (!isSupportedProtocol(protocol)) reportProtocol(issues, [...path, 'protocol'], protocol);
  // A defaulted targetPort is the port: the API server reports a bad one twice, kubereach once, at the port.
  if (targetPortDefaulted) return;
  if (typeof targetPort === 'number') {
    if (portNumberProblem(targetPort) !== undefined) reportPortNumber(issues, [...path, 'targetPort'], targetPort);
    return;
  }
  const problems = portNameProblems(targetPort);
  if (problems.length > 0) {
    const quoted = /^\d+$/.test(targetPort) ? ` (a number in quotes is a name: write ${targetPort} without quotes)` : '';
    issues.add('invalid-value', 'error', [...path, 'targetPort'], `port name "${targetPort}" ${problems.join('; ')}${quoted}`);
  }
}

/** A second port (or nodePort) with the protocol and number of an earlier one: at the entry (or its nodePort), as the API server reports it. */
function reportRepeatedPorts(ports: readonly ServicePort[], field: 'port' | 'nodePort', issues: ObjectIssues): void {
  const first = new Map<string, number>();
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]!;
    const number = port[field];
    // An unset nodePort is 0: one to allocate, never a duplicate.
    if (number === undefined || (field === 'nodePort' && number === 0)) continue;
    const key = `${defaultedServicePort(port).protocol} ${number}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
      continue;
    }
    const path = field === 'port' ? [...SERVICE_PORTS, index] : [...SERVICE_PORTS, index, field];
    issues.add('invalid-value', 'error', path, `duplicate ${field} ${key} (also spec.ports[${earlier}])`);
  }
}

/** The labels the API server adds to a Job's template: its name (as the cluster model reads it), and its uid. */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'] as const;
/** The one the generated selector selects. */
const SELECTED_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/**
 * The uid the API server gives a Job it creates: a new one, which no manifest knows, so no value written equals it
 * (this one is no valid label value).
 */
const NEW_UID = '\u0000uid';

/**
 * ValidateJob (pkg/apis/batch/validation/validation.go) on what pkg/registry/batch/job/strategy.go (generateSelector)
 * makes of the Job. Unless `spec.manualSelector` is true, the API server adds to the template each job-name label (the
 * Job's name) and controller-uid label (its uid) it lacks, and to the selector's matchLabels the uid label it lacks;
 * validateGeneratedSelector then rejects a template label of those with another value (ValidateHasLabel), and a
 * selector that does not select the values of all four ("`selector` not auto-generated"): a selector written without
 * manualSelector may only narrow the generated one down to them. With manualSelector, the selector is required, and an
 * empty one is valid. Either way (ValidateJobSpec), the selector must match the template's labels; a missing one is
 * `labels.Nothing()`. A Job without a name (reported already) has no label values to expect: only the manual checks.
 */
function validateJob(job: Job, issues: ObjectIssues): void {
  const { selector, template } = job.spec;
  const written = template.metadata?.labels ?? NO_LABELS;
  const name = job.metadata.name;
  if (job.spec.manualSelector === true) {
    if (selector === undefined) {
      issues.add('missing-field', 'error', SELECTOR, 'required field is missing (spec.manualSelector is true)');
      issues.add('invalid-value', 'error', TEMPLATE_LABELS, `${NOT_MATCHING}: spec.selector is missing, which matches no labels`);
    } else if (selectorParses(selector) && !selectorMatches(compileSelector(selector), written)) {
      issues.add('invalid-value', 'error', TEMPLATE_LABELS, NOT_MATCHING);
    }
  } else if (name !== undefined && name !== '') {
    validateGeneratedSelector(selector, written, name, issues);
  }
  validatePodSpec(template.spec, TEMPLATE_SPEC, issues);
}

function validateGeneratedSelector(selector: LabelSelector | undefined, written: Labels, name: string, issues: ObjectIssues): void {
  const expected: Record<string, string> = {};
  for (const key of CONTROLLER_UID_LABELS) expected[key] = NEW_UID;
  for (const key of JOB_NAME_LABELS) expected[key] = name;
  // The legacy labels first, as validateGeneratedSelector checks them.
  for (const key of [CONTROLLER_UID_LABELS[0], JOB_NAME_LABELS[0], CONTROLLER_UID_LABELS[1], JOB_NAME_LABELS[1]]) {
    if (!Object.hasOwn(written, key) || written[key] === expected[key]) continue;
    const detail =
      expected[key] === NEW_UID
        ? "must be the Job's uid, which the API server assigns when it creates the Job: leave this label out"
        : `must be '${name}' (the Job's name), which the API server sets it to: leave it out, or write '${name}'`;
    issues.add('invalid-value', 'error', [...TEMPLATE_LABELS, key], detail);
  }
  // The added uid requirement parses (a uid is a valid label value): the selector parses when the written one does.
  if (selector !== undefined && !selectorParses(selector)) return;
  const labels: Record<string, string> = { ...expected, ...written };
  const matchLabels: Record<string, string> = { [SELECTED_UID_LABEL]: NEW_UID, ...selector?.matchLabels };
  const generated = compileSelector({ matchLabels, matchExpressions: selector?.matchExpressions });
  if (!selectorMatches(generated, expected)) {
    issues.add(
      'invalid-value',
      'error',
      SELECTOR,
      '`selector` not auto-generated: without spec.manualSelector: true, the API server generates the selector, and one written here must select the job-name and controller-uid labels it adds; leave it out',
    );
  }
  if (!selectorMatches(generated, labels)) issues.add('invalid-value', 'error', TEMPLATE_LABELS, NOT_MATCHING);
}

/**
 * ValidateCronJobCreate, through ValidateJobTemplateSpec (pkg/apis/batch/validation/validation.go): the Jobs of a
 * CronJob always get generated selectors, so its job template may set no selector (whatever it holds) and not
 * `manualSelector: true`. Nothing else of the selector kind is checked when the CronJob is created: the labels of
 * its template are checked against each Job's name when its controller creates the Job.
 */
function validateCronJob(cronJob: CronJob, issues: ObjectIssues): void {
  const spec = cronJob.spec.jobTemplate.spec;
  const specPath = ['spec', 'jobTemplate', 'spec'];
  if (spec.selector !== undefined) {
    issues.add('invalid-value', 'error', [...specPath, 'selector'], "`selector` will be auto-generated: a CronJob's job template may not set it");
  }
  if (spec.manualSelector === true) {
    issues.add('invalid-value', 'error', [...specPath, 'manualSelector'], 'unsupported value true: supported values: "nil", "false"');
  }
  validatePodSpec(spec.template.spec, [...specPath, 'template', 'spec'], issues);
}

/**
 * Whether LabelSelectorAsSelector accepts the selector: every label and requirement valid (as ValidateLabelSelector
 * checks them, and validateLabels reports them).
 */
function selectorParses(selector: LabelSelector): boolean {
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined) {
    for (const key in matchLabels) {
      if (labelKeyProblems(key).length > 0 || labelValueProblems(matchLabels[key]!).length > 0) return false;
    }
  }
  if (matchExpressions !== undefined) {
    for (const { key, operator, values = [] } of matchExpressions) {
      if ((operator === 'In' || operator === 'NotIn') !== (values.length > 0)) return false;
      if (labelKeyProblems(key).length > 0 || values.some((value) => labelValueProblems(value).length > 0)) return false;
    }
  }
  return true;
}

function isEmpty(map: Labels): boolean {
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
}

const MAX_CALICO_PORT = 65535;

/** libcalico-go numorstring.PortFromString: a uint16, a range `min:max` of them, or a name of 1 to 128 of [a-zA-Z0-9_.-]. */
function calicoPortProblem(port: unknown): string | undefined {
  if (typeof port === 'number') {
    return Number.isInteger(port) && port >= 0 && port <= MAX_CALICO_PORT ? undefined : `port ${port} is not in 0..${MAX_CALICO_PORT}`;
  }
  if (typeof port !== 'string') return undefined;
  const range = /^(\d+)(?::(\d+))?$/.exec(port);
  if (range === null) return /^[a-zA-Z0-9_.-]{1,128}$/.test(port) ? undefined : `invalid name for named port (${port})`;
  const [min, max] = [Number(range[1]), Number(range[2] ?? range[1])];
  if (min > MAX_CALICO_PORT || max > MAX_CALICO_PORT) return `port ${port} is not in 0..${MAX_CALICO_PORT}`;
  return min > max ? `minimum port number (${min}) is greater than maximum port number (${max}) in port range` : undefined;
}

const CALICO_ENTITY_SELECTORS = [['selector'], ['notSelector'], ['namespaceSelector'], ['serviceAccounts', 'selector']];

/** Every field of a Calico policy that holds a selector expression. */
const CALICO_SELECTOR_PATTERNS = [
  ['spec', 'selector'],
  ['spec', 'serviceAccountSelector'],
  ['spec', 'namespaceSelector'],
  ...['ingress', 'egress'].flatMap((direction) =>
    ['source', 'destination'].flatMap((side) =>
      CALICO_ENTITY_SELECTORS.map((field) => ['spec', direction, '*', side, ...field]),
    ),
  ),
];

const CALICO_PORT_PATTERNS = ['ingress', 'egress'].flatMap((direction) =>
  ['source', 'destination'].flatMap((side) => ['ports', 'notPorts'].map((field) => ['spec', direction, '*', side, field, '*'])),
);

const CALICO_NET_PATTERNS = ['ingress', 'egress'].flatMap((direction) =>
  ['source', 'destination'].flatMap((side) => ['nets', 'notNets'].map((field) => ['spec', direction, '*', side, field, '*'])),
);

/** numorstring.Protocol: these names (and their lower-case forms) or a number 1..255. */
export const CALICO_PROTOCOL_NAMES = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'] as const;
const CALICO_PORTED_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'UDPLite', 6, 17, 132, 136];

/** The canonical protocol name or number, or undefined when Calico's validator rejects it. */
export function calicoProtocol(value: number | string): string | number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 255 ? value : undefined;
  return CALICO_PROTOCOL_NAMES.find((name) => name === value || name.toLowerCase() === value);
}

/** libcalico-go's ParseCIDROrIP: an address or an address with a prefix length (host bits allowed: Calico masks them). */
function calicoNetProblem(net: unknown): string | undefined {
  if (typeof net !== 'string') return undefined;
  if (net.includes('/') ? parseCidr(net) !== undefined : parseIp(net) !== undefined) return undefined;
  return `invalid CIDR or IP address "${net}"`;
}

/** Rule-level checks of libcalico-go's validator: protocol names, ports only with port protocols, icmp only with ICMP. */
function validateCalicoRules(policy: unknown, issues: ObjectIssues): void {
  for (const direction of ['ingress', 'egress']) {
    for (const match of expandPattern(policy, ['spec', direction, '*'])) {
      if (!isRecord(match.value)) continue;
      const rule = match.value;
      for (const field of ['protocol', 'notProtocol']) {
        const value = rule[field];
        if ((typeof value === 'number' || typeof value === 'string') && calicoProtocol(value) === undefined) {
          issues.add('invalid-value', 'error', [...match.path, field], `unsupported protocol ${JSON.stringify(value)}: use one of ${CALICO_PROTOCOL_NAMES.join(', ')} or a number 1..255`);
        }
      }
      const protocol = typeof rule.protocol === 'number' || typeof rule.protocol === 'string' ? calicoProtocol(rule.protocol) : undefined;
      for (const side of ['source', 'destination']) {
        const entity = rule[side];
        if (!isRecord(entity)) continue;
        for (const field of ['ports', 'notPorts']) {
          const ports = entity[field];
          if (Array.isArray(ports) && ports.length > 0 && (protocol === undefined || !CALICO_PORTED_PROTOCOLS.includes(protocol))) {
            issues.add('invalid-value', 'error', [...match.path, side, field], 'ports are only valid with protocol TCP, UDP, SCTP or UDPLite');
          }
        }
      }
      validateServiceMatches(rule, direction, match.path, issues);
      for (const field of ['icmp', 'notICMP']) {
        if (rule[field] !== undefined && protocol !== 'ICMP' && protocol !== 'ICMPv6' && protocol !== 1 && protocol !== 58) {
          issues.add('invalid-value', 'error', [...match.path, field], `${field} is only valid with protocol ICMP or ICMPv6`);
        }
      }
    }
  }
}

/**
 * libcalico-go's validator on `services`: a Service name; no other selector field nor nets beside it; no destination
 * ports beside a destination match (the endpoints' ports are used); only in an egress rule's destination or an
 * ingress rule's source.
 */
function validateServiceMatches(rule: Record<string, unknown>, direction: string, path: readonly (string | number)[], issues: ObjectIssues): void {
  for (const side of ['source', 'destination']) {
    const entity = rule[side];
    if (!isRecord(entity) || !isRecord(entity.services)) continue;
    const at = [...path, side, 'services'];
    const allowedSide = direction === 'egress' ? 'destination' : 'source';
    if (side !== allowedSide) {
      issues.add('invalid-value', 'error', at, `a service match is not allowed in the ${side} of an ${direction} rule (only in the ${allowedSide})`);
    }
    const name = entity.services.name;
    if (typeof name !== 'string' || name === '') issues.add('invalid-value', 'error', at, 'a service match must name a Service');
    const used = (field: string): boolean => {
      const value = entity[field];
      return Array.isArray(value) ? value.length > 0 : typeof value === 'string' ? value !== '' : value !== undefined && value !== null;
    };
    for (const field of ['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'nets', 'notNets']) {
      if (used(field)) issues.add('invalid-value', 'error', at, `${field} and services cannot be used on the same rule ${side}`);
    }
    if (side === 'destination') {
      for (const field of ['ports', 'notPorts']) {
        if (used(field)) issues.add('invalid-value', 'error', [...path, side, field], `${field} cannot be used with a destination service match: the Service's endpoint ports are used`);
      }
    }
  }
}

/** Calico's API server rejects a policy whose selector or port does not parse; a selector issue points at the offending character. */
function validateCalicoPolicy(policy: unknown, issues: ObjectIssues): void {
  validateCalicoRules(policy, issues);
  for (const pattern of CALICO_NET_PATTERNS) {
    for (const match of expandPattern(policy, pattern)) {
      const problem = calicoNetProblem(match.value);
      if (problem !== undefined) issues.add('invalid-value', 'error', match.path, problem);
    }
  }
  for (const pattern of CALICO_PORT_PATTERNS) {
    for (const match of expandPattern(policy, pattern)) {
      const problem = calicoPortProblem(match.value);
      if (problem !== undefined) issues.add('invalid-value', 'error', match.path, problem);
    }
  }
  const { document, text, basePath } = issues.source;
  for (const pattern of CALICO_SELECTOR_PATTERNS) {
    for (const match of expandPattern(policy, pattern)) {
      if (typeof match.value !== 'string') continue;
      const parsed = parseCalicoSelector(match.value);
      if (parsed.ok) continue;
      const node = findNode(document, [...basePath, ...match.path]);
      const range = node?.kind === 'scalar' ? selectorErrorRange(text, node, parsed.error) : rangeAt(document, [...basePath, ...match.path]);
      issues.addAt('invalid-value', 'error', match.path, `invalid selector: ${parsed.error.message}`, range);
    }
  }
}

function validateNetworkSet(set: unknown, issues: ObjectIssues): void {
  for (const match of expandPattern(set, ['spec', 'nets', '*'])) {
    const problem = calicoNetProblem(match.value);
    if (problem !== undefined) issues.add('invalid-value', 'error', match.path, problem);
  }
}

/**
 * ValidateEndpointSlice (pkg/apis/discovery/validation/validation.go): every endpoint has 1 to 100 addresses, each an
 * address of the slice's type that ValidateEndpointIP accepts (FQDN slices are not checked: kube-proxy ignores them);
 * ports have unique DNS label names, a supported protocol and, when given, a number 1..65535.
 */
function validateEndpointSlice(slice: EndpointSlice, issues: ObjectIssues): void {
  (slice.endpoints ?? []).forEach((endpoint, index) => {
    const path: FieldPath = ['endpoints', index, 'addresses'];
    if (endpoint.addresses.length === 0) issues.add('missing-field', 'error', path, 'must contain at least 1 address');
    else if (endpoint.addresses.length > MAX_SLICE_ADDRESSES) issues.add('invalid-value', 'error', path, `must have at most ${MAX_SLICE_ADDRESSES} addresses`);
    if (slice.addressType === 'FQDN') return;
    endpoint.addresses.forEach((address, k) => {
      const problem = endpointIpProblem(address, slice.addressType === 'IPv4' ? 4 : 6);
      if (problem !== undefined) issues.add('invalid-value', 'error', [...path, k], problem);
    });
  });
  validateEndpointPorts(slice.ports ?? [], ['ports'], false, issues);
}

/**
 * ValidateEndpoints (pkg/apis/core/validation/validation.go, validateEndpointSubsets): each subset has addresses or
 * notReadyAddresses, each an IP address ValidateEndpointIP accepts, and at least one port; a port's name is required
 * when the subset has more than one.
 */
function validateEndpoints(endpoints: Endpoints, issues: ObjectIssues): void {
  (endpoints.subsets ?? []).forEach((subset, index) => {
    const path: FieldPath = ['subsets', index];
    if ((subset.addresses ?? []).length === 0 && (subset.notReadyAddresses ?? []).length === 0) {
      issues.add('missing-field', 'error', path, 'must specify `addresses` or `notReadyAddresses`');
    }
    for (const field of ['addresses', 'notReadyAddresses'] as const) {
      (subset[field] ?? []).forEach((address: EndpointAddress, k) => {
        const problem = endpointIpProblem(address.ip, undefined);
        if (problem !== undefined) issues.add('invalid-value', 'error', [...path, field, k, 'ip'], problem);
      });
    }
    const ports = subset.ports ?? [];
    if (ports.length === 0) issues.add('missing-field', 'error', [...path, 'ports'], 'required field is missing');
    validateEndpointPorts(ports, [...path, 'ports'], true, issues);
  });
}

/** An EndpointSlice holds at most 100 addresses per endpoint (maxAddresses). */
const MAX_SLICE_ADDRESSES = 100;

/** Ports of an EndpointSlice or an Endpoints subset (Endpoints require the number, and a name beside other ports). */
function validateEndpointPorts(ports: readonly EndpointPort[], path: FieldPath, legacy: boolean, issues: ObjectIssues): void {
  const names = new Set<string>();
  ports.forEach((port, index) => {
    const at: FieldPath = [...path, index];
    const name = port.name ?? '';
    if (name === '') {
      if (legacy && ports.length > 1) issues.add('missing-field', 'error', [...at, 'name'], 'required field is missing (a subset with more than one port names each)');
    } else {
      const problems = dnsLabelProblems(name);
      if (problems.length > 0) issues.add('invalid-value', 'error', [...at, 'name'], `port name ${problems.join('; ')}`);
      if (names.has(name)) issues.add('duplicate-name', 'error', [...at, 'name'], `duplicate port name "${name}"`);
      names.add(name);
    }
    if (port.port === undefined) {
      if (legacy) issues.add('missing-field', 'error', [...at, 'port'], 'required field is missing');
    } else reportPortNumber(issues, [...at, 'port'], port.port);
    reportProtocol(issues, [...at, 'protocol'], port.protocol ?? 'TCP');
  });
}

/**
 * ValidateEndpointIP: an IP address (of the family asked for), neither unspecified, loopback (127.0.0.0/8, ::1),
 * link-local (169.254.0.0/16, fe80::/10) nor link-local multicast (224.0.0.0/24, ff02::/16).
 */
function endpointIpProblem(text: string, family: IpFamily | undefined): string | undefined {
  const ip = parseIp(text);
  if (ip === undefined) return `"${text}" must be a valid IP address`;
  if (family !== undefined && ip.family !== family) return `"${text}" must be an IPv${family} address, as the slice's addressType says`;
  const special = ip.family === 4 ? specialIpv4(ip.value) : specialIpv6(ip.value);
  return special === undefined ? undefined : `"${text}" may not be ${special}`;
}

function specialIpv4(value: bigint): string | undefined {
  if (value === 0n) return 'unspecified (0.0.0.0)';
  if (value >> 24n === 127n) return 'in the loopback range (127.0.0.0/8)';
  if (value >> 16n === 0xa9fen) return 'in the link-local range (169.254.0.0/16)';
  if (value >> 8n === 0xe00000n) return 'in the link-local multicast range (224.0.0.0/24)';
  return undefined;
}

function specialIpv6(value: bigint): string | undefined {
  if (value === 0n) return 'unspecified (::)';
  if (value === 1n) return 'the loopback address (::1)';
  if (value >> 118n === 0x3fan) return 'in the link-local range (fe80::/10)';
  if (((value >> 112n) & 0xff0fn) === 0xff02n) return 'in the link-local multicast range (ff02::/16)';
  return undefined;
}

/** Validates a decoded object: its name, its labels and selectors, and what its kind adds. */
export function validateObject<K extends KnownKind>(
  kind: K,
  value: KnownKinds[K],
  issues: ObjectIssues,
  written: WrittenObject,
): void {
  validateMetadata(kind, value.metadata, issues);
  validateLabels(kind, value, issues);
  const validator: Validator<KnownKinds[K]> = KIND_VALIDATORS[kind];
  validator(value, issues, written);
}

/** ValidateLabels on label maps, ValidateLabelSelector on selectors (values are strings by now). */
function validateLabels(kind: KnownKind, value: unknown, issues: ObjectIssues): void {
  const { labelMaps, matchLabels, matchExpressions } = labelLocations(kind);
  forEachMatchOfAll(value, labelMaps, issues, validateLabelMap);
  forEachMatchOfAll(value, matchLabels, issues, validateLabelMap);
  forEachMatchOfAll(value, matchExpressions, issues, validateRequirement);
}

function validateLabelMap(issues: ObjectIssues, map: unknown, path: FieldPath): void {
  if (!isRecord(map)) return;
  // for-in, not Object.entries: every object has a label map or two, and valid labels need no path.
  for (const key in map) {
    const labelValue = map[key];
    const keyProblems = labelKeyProblems(key);
    if (keyProblems.length > 0) reportLabel(issues, [...path, key], keyProblems, { key: true });
    const valueProblems = typeof labelValue === 'string' ? labelValueProblems(labelValue) : [];
    if (valueProblems.length > 0) reportLabel(issues, [...path, key], valueProblems);
  }
}

/** ValidateLabelSelectorRequirement. */
function validateRequirement(issues: ObjectIssues, requirement: unknown, path: FieldPath): void {
  if (!isRecord(requirement)) return;
  const { key, operator } = requirement;
  const values: unknown[] = Array.isArray(requirement.values) ? requirement.values : [];
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    issues.add(
      'invalid-label',
      'error',
      [...path, 'values'],
      `must be specified when operator is ${operator}`,
    );
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    issues.add(
      'invalid-label',
      'error',
      [...path, 'values'],
      `may not be specified when operator is ${operator}`,
    );
  }
  if (typeof key === 'string') {
    const problems = labelKeyProblems(key);
    if (problems.length > 0) reportLabel(issues, [...path, 'key'], problems);
  }
  for (let index = 0; index < values.length; index++) {
    const item = values[index];
    const problems = typeof item === 'string' ? labelValueProblems(item) : [];
    if (problems.length > 0) reportLabel(issues, [...path, 'values', index], problems);
  }
}

function reportLabel(
  issues: ObjectIssues,
  path: FieldPath,
  problems: readonly string[],
  options?: { key: boolean },
): void {
  if (problems.length === 0) return;
  const what = options?.key === true ? 'label key' : 'label value';
  issues.add('invalid-label', 'error', path, `${what} ${problems.join('; ')}`, options);
}

/**
 * validateContainerPorts, for every container and init container. Port names are unique per container (the API
 * rule); the same name and protocol in two containers of a pod is accepted, but makes a named port ambiguous: a
 * warning. The same name with another protocol is not (a named port resolves by name and protocol: FindPort in
 * pkg/api/v1/pod/util.go). Every workload passes here with a port or two: paths are made only for an issue.
 */
function validatePodSpec(spec: PodSpec, specPath: FieldPath, issues: ObjectIssues): void {
  /** The container of each port name of the pod (made at the first named port). */
  const podPortNames = new PodPortNames();
  validateContainerPorts(spec.containers, 'containers', specPath, podPortNames, issues);
  validateContainerPorts(spec.initContainers, 'initContainers', specPath, podPortNames, issues);
}

/** The first container naming each port name, per protocol, in a pod. */
class PodPortNames {
  private byName: Map<string, string> | undefined;

  containerOf(name: string, protocol: string): string | undefined {
    return this.byName?.get(`${protocol}/${name}`);
  }

  add(name: string, protocol: string, container: string): void {
    (this.byName ??= new Map()).set(`${protocol}/${name}`, container);
  }
}

function validateContainerPorts(
  containers: readonly ContainerSpec[] | undefined,
  group: string,
  specPath: FieldPath,
  podPortNames: PodPortNames,
  issues: ObjectIssues,
): void {
  if (containers === undefined) return;
  for (let containerIndex = 0; containerIndex < containers.length; containerIndex++) {
    const container = containers[containerIndex]!;
    const ports = container.ports;
    if (ports === undefined) continue;
    let containerNames: Set<string> | undefined;
    for (let portIndex = 0; portIndex < ports.length; portIndex++) {
      const port = ports[portIndex]!;
      if (port.name !== undefined && port.name !== '') {
        const problems = portNameProblems(port.name);
        if (problems.length > 0) {
          issues.add('invalid-value', 'error', portPath(specPath, group, containerIndex, portIndex, 'name'), `port name ${problems.join('; ')}`);
        } else if (containerNames?.has(port.name) === true) {
          issues.add(
            'duplicate-name',
            'error',
            portPath(specPath, group, containerIndex, portIndex, 'name'),
            `duplicate port name "${port.name}" in container "${container.name}"`,
          );
        } else {
          // Defaulting makes an empty protocol TCP.
          const protocol = port.protocol === undefined || port.protocol === '' ? 'TCP' : port.protocol;
          const other = podPortNames.containerOf(port.name, protocol);
          if (other !== undefined) {
            issues.add(
              'duplicate-name',
              'warning',
              portPath(specPath, group, containerIndex, portIndex, 'name'),
              `container "${other}" of this pod also has a ${protocol} port named "${port.name}": the named port is ambiguous`,
            );
          } else {
            podPortNames.add(port.name, protocol, container.name);
          }
          (containerNames ??= new Set()).add(port.name);
        }
      }
      if (portNumberProblem(port.containerPort) !== undefined)
        reportPortNumber(issues, portPath(specPath, group, containerIndex, portIndex, 'containerPort'), port.containerPort);
      if (port.hostPort !== undefined && port.hostPort !== 0 && portNumberProblem(port.hostPort) !== undefined)
        reportPortNumber(issues, portPath(specPath, group, containerIndex, portIndex, 'hostPort'), port.hostPort);
      // Defaulting turns an empty protocol into TCP before validation.
      if (port.protocol !== undefined && port.protocol !== '' && !isSupportedProtocol(port.protocol))
        reportProtocol(issues, portPath(specPath, group, containerIndex, portIndex, 'protocol'), port.protocol);
    }
  }
}

/** The path of a field of a container port (made only for an issue: a closure per port costs more than its checks). */
function portPath(specPath: FieldPath, group: string, containerIndex: number, portIndex: number, field: string): FieldPath {
  return [...specPath, group, containerIndex, 'ports', portIndex, field];
}

function reportPortNumber(issues: ObjectIssues, path: FieldPath, port: number): void {
  const problem = portNumberProblem(port);
  if (problem !== undefined) issues.add('invalid-value', 'error', path, `port ${port} ${problem}`);
}

function reportProtocol(issues: ObjectIssues, path: FieldPath, protocol: string): void {
  if (!isSupportedProtocol(protocol)) {
    issues.add(
      'invalid-value',
      'error',
      path,
      `protocol "${protocol}" is not supported: use ${PROTOCOLS.join(', ')}`,
    );
  }
}

/** ValidateNetworkPolicySpec (the selectors are checked with the other labels). */
function validateNetworkPolicy(policy: NetworkPolicy, issues: ObjectIssues): void {
  const { spec } = policy;
  const ingress = spec.ingress ?? [];
  for (let ruleIndex = 0; ruleIndex < ingress.length; ruleIndex++) {
    const rule = ingress[ruleIndex]!;
    validatePolicyRule(rule.ports, rule.from, ['spec', 'ingress', ruleIndex], 'from', issues);
  }
  const egress = spec.egress ?? [];
  for (let ruleIndex = 0; ruleIndex < egress.length; ruleIndex++) {
    const rule = egress[ruleIndex]!;
    validatePolicyRule(rule.ports, rule.to, ['spec', 'egress', ruleIndex], 'to', issues);
  }
  const policyTypes = spec.policyTypes ?? [];
  // The API server only limits the count: `[Ingress, Ingress]` is accepted, and means what `[Ingress]` does.
  if (policyTypes.length > 2) {
    issues.add(
      'invalid-value',
      'error',
      ['spec', 'policyTypes'],
      'may not specify more than two policyTypes',
    );
    return;
  }
  if (policyTypes.length === 2 && policyTypes[0] === policyTypes[1]) {
    issues.add('invalid-value', 'warning', ['spec', 'policyTypes', 1], `${policyTypes[1]} is listed twice`);
  }
}

/** The ports and peers of one rule, at `path` (loops, not forEach: every policy passes here). */
function validatePolicyRule(
  ports: readonly NetworkPolicyPort[] | undefined,
  peers: readonly NetworkPolicyPeer[] | undefined,
  path: FieldPath,
  peersKey: 'from' | 'to',
  issues: ObjectIssues,
): void {
  if (ports !== undefined)
    for (let index = 0; index < ports.length; index++) validatePolicyPort(ports[index]!, [...path, 'ports', index], issues);
  if (peers !== undefined)
    for (let index = 0; index < peers.length; index++) validatePeer(peers[index]!, [...path, peersKey, index], issues);
}

/** ValidateNetworkPolicyPort. Defaulting sets TCP only when `protocol` is absent: an empty one is rejected. */
function validatePolicyPort(port: NetworkPolicyPort, path: FieldPath, issues: ObjectIssues): void {
  if (port.protocol !== undefined && !isSupportedProtocol(port.protocol)) reportProtocol(issues, [...path, 'protocol'], port.protocol);
  if (port.port === undefined) {
    if (port.endPort !== undefined)
      issues.add('invalid-end-port', 'error', [...path, 'endPort'], 'may not be specified without port');
  } else if (typeof port.port === 'number') {
    if (portNumberProblem(port.port) !== undefined) reportPortNumber(issues, [...path, 'port'], port.port);
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) {
        issues.add(
          'invalid-end-port',
          'error',
          [...path, 'endPort'],
          `must be greater than or equal to port (${port.port})`,
        );
      }
      const problem = portNumberProblem(port.endPort);
      if (problem !== undefined)
        issues.add('invalid-end-port', 'error', [...path, 'endPort'], `endPort ${port.endPort} ${problem}`);
    }
  } else {
    if (port.endPort !== undefined) {
      issues.add(
        'invalid-end-port',
        'error',
        [...path, 'endPort'],
        `may not be specified when port is a name ("${port.port}")`,
      );
    }
    const problems = portNameProblems(port.port);
    if (problems.length > 0) {
      issues.add(
        'invalid-value',
        'error',
        [...path, 'port'],
        `port name "${port.port}" ${problems.join('; ')}`,
      );
    }
  }
}

/** ValidateNetworkPolicyPeer: at least one of the three; ipBlock only alone. */
function validatePeer(peer: NetworkPolicyPeer, path: FieldPath, issues: ObjectIssues): void {
  const count =
    (peer.podSelector === undefined ? 0 : 1) + (peer.namespaceSelector === undefined ? 0 : 1) + (peer.ipBlock === undefined ? 0 : 1);
  if (count === 0) {
    issues.add(
      'invalid-peer',
      'error',
      path,
      'must specify a peer: podSelector, namespaceSelector or ipBlock',
    );
  } else if (count > 1 && peer.ipBlock !== undefined) {
    issues.add('invalid-peer', 'error', path, 'may not specify both ipBlock and another peer');
  }
  if (peer.ipBlock !== undefined) validateIpBlock(peer.ipBlock, [...path, 'ipBlock'], issues);
}

/**
 * ValidateIPBlock. CIDRs are parsed leniently (the StrictIPCIDRValidation feature gate is alpha and off by
 * default), so host bits and leading zeros are only warnings. Each `except` must be a strict subset of `cidr`:
 * `!cidrIPNet.Contains(exceptCIDR.IP) || cidrMaskLen >= exceptMaskLen` is an error, so an except equal to the
 * cidr is rejected, and so is one of the other IP family.
 */
function validateIpBlock(block: IPBlock, path: FieldPath, issues: ObjectIssues): void {
  const cidr = parseCidrChecked(block.cidr, [...path, 'cidr'], issues);
  if (cidr === undefined) return;
  block.except?.forEach((text, index) => {
    const exceptPath = [...path, 'except', index];
    const except = parseCidrChecked(text, exceptPath, issues);
    if (except === undefined) return;
    if (!cidrContains(cidr, except.network) || cidr.prefixLength >= except.prefixLength) {
      issues.add(
        'except-outside-cidr',
        'error',
        exceptPath,
        `"${text}" must be a strict subset of cidr "${block.cidr}"`,
      );
    }
  });
}

function parseCidrChecked(text: string, path: FieldPath, issues: ObjectIssues): ParsedCidr | undefined {
  if (text === '') {
    issues.add('invalid-cidr', 'error', path, 'must not be empty');
    return undefined;
  }
  const cidr = parseCidrSloppy(text);
  if (cidr === undefined) {
    issues.add(
      'invalid-cidr',
      'error',
      path,
      `"${text}" is not a valid CIDR (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    );
    return undefined;
  }
  if (cidr.ip.some((byte, index) => byte !== cidr.network[index])) {
    issues.add(
      'invalid-cidr',
      'warning',
      path,
      `"${text}" has bits set beyond the prefix length: it means ${formatNetwork(cidr)}`,
    );
  } else if (cidr.leadingZeros || cidr.ipv4Mapped) {
    issues.add(
      'invalid-cidr',
      'warning',
      path,
      `"${text}" is not in standard form (leading zeros or an IPv4-mapped address): write ${formatNetwork(cidr)}`,
    );
  }
  return cidr;
}
