// port-not-served: a rule port that no container of the rule's destination workloads exposes.
import { z } from 'zod';
import type { WorkloadClass } from '../engine/classes.js';
import { createRule } from '../lint/types.js';
import type { ContainerPort, Workload } from '../model/cluster.js';
import type { CompiledPolicy, PolicyRule } from '../semantics/policy-ir.js';
import { cached, classView, formatList, formatPortSpec, ruleLabel, type ClassGroup, type ClassView } from './rule-support.js';

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
  check({ analysis, options, inScope, report }) {
    const { model, result } = analysis;
    const view = classView(result);
    const portsOfClass = new Map<WorkloadClass, DeclaredPorts>();
    // A class's members declare the same named ports but may declare different numbers: numbers are kept per class.
    const portsOf = (group: ClassGroup): DeclaredPorts =>
      group.members === group.workloadClass.members
        ? cached(portsOfClass, group.workloadClass, () => declaredPorts(group.members))
        : declaredPorts(group.members);
    for (const policy of model.policies) {
      if (!inScope(policy.location.file)) continue;
      for (const rule of [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])]) {
        if (rule.ports.kind === 'any') continue;
        const { groups, maybeExternal, order } = destinationsOf(policy, rule, view);
        if (groups.length === 0) continue;
        const destinations = (): Workload[] => order(groups.flatMap((g) => g.members));
        const ports = groups.map(portsOf);
        for (const spec of rule.ports.ports) {
          const { match, protocol } = spec;
          const base = () => ({ rule: ruleLabel(policy, rule), destinations: formatList(destinations().map((w) => w.id)) });
          if (match.kind === 'named') {
            // Only declared ports have names, so a workload without declared ports never serves a named port.
            if (ports.some((p) => p.list.some((port) => port.name === match.name && port.protocol === protocol))) continue;
            const declared = unique(
              destinations().flatMap((w) => w.ports.flatMap((p) => (p.name === undefined ? [] : [`${p.name} (${p.protocol} ${p.port})`]))),
            );
            report({
              messageId: 'nameNotServed',
              data: { ...base(), name: match.name, protocol, declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
              location: spec.location,
            });
          } else if (match.kind === 'range') {
            // An external address may serve any number; a workload that declares no port may listen on any.
            if (maybeExternal) continue;
            if (!options.requireDeclaredPorts && ports.some((p) => p.somePortless)) continue;
            const served = ports.some((p) =>
              p.list.some((port) => port.protocol === protocol && match.start <= port.port && port.port <= match.end),
            );
            if (served) continue;
            const declared = unique(destinations().flatMap((w) => w.ports.map((p) => `${p.protocol} ${p.port}`)));
            report({
              messageId: 'numberNotServed',
              data: { ...base(), port: formatPortSpec(spec), declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
              location: spec.location,
            });
          }
        }
      }
    }
  },
});

/** The container ports some member of a group declares, and whether some member declares none. */
interface DeclaredPorts {
  readonly list: readonly ContainerPort[];
  readonly somePortless: boolean;
}

function declaredPorts(members: readonly Workload[]): DeclaredPorts {
  const seen = new Map<string, ContainerPort>();
  for (const w of members) for (const p of w.ports) seen.set(`${p.name ?? ''}|${p.protocol}|${p.port}`, p);
  return { list: [...seen.values()], somePortless: members.some((w) => w.ports.length === 0) };
}

/**
 * The workloads a rule's ports apply to: the pods the policy selects for an ingress rule (listed by id), the
 * pods the rule's peers match for an egress rule (semantics point 6; listed in the engine's endpoint order).
 * `maybeExternal` when an egress rule also reaches addresses outside the manifests (no `to`, or an ipBlock).
 */
function destinationsOf(
  policy: CompiledPolicy,
  rule: PolicyRule,
  view: ClassView,
): { groups: readonly ClassGroup[]; maybeExternal: boolean; order: (workloads: Workload[]) => Workload[] } {
  if (rule.direction === 'ingress') return { groups: view.groupsSelectedBy(policy), maybeExternal: false, order: view.byId };
  const maybeExternal = rule.peers.kind === 'any' || rule.peers.peers.some((p) => p.kind === 'ipBlock');
  return { groups: view.ruleMatches(rule).groups, maybeExternal, order: view.inModelOrder };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
