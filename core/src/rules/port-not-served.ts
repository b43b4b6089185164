// port-not-served: a rule port that no container of the rule's destination workloads exposes.
import { z } from 'zod';
import type { ConnectivityResult } from '../engine/connectivity.js';
import { createRule } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import type { CompiledPolicy, PolicyRule } from '../semantics/policy-ir.js';
import { formatList, formatPortSpec, ruleLabel, workloadIndex, type WorkloadIndex } from './rule-support.js';

export default createRule({
  meta: {
    id: 'port-not-served',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A rule port, number, range or name, that no container of the destination workloads exposes',
    messages: {
      numberNotServed: '{{port}} in {{rule}} is not served: no container of {{destinations}} exposes it (declared: {{declared}})',
      nameNotServed:
        'named port {{name}} in {{rule}} matches nothing: no container of {{destinations}} has a {{protocol}} port named {{name}} (named ports: {{declared}})',
    },
  },
  options: z.strictObject({
    /** When false, a number or range is not checked if some destination declares no container port at all. */
    requireDeclaredPorts: z.boolean().default(false),
  }),
  check({ analysis, options, report }) {
    const { model, result } = analysis;
    const index = workloadIndex(model);
    for (const policy of model.policies) {
      for (const rule of [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])]) {
        if (rule.ports.kind === 'any') continue;
        const { destinations, maybeExternal } = destinationsOf(policy, rule, result, index);
        if (destinations.length === 0) continue;
        const names = formatList(destinations.map((w) => w.id));
        for (const spec of rule.ports.ports) {
          const { match, protocol } = spec;
          const base = { rule: ruleLabel(policy, rule), destinations: names };
          if (match.kind === 'named') {
            // Only declared ports have names, so a workload without declared ports never serves a named port.
            if (destinations.some((w) => w.ports.some((p) => p.name === match.name && p.protocol === protocol))) continue;
            const declared = unique(
              destinations.flatMap((w) => w.ports.flatMap((p) => (p.name === undefined ? [] : [`${p.name} (${p.protocol} ${p.port})`]))),
            );
            report({
              messageId: 'nameNotServed',
              data: { ...base, name: match.name, protocol, declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
              location: spec.location,
            });
          } else if (match.kind === 'range') {
            // An external address may serve any number; a workload that declares no port may listen on any.
            if (maybeExternal) continue;
            if (!options.requireDeclaredPorts && destinations.some((w) => w.ports.length === 0)) continue;
            const served = destinations.some((w) =>
              w.ports.some((p) => p.protocol === protocol && match.start <= p.port && p.port <= match.end),
            );
            if (served) continue;
            const declared = unique(destinations.flatMap((w) => w.ports.map((p) => `${p.protocol} ${p.port}`)));
            report({
              messageId: 'numberNotServed',
              data: { ...base, port: formatPortSpec(spec), declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
              location: spec.location,
            });
          }
        }
      }
    }
  },
});

/**
 * The workloads a rule's ports apply to: the pods the policy selects for an ingress rule, the
 * pods the rule's peers match for an egress rule (semantics point 6). `maybeExternal` when an
 * egress rule also reaches addresses outside the manifests (no `to`, or an ipBlock).
 */
function destinationsOf(
  policy: CompiledPolicy,
  rule: PolicyRule,
  result: ConnectivityResult,
  index: WorkloadIndex,
): { destinations: readonly Workload[]; maybeExternal: boolean } {
  if (rule.direction === 'ingress') return { destinations: index.selectedBy(policy), maybeExternal: false };
  const destinations = result.peersMatchedBy(rule).flatMap((e) => (e.kind === 'workload' ? [e.workload] : []));
  const maybeExternal = rule.peers.kind === 'any' || rule.peers.peers.some((p) => p.kind === 'ipBlock');
  return { destinations, maybeExternal };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
