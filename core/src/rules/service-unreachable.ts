// service-unreachable: a Service port whose backends admit no client at all on their targetPort.
import { createRule } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import { resolvePorts } from '../semantics/policy-ir.js';
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
        'no client can reach port {{port}} of Service {{service}}: no ingress rule of {{backends}} allows {{targetPorts}}',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    const layer = servicesOf(analysis, options);
    for (const service of layer.services) {
      for (const port of service.ports) {
        const backends = port.backends.filter((b) => b.targetPort !== undefined);
        if (backends.length === 0) continue;
        // Some rule allowing the targetPort, whoever its peers match: pods the input does not hold may be its clients.
        const admitsSomeone = backends.some((b) => {
          const policies = analysis.result.policiesSelecting(b.workload).ingress;
          return (
            policies.length === 0 ||
            policies.some((p) => p.ingress!.rules.some((rule) => resolvePorts(rule.ports, namedPortTable(b.workload)).allows(port.protocol, b.targetPort!)))
          );
        });
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
          related: backends.flatMap((b) =>
            analysis.result.policiesSelecting(b.workload).ingress.map((p) => ({ location: p.ingress!.location, message: `${p.id} isolates ${b.workload.id} for ingress` })),
          ),
        });
      }
    }
  },
});
