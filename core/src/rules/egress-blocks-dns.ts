// egress-blocks-dns: an egress-isolated workload that cannot reach cluster DNS on UDP and TCP 53.
import { createRule, type Fix } from '../lint/types.js';
import type { Analysis } from '../analyze.js';
import type { WorkloadClass } from '../engine/classes.js';
import type { PathEndpoint } from '../engine/services.js';
import { findNode } from '../manifest/index.js';
import type { Workload } from '../model/cluster.js';
import type { CompiledPolicy } from '../semantics/policy-ir.js';
import type { Labels } from '../semantics/label-selector.js';
import { cached, classView, formatList, networkPolicyObject } from './rule-support.js';
import { componentOptions, servicesOf, shortId } from './service-support.js';

const DNS_PORT = 53;
const DNS_PROTOCOLS = ['UDP', 'TCP'] as const;

/** Workloads isolated by the same egress policies that miss the same DNS protocols: one finding. */
interface Group {
  readonly policies: readonly CompiledPolicy[];
  readonly missing: readonly string[];
  readonly workloads: Workload[];
}

export default createRule({
  meta: {
    id: 'egress-blocks-dns',
    category: 'unreachable',
    defaultSeverity: 'error',
    description: 'An egress-isolated workload that cannot reach cluster DNS on UDP and TCP 53',
    messages: {
      blocked:
        '{{workloads}} cannot reach cluster DNS ({{dns}}) on {{missing}}: egress is isolated by {{policies}} and no rule allows it, so Service names do not resolve',
    },
    fixable: true,
  },
  options: componentOptions,
  check({ analysis, options, inScope, report }) {
    const layer = servicesOf(analysis, options);
    const dns = layer.clusterDns;
    const groups = new Map<string, Group>();
    const view = classView(analysis.result);
    const missingFor = (workloadClass: WorkloadClass): string[] => {
      const endpoint = layer.endpoint(workloadClass.representative);
      // DNS pods in the manifests are asked through the class view, which other rules share; a virtual DNS
      // endpoint (settings, or no DNS in the input) through the service layer.
      const reach = (d: PathEndpoint) =>
        d.kind === 'workload' ? view.allowed(workloadClass, analysis.result.classOfWorkload(d.workload)) : layer.reach(endpoint, d);
      // What the NetworkPolicies alone allow toward DNS pods: where they allow it and a Calico or admin tier above them
      // denies it, adding a rule to the policies (this rule's fix) changes nothing, and no rule is missing.
      const networkPoliciesReach = (d: PathEndpoint & { kind: 'workload' }) => {
        const own = view.endpoint(workloadClass.representative);
        const server = view.endpoint(d.workload);
        const { result } = analysis;
        return result
          .networkPolicySide('egress', own, server)
          .connections.intersect(result.networkPolicySide('ingress', server, own).connections);
      };
      const blocked = (protocol: (typeof DNS_PROTOCOLS)[number]) =>
        !dns.some((d) => reach(d).allows(protocol, DNS_PORT) || (d.kind === 'workload' && networkPoliciesReach(d).allows(protocol, DNS_PORT)));
      return DNS_PROTOCOLS.filter(blocked).map((p) => `${p} ${DNS_PORT}`);
    };
    const dnsWorkloads = new Set(dns.flatMap((d) => (d.kind === 'workload' ? [d.workload] : [])));
    // Members of a class share their egress policies and get identical verdicts: DNS is asked once per class, of its
    // representative, and the class's workloads join one group (null: no finding).
    const groupOf = new Map<WorkloadClass, Group | null>();
    const groupFor = (workloadClass: WorkloadClass): Group | null => {
      const policies = analysis.result.policiesSelecting(workloadClass.representative).egress;
      // Semantics point 20: only egress isolation can block DNS. A group's finding is located at its first policy,
      // which all its workloads share.
      if (policies.length === 0 || !inScope(policies[0]!.location.file)) return null;
      const missing = missingFor(workloadClass);
      if (missing.length === 0) return null;
      return cached(groups, `${policies.map((p) => p.id).join('|')}\0${missing.join(',')}`, () => ({ policies, missing, workloads: [] }));
    };
    for (const { workload } of analysis.result.workloads) {
      // Cluster DNS itself is left alone.
      if (dnsWorkloads.has(workload)) continue;
      const workloadClass = analysis.result.classOfWorkload(workload);
      cached(groupOf, workloadClass, () => groupFor(workloadClass))?.workloads.push(workload);
    }
    for (const { policies, missing, workloads } of groups.values()) {
      const first = policies[0]!;
      report({
        messageId: 'blocked',
        data: {
          workloads: formatList(workloads.map((w) => w.id)),
          dns: formatList(dns.map((d) => d.id)),
          missing: missing.join(' and '),
          policies: formatList(policies.map((p) => p.id)),
        },
        location: first.egress!.location,
        related: [
          ...workloads.map((w) => ({ location: w.location, message: `${shortId(w)} is isolated for egress` })),
          ...dns.flatMap((d) => (d.kind === 'workload' ? [{ location: d.workload.location, message: `cluster DNS runs in ${d.id}` }] : [])),
        ],
        fix: addDnsRule(analysis, first, dns),
      });
    }
  },
});

/** Appends a DNS egress rule to the policy's block-style `spec.egress` list; no fix for other layouts. */
function addDnsRule(analysis: Analysis, policy: CompiledPolicy, dns: readonly PathEndpoint[]): Fix | undefined {
  const object = networkPolicyObject(analysis.load, policy);
  const text = analysis.load.sources.get(policy.location.file)?.text;
  if (object === undefined || text === undefined) return undefined;
  const egress = findNode(object.document, [...object.basePath, 'spec', 'egress']);
  const last = egress?.kind === 'sequence' ? egress.items.at(-1) : undefined;
  if (last === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', last.range.start - 1) + 1;
  const dash = /^( *)- /.exec(text.slice(lineStart, last.range.start + 1));
  if (dash === null) return undefined;
  const target = dnsTarget(dns);
  const pad = dash[1]!;
  const labels = Object.entries(target.labels).map(([k, v]) => `${pad}          ${k}: ${v}`);
  const lines = [
    `${pad}- to:`,
    `${pad}    - namespaceSelector:`,
    `${pad}        matchLabels:`,
    `${pad}          kubernetes.io/metadata.name: ${target.namespace}`,
    ...(labels.length === 0 ? [] : [`${pad}      podSelector:`, `${pad}        matchLabels:`, ...labels]),
    `${pad}  ports:`,
    `${pad}    - protocol: UDP`,
    `${pad}      port: 53`,
    `${pad}    - protocol: TCP`,
    `${pad}      port: 53`,
  ];
  const end = text.indexOf('\n', Math.max(last.range.end - 1, lineStart));
  const at = end < 0 ? text.length : end;
  return {
    description: `allow egress to cluster DNS (${target.namespace}) on UDP and TCP 53 in ${policy.id}`,
    edits: [{ file: policy.location.file, range: { start: at, end: at }, newText: `\n${lines.join('\n')}` }],
  };
}

/** The namespace and labels a DNS rule should name: the DNS pods' `k8s-app` label, or the virtual endpoint's labels. */
function dnsTarget(dns: readonly PathEndpoint[]): { namespace: string; labels: Labels } {
  const first = dns[0];
  if (first?.kind === 'workload') {
    const app = first.workload.labels['k8s-app'];
    return { namespace: first.workload.namespace, labels: app === undefined ? {} : { 'k8s-app': app } };
  }
  if (first?.kind === 'virtual' && first.namespace !== undefined) return { namespace: first.namespace, labels: first.labels ?? {} };
  return { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
}
