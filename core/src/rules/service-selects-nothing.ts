// service-selects-nothing: a Service whose selector matches no workload of its namespace, so it has no endpoints.
import { createRule } from '../lint/types.js';
import { componentOptions, servicesOf } from './service-support.js';

export default createRule({
  meta: {
    id: 'service-selects-nothing',
    category: 'correctness',
    defaultSeverity: 'warning',
    description: 'A Service whose selector matches no workload in its namespace',
    messages: {
      noWorkload: 'Service {{service}} selects no workload: no pod in namespace {{namespace}} carries {{selector}}, so the Service has no endpoints',
      emptyNamespace: 'Service {{service}} selects no workload: namespace {{namespace}} has no workloads in the input',
    },
  },
  options: componentOptions,
  check({ analysis, options, report }) {
    for (const service of servicesOf(analysis, options).services) {
      // Without a selector (or ExternalName) the endpoints are not chosen by labels: nothing to check.
      if (service.selector === undefined || service.selected.length > 0) continue;
      const namespaceHasWorkloads = analysis.model.workloads.some((w) => w.namespace === service.namespace);
      report({
        messageId: namespaceHasWorkloads ? 'noWorkload' : 'emptyNamespace',
        data: {
          service: service.id,
          namespace: service.namespace,
          selector: Object.entries(service.selector).map(([k, v]) => `${k}=${v}`).join(', '),
        },
        location: service.locate(['spec', 'selector']),
      });
    }
  },
});
