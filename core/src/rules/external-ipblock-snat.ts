// external-ipblock-snat: an ingress ipBlock for outside clients on a workload reached through NodePort or LoadBalancer with externalTrafficPolicy Cluster.
import { createRule } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import { resolvePorts, type Peer } from '../semantics/policy-ir.js';
import { ruleLabel } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'external-ipblock-snat',
    category: 'correctness',
    defaultSeverity: 'warning',
    description:
      'An ingress ipBlock on a workload reached through a NodePort or LoadBalancer Service with externalTrafficPolicy Cluster, where the pod sees a node address instead of the client',
    messages: {
      snat:
        'ipBlock {{cidr}} in {{rule}} cannot see outside clients of Service {{service}} ({{type}}, externalTrafficPolicy {{policy}}): their traffic reaches {{workload}} from a node address after SNAT',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const reported = new Set<Peer>();
    for (const service of servicesOf(analysis, options).services) {
      if (service.externalTrafficPolicy !== 'Cluster') continue;
      for (const port of service.ports) {
        for (const backend of port.backends) {
          const { workload, targetPort } = backend;
          if (targetPort === undefined) continue;
          for (const policy of analysis.result.policiesSelecting(workload).ingress) {
            for (const rule of policy.ingress!.rules) {
              if (rule.peers.kind !== 'list' || !resolvePorts(rule.ports, namedPortTable(workload)).allows(port.protocol, targetPort)) continue;
              for (const peer of rule.peers.peers) {
                // Semantics point 8: a block of the whole address space still admits the node; any narrower one is a client filter that cannot work.
                if (peer.kind !== 'ipBlock' || reported.has(peer) || (peer.cidr.prefixLength === 0 && peer.except.length === 0)) continue;
                reported.add(peer);
                report({
                  messageId: 'snat',
                  data: {
                    cidr: peer.cidr.text,
                    rule: ruleLabel(policy, rule),
                    service: service.id,
                    type: service.type,
                    policy: service.externalTrafficPolicy,
                    workload: workload.id,
                  },
                  location: peer.location,
                  related: [
                    { location: service.locate(['spec', 'type']), message: `Service ${service.id} is a ${service.type} with externalTrafficPolicy ${service.externalTrafficPolicy}` },
                  ],
                });
              }
            }
          }
        }
      }
    }
  },
});
