// unintended-exposure: a workload reachable from outside the cluster while its policies admit only pods of the cluster.
import { createRule } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import type { Workload } from '../model/cluster.js';
import type { PortProtocol } from '../semantics/connection-set.js';
import { resolvePorts } from '../semantics/policy-ir.js';
import type { ConnectivityResult } from '../engine/connectivity.js';
import { formatList } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'unintended-exposure',
    category: 'over-permissive',
    defaultSeverity: 'warning',
    description: 'A workload published outside the cluster by a Service type or an Ingress while its policies admit only pods of the cluster',
    messages: {
      serviceType:
        'Service {{service}} of type {{type}} publishes {{workloads}} on {{port}} outside the cluster, but their policies admit only pods of the cluster on it',
      ingress:
        'Ingress {{ingress}} publishes {{workloads}} on {{port}} through the ingress controller, which their policies admit only as "any pod of any namespace": the rule meant pods of the cluster, and lets every outside client in',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const layer = servicesOf(analysis, options);
    const { result } = analysis;
    for (const service of layer.services) {
      if (service.externalTrafficPolicy === undefined) continue;
      for (const port of service.ports) {
        const restricted = port.backends.filter((b) => b.targetPort !== undefined && admitsOnlyPods(result, b.workload, port.protocol, b.targetPort));
        if (restricted.length === 0) continue;
        report({
          messageId: 'serviceType',
          data: { service: service.id, type: service.type, workloads: formatList(restricted.map((b) => b.workload.id)), port: `${port.protocol} ${port.port}` },
          location: service.locate(['spec', 'type']),
          related: restricted.map((b) => ({ location: b.workload.location, message: `${b.workload.id} admits only pods on ${port.protocol} ${b.targetPort!}` })),
        });
      }
    }
    // Only controllers that clients outside the cluster reach publish anything outside.
    const reachable = new Set(layer.ingressControllers.filter((c) => layer.outsideReach(c).kind !== 'unreachable'));
    for (const ingress of layer.ingresses) {
      const published = layer.ingressControllersOf(ingress).controllers.filter((c) => reachable.has(c));
      for (const route of ingress.routes) {
        const port = route.servicePort;
        if (port === undefined) continue;
        const exposed: Workload[] = [];
        for (const backend of port.backends) {
          const { workload, targetPort } = backend;
          if (targetPort === undefined || !admitsOnlyPods(result, workload, port.protocol, targetPort)) continue;
          const endpoint = layer.endpoint(workload);
          const contributions = published.flatMap((c) =>
            layer.side('ingress', endpoint, c).allowedBy.filter((a) => a.connections.allows(port.protocol, targetPort)).map((a) => ({ controller: c, rule: a.rule })),
          );
          if (contributions.length === 0) continue;
          // The author named the controller when some admitting peer selects particular namespaces (or the policy's own).
          const named = contributions.some(
            ({ controller, rule }) =>
              rule.peers.kind === 'list' &&
              rule.peers.peers.some((peer) => peer.kind === 'pods' && (peer.namespaces.kind === 'policy-namespace' || peer.namespaces.selector.kind !== 'everything') && layer.peerMatches(peer, controller)),
          );
          if (!named) exposed.push(workload);
        }
        if (exposed.length === 0) continue;
        report({
          messageId: 'ingress',
          data: { ingress: ingress.id, workloads: formatList(exposed.map((w) => w.id)), port: `${port.protocol} ${port.port}` },
          location: route.location,
          related: exposed.map((w) => ({ location: w.location, message: `${w.id} is isolated for ingress` })),
        });
      }
    }
  },
});

/**
 * Isolated for ingress, some rule allows the port, and every such rule admits pods only (no rule without from, no
 * ipBlock). A workload no rule admits on the port admits nothing, not "only pods": service-unreachable says so.
 */
function admitsOnlyPods(result: ConnectivityResult, workload: Workload, protocol: PortProtocol, port: number): boolean {
  if (workload.hostNetwork) return false;
  const rules = result
    .policiesSelecting(workload)
    .ingress.flatMap((policy) => policy.ingress!.rules)
    .filter((rule) => resolvePorts(rule.ports, namedPortTable(workload)).allows(protocol, port));
  return rules.length > 0 && rules.every((rule) => rule.peers.kind === 'list' && rule.peers.peers.every((peer) => peer.kind === 'pods'));
}
