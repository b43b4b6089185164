// egress-blocks-dns: an egress-isolated workload that cannot reach cluster DNS on UDP and TCP 53.
import { createRule, lineBreakOf, lineEndAt, type Fix } from '../lint/types.js';
import type { Analysis } from '../analyze.js';
import type { WorkloadClass } from '../engine/classes.js';
import type { SideDenial } from '../engine/connectivity.js';
import type { PathEndpoint, PathSide } from '../engine/services.js';
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
  /** Empty when the egress blocks DNS; otherwise what on the DNS pods' ingress denies it (their egress allows it). */
  readonly deniedBy: readonly SideDenial[];
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
      ingressDenies:
        '{{workloads}} cannot reach cluster DNS ({{dns}}) on {{missing}}: their egress allows it, but the ingress of cluster DNS does not admit them ({{deniers}}), so Service names do not resolve',
    },
    fixable: true,
  },
  options: componentOptions,
  check({ analysis, options, inScope, report }) {
    const layer = servicesOf(analysis, options);
    const dns = layer.clusterDns;
    const groups = new Map<string, Group>();
    const view = classView(analysis.result);
    const missingFor = (workloadClass: WorkloadClass): Omit<Group, 'policies' | 'workloads'> | null => {
      const endpoint = layer.endpoint(workloadClass.representative);
      const { result } = analysis;
      const own = view.endpoint(workloadClass.representative);
      // DNS pods in the manifests are asked through the class view, which other rules share; a virtual DNS
      // endpoint (settings, or no DNS in the input) through the service layer, which walks every tier with what is known
      // of it (its verdict holds wherever it runs).
      const egress = (d: PathEndpoint) =>
        d.kind === 'workload' ? view.sideAllowed('egress', workloadClass, result.classOfWorkload(d.workload)) : layer.side('egress', endpoint, d).connections;
      const path = (d: PathEndpoint) =>
        d.kind === 'workload' ? view.allowed(workloadClass, result.classOfWorkload(d.workload)) : layer.reach(endpoint, d);
      // What the NetworkPolicies alone allow: where they allow it and a Calico or admin tier above them denies it,
      // adding a rule to the policies (this rule's fix) changes nothing, and no rule is missing.
      const networkPolicies = (d: PathEndpoint, direction: 'egress' | 'path') => {
        if (d.kind !== 'workload') {
          const alone = (side: PathSide) => side.networkPolicyConnections ?? side.connections;
          const out = alone(layer.side('egress', endpoint, d));
          return direction === 'egress' ? out : out.intersect(alone(layer.side('ingress', d, endpoint)));
        }
        const server = view.endpoint(d.workload);
        const out = result.networkPolicySide('egress', own, server).connections;
        return direction === 'egress' ? out : out.intersect(result.networkPolicySide('ingress', server, own).connections);
      };
      const reaches = (protocol: (typeof DNS_PROTOCOLS)[number], side: 'egress' | 'path') =>
        dns.some((d) => (side === 'egress' ? egress(d) : path(d)).allows(protocol, DNS_PORT) || networkPolicies(d, side).allows(protocol, DNS_PORT));
      const byEgress = DNS_PROTOCOLS.filter((p) => !reaches(p, 'egress'));
      if (byEgress.length > 0) return { missing: byEgress.map((p) => `${p} ${DNS_PORT}`), deniedBy: [] };
      // The egress allows DNS: what still blocks it is the DNS pods' ingress, whose denials findings point at.
      const byIngress = DNS_PROTOCOLS.filter((p) => !reaches(p, 'path'));
      if (byIngress.length === 0) return null;
      const deniedBy = new Map<string, SideDenial>();
      for (const d of dns) {
        const denials = d.kind === 'workload' ? view.sideDenials('ingress', result.classOfWorkload(d.workload), workloadClass) : layer.sideDenials('ingress', d, endpoint);
        for (const denial of denials) {
          if (byIngress.some((p) => denial.connections.allows(p, DNS_PORT))) deniedBy.set(`${denial.how}\0${denial.policy}`, denial);
        }
      }
      return { missing: byIngress.map((p) => `${p} ${DNS_PORT}`), deniedBy: [...deniedBy.values()] };
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
      const found = missingFor(workloadClass);
      if (found === null) return null;
      const { missing, deniedBy } = found;
      const key = `${policies.map((p) => p.id).join('|')}\0${missing.join(',')}\0${deniedBy.map((d) => d.policy).join('|')}`;
      return cached(groups, key, () => ({ policies, missing, deniedBy, workloads: [] }));
    };
    for (const { workload } of analysis.result.workloads) {
      // Cluster DNS itself is left alone, and so are pods that do not query it (dnsPolicy Default or None, or a
      // hostNetwork pod on ClusterFirst).
      if (dnsWorkloads.has(workload) || !workload.usesClusterDns) continue;
      const workloadClass = analysis.result.classOfWorkload(workload);
      cached(groupOf, workloadClass, () => groupFor(workloadClass))?.workloads.push(workload);
    }
    for (const { policies, missing, deniedBy, workloads } of groups.values()) {
      const first = policies[0]!;
      const data = {
        workloads: formatList(workloads.map((w) => w.id)),
        dns: formatList(dns.map((d) => d.id)),
        missing: missing.join(' and '),
        policies: formatList(policies.map((p) => p.id)),
      };
      const related = [
        ...workloads.map((w) => ({ location: w.location, message: `${shortId(w)} is isolated for egress` })),
        ...dns.flatMap((d) => (d.kind === 'workload' ? [{ location: d.workload.location, message: `cluster DNS runs in ${d.id}` }] : [])),
      ];
      if (deniedBy.length === 0) {
        report({ messageId: 'blocked', data, location: first.egress!.location, related, fix: dnsRuleFix(analysis, policies, dns) });
        continue;
      }
      // Their egress allows DNS: a rule added to it changes nothing, the DNS pods' ingress must admit them.
      report({
        messageId: 'ingressDenies',
        data: { ...data, deniers: formatList(deniedBy.map((d) => d.policy)) },
        location: first.egress!.location,
        related: [
          ...deniedBy.map((d) => ({
            location: d.location,
            message: d.how === 'isolates' ? `${d.policy} isolates the ingress of cluster DNS and does not admit them` : `a rule of ${d.policy} denies them`,
          })),
          ...related,
        ],
      });
    }
  },
});

/**
 * A DNS rule added to the first isolating policy whose `spec.egress` can take one (a block-style list): the policy
 * that already lists what these workloads may reach, where a user adds DNS, rather than a default deny without rules.
 */
function dnsRuleFix(analysis: Analysis, policies: readonly CompiledPolicy[], dns: readonly PathEndpoint[]): Fix | undefined {
  for (const policy of policies) {
    const fix = addDnsRule(analysis, policy, dns);
    if (fix !== undefined) return fix;
  }
  return undefined;
}

/** Appends a DNS egress rule to the policy's block-style `spec.egress` list, in the file's line breaks; no fix for other layouts. */
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
  const at = lineEndAt(text, Math.max(last.range.end - 1, lineStart));
  const lineBreak = lineBreakOf(text);
  return {
    description: `allow egress to cluster DNS (${target.namespace}) on UDP and TCP 53 in ${policy.id}`,
    edits: [{ file: policy.location.file, range: { start: at, end: at }, newText: `${lineBreak}${lines.join(lineBreak)}` }],
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
