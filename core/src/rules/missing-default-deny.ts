// missing-default-deny: a namespace where some workload is selected by no policy, so every source may reach it.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import type { Workload } from '../model/cluster.js';
import type { Direction } from '../semantics/policy-ir.js';
import { classView, formatList } from './rule-support.js';

export default createRule({
  meta: {
    id: 'missing-default-deny',
    category: 'over-permissive',
    defaultSeverity: 'warning',
    description:
      'A namespace where some workload is not isolated for ingress (or egress) by any NetworkPolicy (or Calico policy)',
    messages: {
      ingress:
        'namespace {{namespace}} has no default-deny ingress policy: no policy isolates {{workloads}} for ingress',
      egress:
        'namespace {{namespace}} has no default-deny egress policy: no policy isolates {{workloads}} for egress',
    },
  },
  options: z.strictObject({
    /** Also require every workload to be isolated for egress. */
    egress: z.boolean().default(false),
    /** Namespaces to leave alone: system namespaces run components that policies usually do not cover. */
    ignoreNamespaces: z.array(z.string()).default(['kube-system', 'kube-public', 'kube-node-lease']),
  }),
  check({ analysis, options, inScope, report }) {
    const { model, result } = analysis;
    const view = classView(result);
    const directions: Direction[] = options.egress ? ['ingress', 'egress'] : ['ingress'];
    for (const namespace of model.namespaces) {
      if (options.ignoreNamespaces.includes(namespace.name)) continue;
      // Semantics point 9: policies cannot isolate hostNetwork pods, so a default deny would not cover them either.
      const workloads = view.workloadsIn(namespace.name).filter((w) => !w.hostNetwork);
      // A finding is located at the Namespace object, or where there is none at one of the workloads.
      if (namespace.location === undefined ? !workloads.some((w) => inScope(w.location.file)) : !inScope(namespace.location.file)) continue;
      for (const direction of directions) {
        // Semantics point 2: isolated in a direction iff some policy of its namespace selects it with that direction;
        // under Calico's tiers, iff a tier that drops what its rules leave undecided applies to it.
        const open = workloads.filter((w) => !result.isolates(direction, w));
        const first = open[0];
        if (first === undefined) continue;
        report({
          messageId: direction,
          data: { namespace: namespace.name, workloads: formatList(open.map(shortName)) },
          location: namespace.location ?? first.location,
          related: open.map((w) => ({
            location: w.location,
            message: `${w.id} is not isolated for ${direction}`,
          })),
        });
      }
    }
  },
});

/** `web[Deployment]`: the id without the namespace the message already names. */
function shortName(workload: Workload): string {
  return workload.id.slice(workload.namespace.length + 1);
}
