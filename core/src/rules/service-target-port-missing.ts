// service-target-port-missing: a Service targetPort, number or name, that no container of the selected workloads exposes.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import { formatList } from './rule-support.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'service-target-port-missing',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'A Service targetPort, number or name, that no container of the selected workloads exposes',
    messages: {
      nameMissing:
        'targetPort {{name}} of Service {{service}} port {{port}} matches no container: none of {{workloads}} has a {{protocol}} port named {{name}}, so the port has no endpoints (named ports: {{declared}})',
      numberMissing:
        'targetPort {{number}} of Service {{service}} port {{port}} is not exposed: no container of {{workloads}} declares {{protocol}} {{number}} (declared: {{declared}})',
    },
  },
  options: componentOptions.extend({
    /** When false, a number is not checked if some selected workload declares no container port at all (it may listen anywhere). */
    requireDeclaredPorts: z.boolean().default(false),
  }),
  check({ analysis, options, report }) {
    for (const service of servicesOf(analysis, options).services) {
      if (service.selected.length === 0) continue;
      const workloads = formatList(service.selected.map((w) => w.id));
      for (const port of service.ports) {
        const { targetPort, protocol } = port;
        const base = { service: service.id, port: `${protocol} ${port.port}`, workloads, protocol };
        const related = service.selected.map((w) => ({ location: w.location, message: `${w.id} is selected by Service ${service.id}` }));
        if (typeof targetPort === 'string') {
          // Semantics point 18: a named targetPort resolves per pod; a pod without it is no endpoint.
          if (port.backends.some((b) => b.targetPort !== undefined)) continue;
          const declared = [...new Set(service.selected.flatMap((w) => w.ports.flatMap((p) => (p.name === undefined ? [] : [`${p.name} (${p.protocol} ${p.port})`]))))];
          report({
            messageId: 'nameMissing',
            data: { ...base, name: targetPort, declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
            location: port.targetPortLocation,
            related,
          });
        } else {
          if (!options.requireDeclaredPorts && service.selected.some((w) => w.ports.length === 0)) continue;
          if (service.selected.some((w) => w.ports.some((p) => p.protocol === protocol && p.port === targetPort))) continue;
          const declared = [...new Set(service.selected.flatMap((w) => w.ports.map((p) => `${p.protocol} ${p.port}`)))];
          report({
            messageId: 'numberMissing',
            data: { ...base, number: targetPort, declared: declared.length === 0 ? 'none' : formatList(declared, 5) },
            location: port.targetPortLocation,
            related,
          });
        }
      }
    }
  },
});
