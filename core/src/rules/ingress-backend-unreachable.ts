// ingress-backend-unreachable: an Ingress backend that the ingress controller cannot reach on the target port.
import { createRule, type RelatedLocation } from '../lint/types.js';
import { formatList } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'ingress-backend-unreachable',
    category: 'unreachable',
    defaultSeverity: 'error',
    description: 'An Ingress backend whose pods do not admit the ingress controller on the target port (or a backend Service or port that does not exist)',
    messages: {
      denied:
        'Ingress {{ingress}} routes {{route}} to Service {{service}} port {{port}}, but {{controllers}} cannot reach {{backends}} on {{targetPorts}}: {{why}}',
      serviceMissing: 'Ingress {{ingress}} routes {{route}} to Service {{service}}, which is not in namespace {{namespace}} of the input',
      portMissing: 'Ingress {{ingress}} routes {{route}} to port {{port}} of Service {{service}}, which has no such TCP port (ports: {{ports}})',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const layer = servicesOf(analysis, options);
    for (const ingress of layer.ingresses) {
      // The controller of the Ingress's class when the input says which it is; else any of them may be the one, and a
      // route is reported only when none of them reaches its backends.
      const { controllers } = layer.ingressControllersOf(ingress);
      for (const route of ingress.routes) {
        if (route.serviceName === undefined || route.portRef === undefined) continue;
        const base = { ingress: ingress.id, route: route.label, service: `${ingress.namespace}/${route.serviceName}` };
        if (route.service === undefined) {
          report({ messageId: 'serviceMissing', data: { ...base, namespace: ingress.namespace }, location: route.location });
          continue;
        }
        const portText = route.portRef.kind === 'number' ? String(route.portRef.number) : route.portRef.name;
        if (route.servicePort === undefined) {
          const ports = route.service.ports.map((p) => (p.name === undefined ? `${p.protocol} ${p.port}` : `${p.name} (${p.protocol} ${p.port})`));
          report({
            messageId: 'portMissing',
            data: { ...base, port: portText, ports: ports.length === 0 ? 'none' : formatList(ports, 5) },
            location: route.portLocation,
            related: [{ location: route.service.location, message: `Service ${route.service.id}` }],
          });
          continue;
        }
        const port = route.servicePort;
        const related: RelatedLocation[] = [];
        const denied: string[] = [];
        const targetPorts = new Set<string>();
        let egressDenies = false;
        const denyingRules = new Set<string>();
        for (const backend of port.backends) {
          if (backend.targetPort === undefined) continue;
          const endpoint = layer.endpoint(backend.workload);
          // Semantics point 19: the backends are reached from the controller's pods, after the Service's DNAT.
          const hops = controllers.map((c) => layer.hop(c, endpoint));
          if (hops.some((h) => h.connections.allows(port.protocol, backend.targetPort!))) continue;
          denied.push(backend.workload.id);
          targetPorts.add(`${port.protocol} ${backend.targetPort}`);
          related.push({ location: backend.workload.location, message: `${backend.workload.id} receives the traffic on ${port.protocol} ${backend.targetPort}` });
          const on = `${port.protocol} ${backend.targetPort}`;
          for (const hop of hops) {
            for (const direction of ['ingress', 'egress'] as const) {
              if (hop[direction].connections.allows(port.protocol, backend.targetPort)) continue;
              if (direction === 'egress') egressDenies = true;
              const [subject, peer] = direction === 'ingress' ? [hop.destination, hop.source] : [hop.source, hop.destination];
              // What stops the side, in every tier: the rules denying the port, and the policies whose tiers drop it.
              for (const denial of layer.sideDenials(direction, subject, peer)) {
                if (!denial.connections.allows(port.protocol, backend.targetPort)) continue;
                if (direction === 'ingress' && denial.how === 'denies') denyingRules.add(denial.policy);
                const message =
                  denial.how === 'isolates'
                    ? `${denial.policy} isolates ${subject.id} for ${direction}`
                    : `a rule of ${denial.policy} denies ${on} ${direction === 'ingress' ? `to ${subject.id}` : `from ${subject.id}`}`;
                if (!related.some((r) => r.message === message)) related.push({ location: denial.location, message });
              }
            }
          }
        }
        if (denied.length === 0) continue;
        const virtual = controllers.some((c) => c.kind === 'virtual');
        const why = egressDenies
          ? "the controller's egress policies do not allow it"
          : denyingRules.size > 0
            ? `a rule of ${formatList([...denyingRules])} denies it`
            : virtual
            ? 'no ingress rule admits it (the controller is not in the input: kubereach assumes only rules admitting every namespace reach it; set ingressControllers in .kubereach.yaml)'
            : 'no ingress rule of the backends admits it';
        report({
          messageId: 'denied',
          data: { ...base, port: portText, controllers: `the ingress controller${controllers.length === 1 ? '' : 's'} ${formatList(controllers.map((c) => c.id))}`, backends: formatList(denied), targetPorts: [...targetPorts].join(', '), why },
          location: route.location,
          related,
        });
      }
    }
  },
});
