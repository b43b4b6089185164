// external-ipblock-snat: an ingress ipBlock (or Calico `nets`) for outside clients on a workload reached through NodePort or LoadBalancer with externalTrafficPolicy Cluster.
import { CalicoConnectivityResult, ruleProtocolConnections } from '../calico/evaluate.js';
import type { Cidr } from '../semantics/ip.js';
import { createRule } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import type { Workload } from '../model/cluster.js';
import type { ServiceInfo } from '../model/services.js';
import type { PortProtocol } from '../semantics/connection-set.js';
import { resolvePorts } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { ruleLabel } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

/** Semantics point 8: a block of the whole address space still admits the node; any narrower one is a client filter that cannot work. */
function filtersClients(cidrs: readonly Cidr[], excepted: readonly Cidr[]): Cidr | undefined {
  return excepted[0] ?? cidrs.find((cidr) => cidr.prefixLength !== 0);
}

export default createRule({
  meta: {
    id: 'external-ipblock-snat',
    category: 'correctness',
    defaultSeverity: 'warning',
    description:
      'An ingress ipBlock (or Calico nets) on a workload reached through a NodePort or LoadBalancer Service with externalTrafficPolicy Cluster, where the pod sees a node address instead of the client',
    messages: {
      snat: 'ipBlock {{cidr}} in {{rule}} cannot see outside clients of Service {{service}} ({{type}}, externalTrafficPolicy {{policy}}): their traffic reaches {{workload}} from a node address after SNAT',
      snatNets:
        '{{field}} {{cidr}} in {{rule}} cannot see outside clients of Service {{service}} ({{type}}, externalTrafficPolicy {{policy}}): their traffic reaches {{workload}} from a node address after SNAT',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const { result } = analysis;
    const reported = new Set<SourceLocation>();
    const flag = (messageId: 'snat' | 'snatNets', location: SourceLocation, data: Record<string, string>, service: ServiceInfo, workload: Workload): void => {
      if (reported.has(location)) return;
      reported.add(location);
      report({
        messageId,
        data: { ...data, service: service.id, type: service.type, policy: service.externalTrafficPolicy ?? '', workload: workload.id },
        location,
        related: [{ location: service.locate(['spec', 'type']), message: `Service ${service.id} is a ${service.type} with externalTrafficPolicy ${service.externalTrafficPolicy ?? ''}` }],
      });
    };
    for (const service of servicesOf(analysis, options).services) {
      if (service.externalTrafficPolicy !== 'Cluster') continue;
      for (const port of service.ports) {
        for (const { workload, targetPort } of port.backends) {
          if (targetPort === undefined) continue;
          for (const policy of result.policiesSelecting(workload).ingress) {
            for (const rule of policy.ingress!.rules) {
              if (rule.peers.kind !== 'list' || !resolvePorts(rule.ports, namedPortTable(workload)).allows(port.protocol, targetPort)) continue;
              for (const peer of rule.peers.peers) {
                if (peer.kind !== 'ipBlock' || filtersClients([peer.cidr], peer.except) === undefined) continue;
                flag('snat', peer.location, { cidr: peer.cidr.text, rule: ruleLabel(policy, rule) }, service, workload);
              }
            }
          }
          if (result instanceof CalicoConnectivityResult) calicoNets(result, workload, port.protocol, targetPort, (location, data) => flag('snatNets', location, data, service, workload));
        }
      }
    }
  },
});

/**
 * The Calico rules of policies applying to the workload whose source `nets` (or `notNets`) tell outside addresses
 * apart on the port: after SNAT they see a node's address, as an ipBlock does. Allow, deny and pass rules alike try to
 * filter clients by address.
 */
function calicoNets(
  result: CalicoConnectivityResult,
  workload: Workload,
  protocol: PortProtocol,
  port: number,
  flag: (location: SourceLocation, data: Record<string, string>) => void,
): void {
  for (const policy of result.calico.policies) {
    if (policy.ingress === undefined || !result.policyApplies(policy, workload)) continue;
    for (const rule of policy.ingress) {
      if (rule.matchesNothing || rule.action === 'log' || !ruleProtocolConnections(rule, namedPortTable(workload)).allows(protocol, port)) continue;
      const { nets, notNets } = rule.source;
      const data = { rule: `${policy.id} spec.ingress[${rule.index}]` };
      const narrow = filtersClients(nets ?? [], []);
      if (narrow !== undefined) flag(policy.locate(['spec', 'ingress', rule.index, 'source', 'nets']), { ...data, field: 'nets', cidr: narrow.text });
      const excluded = notNets?.[0];
      if (excluded !== undefined) flag(policy.locate(['spec', 'ingress', rule.index, 'source', 'notNets']), { ...data, field: 'notNets', cidr: excluded.text });
    }
  }
}
