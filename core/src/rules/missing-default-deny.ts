// missing-default-deny: a namespace where some workload is selected by no policy, nor denied by default by a tier, so every source may reach it.
import { z } from 'zod';
import { AdminConnectivityResult } from '../admin/evaluate.js';
import { CalicoConnectivityResult } from '../calico/evaluate.js';
import { createRule } from '../lint/types.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import { servicesOf } from './service-support.js';
import type { Workload } from '../model/cluster.js';
import type { Direction } from '../semantics/policy-ir.js';
import { classView, formatList } from './rule-support.js';

export default createRule({
  meta: {
    id: 'missing-default-deny',
    category: 'over-permissive',
    defaultSeverity: 'warning',
    description:
      'A namespace where some workload is not isolated for ingress (or egress) by any NetworkPolicy (or denied by default by a Calico or admin tier)',
    messages: {
      ingress:
        'namespace {{namespace}} has no default-deny ingress policy: no policy isolates {{workloads}} for ingress',
      egress:
        'namespace {{namespace}} has no default-deny egress policy: no policy isolates {{workloads}} for egress',
      ingressPassed:
        'namespace {{namespace}} has no default-deny ingress policy: no tier denies {{workloads}} by default the ingress its rules leave undecided',
      egressPassed:
        'namespace {{namespace}} has no default-deny egress policy: no tier denies {{workloads}} by default the egress its rules leave undecided',
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
    // The tiers' walk of the service layer, where tiers besides the NetworkPolicies' may deny by default.
    const layer = result instanceof AdminConnectivityResult || result instanceof CalicoConnectivityResult ? servicesOf(analysis, {}) : undefined;
    for (const namespace of model.namespaces) {
      if (options.ignoreNamespaces.includes(namespace.name)) continue;
      // Semantics point 9: policies cannot isolate hostNetwork pods, so a default deny would not cover them either.
      const workloads = view.workloadsIn(namespace.name).filter((w) => !w.hostNetwork);
      // A finding is located at the Namespace object, or where there is none at one of the workloads.
      if (namespace.location === undefined ? !workloads.some((w) => inScope(w.location.file)) : !inScope(namespace.location.file)) continue;
      for (const direction of directions) {
        // Semantics point 2: isolated in a direction iff some policy of its namespace selects it with that direction;
        // under Calico's tiers, iff a tier that drops what its rules leave undecided applies to it. Admin and Calico
        // tiers may also deny by default with a rule denying every pod (a BaselineAdminNetworkPolicy denying
        // `namespaces: {}`, a Calico `action: Deny` closing a policy): such a workload is not missing a default deny.
        const open = workloads.flatMap((w) => {
          if (result.isolates(direction, w)) return [];
          if (layer === undefined) return [{ workload: w, governed: false, fallsThrough: ConnectionSet.ALL }];
          const verdict = layer.defaultVerdict(direction, layer.endpoint(w));
          return verdict.fallsThrough.isEmpty ? [] : [{ workload: w, ...verdict }];
        });
        const first = open[0];
        if (first === undefined) continue;
        const governed = open.some((o) => o.governed);
        report({
          messageId: governed ? (direction === 'ingress' ? 'ingressPassed' : 'egressPassed') : direction,
          data: { namespace: namespace.name, workloads: formatList(open.map((o) => shortName(o.workload))) },
          location: namespace.location ?? first.workload.location,
          related: open.map(({ workload, governed, fallsThrough }) => ({
            location: workload.location,
            message: governed
              ? `policies apply to ${workload.id} for ${direction}, but what no rule names gets through every tier on ${fallsThrough.toString()}`
              : `${workload.id} is not isolated for ${direction}`,
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
