// unintended-exposure: a workload reachable from outside the cluster while its policies admit only pods of the cluster.
import { createRule } from '../lint/types.js';
import type { ServiceLayer } from '../engine/services.js';
import type { Workload } from '../model/cluster.js';
import type { PortProtocol } from '../semantics/connection-set.js';
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
    for (const service of layer.services) {
      if (service.externalTrafficPolicy === undefined) continue;
      for (const port of service.ports) {
        const restricted = port.backends.filter((b) => b.targetPort !== undefined && admitsOnlyPods(layer, b.workload, port.protocol, b.targetPort));
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
          if (targetPort === undefined || !admitsOnlyPods(layer, workload, port.protocol, targetPort)) continue;
          const endpoint = layer.endpoint(workload);
          const admitted = published.filter((c) => layer.side('ingress', endpoint, c).connections.allows(port.protocol, targetPort));
          if (admitted.length === 0) continue;
          // The author named the controller when its admission depends on where it runs (a rule of any tier selecting
          // particular namespaces, or the policy's own); otherwise it is admitted as "any pod of any namespace".
          if (admitted.every((c) => layer.admitsInAnyNamespace(endpoint, c, port.protocol, targetPort))) exposed.push(workload);
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
 * Through every tier of the plugin, the workload's ingress admits no address outside the cluster on the port, and may
 * admit some pod. A workload that admits nobody on the port admits nothing, not "only pods": service-unreachable says so.
 */
function admitsOnlyPods(layer: ServiceLayer, workload: Workload, protocol: PortProtocol, port: number): boolean {
  return layer.admittedOutside(workload, protocol, port).length === 0 && layer.admitsSomePod(workload, protocol, port);
}
