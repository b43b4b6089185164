// service-unreachable: a Service port whose backends admit no client at all on their targetPort.
import { createRule } from '../lint/types.js';
import { UNKNOWN_POD } from '../engine/services.js';
import { formatList } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'service-unreachable',
    category: 'unreachable',
    defaultSeverity: 'warning',
    description: 'A Service port whose backends admit no client at all on their targetPort',
    messages: {
      unreachable:
        'no client can reach port {{port}} of Service {{service}}: the policies of {{backends}} admit no client on {{targetPorts}}',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const layer = servicesOf(analysis, options);
    for (const service of layer.services) {
      for (const port of service.ports) {
        const backends = port.backends.filter((b) => b.targetPort !== undefined);
        if (backends.length === 0) continue;
        // Through every tier of the plugin: some address outside the cluster, or some pod (of the input or not, whatever
        // its namespace and labels may be) that a backend's ingress may admit on its targetPort.
        const admitsSomeone = backends.some(
          (b) =>
            layer.admittedOutside(b.workload, port.protocol, b.targetPort!).length > 0 ||
            layer.admitsSomePod(b.workload, port.protocol, b.targetPort!),
        );
        if (admitsSomeone) continue;
        report({
          messageId: 'unreachable',
          data: {
            port: `${port.protocol} ${port.port}`,
            service: service.id,
            backends: formatList(backends.map((b) => b.workload.id)),
            targetPorts: [...new Set(backends.map((b) => `${port.protocol} ${b.targetPort!}`))].join(', '),
          },
          location: port.targetPortLocation,
          // What stops any pod: the policies whose tiers drop the port, and the rules denying it.
          related: backends.flatMap((b) =>
            layer
              .sideDenials('ingress', layer.endpoint(b.workload), UNKNOWN_POD)
              .filter((d) => d.connections.allows(port.protocol, b.targetPort!))
              .map((d) => ({
                location: d.location,
                message: d.how === 'isolates' ? `${d.policy} isolates ${b.workload.id} for ingress` : `a rule of ${d.policy} denies ${port.protocol} ${b.targetPort!} to ${b.workload.id}`,
              })),
          ),
        });
      }
    }
  },
});
