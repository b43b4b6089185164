// policy-uses-service-port: a rule allows a Service's port where the backends' targetPort differs, so the path through the Service is denied.
import { createRule } from '../lint/types.js';
import { namedPortTable } from '../engine/classes.js';
import type { Workload } from '../model/cluster.js';
import type { ServiceInfo, ServicePortInfo } from '../model/services.js';
import { resolvePorts, type CompiledPolicy, type PolicyRule, type PortSpec } from '../semantics/policy-ir.js';
import { selectorKeys } from '../semantics/label-selector.js';
import { classView, formatList, ruleLabel } from './rule-support.js';
import { componentOptions, portValueLocation, servicesOf } from './service-support.js';

interface Mismatch {
  readonly policy: CompiledPolicy;
  readonly rule: PolicyRule;
  readonly spec: PortSpec;
  readonly service: ServiceInfo;
  readonly port: ServicePortInfo;
  readonly backends: { readonly workload: Workload; readonly targetPort: number }[];
}

export default createRule({
  meta: {
    id: 'policy-uses-service-port',
    category: 'correctness',
    defaultSeverity: 'error',
    description: "A rule that allows a Service's port where the backends listen on a different targetPort",
    messages: {
      servicePort:
        '{{rule}} allows {{protocol}} {{servicePort}}, the port of Service {{service}}; policies see the traffic after DNAT, on targetPort {{targetPorts}} of {{backends}}, which the rule does not allow',
    },
    fixable: true,
  },
  options: componentOptions,
  check({ analysis, options, inScope, report }) {
    const { model, result } = analysis;
    const mismatches = new Map<PortSpec, Mismatch>();
    const check = (policy: CompiledPolicy, rule: PolicyRule, service: ServiceInfo, port: ServicePortInfo, workload: Workload, targetPort: number): void => {
      if (rule.ports.kind !== 'list') return;
      // Semantics point 17: the policy must allow the targetPort; allowing the Service port too is harmless when the rule does.
      if (resolvePorts(rule.ports, namedPortTable(workload)).allows(port.protocol, targetPort)) return;
      for (const spec of rule.ports.ports) {
        if (spec.protocol !== port.protocol || spec.match.kind !== 'range' || port.port < spec.match.start || port.port > spec.match.end) continue;
        const mismatch = mismatches.get(spec) ?? { policy, rule, spec, service, port, backends: [] };
        if (!mismatch.backends.some((b) => b.workload === workload)) mismatch.backends.push({ workload, targetPort });
        mismatches.set(spec, mismatch);
      }
    };
    const view = classView(result);
    // Only rules that name the backend's pods: a rule to everyone on port 80 may well mean outside web servers.
    // Each finding is located at a port of the rule's policy.
    const egressRules = model.policies.flatMap((policy) =>
      (inScope(policy.location.file) ? (policy.egress?.rules ?? []) : []).flatMap((rule) => (rule.peers.kind === 'list' && view.groupsSelectedBy(policy).length > 0 ? [{ policy, rule, peers: rule.peers.peers }] : [])),
    );
    const layer = servicesOf(analysis, options);
    // Whether a pods peer matches a workload depends on its namespace, hostNetwork and the labels pod selectors read:
    // workloads that agree on those share the list of rules naming them.
    const keys = [...new Set(egressRules.flatMap(({ peers }) => peers.flatMap((peer) => (peer.kind === 'pods' ? selectorKeys(peer.pods) : []))))];
    const naming = new Map<string, { policy: CompiledPolicy; rule: PolicyRule }[]>();
    const rulesNaming = (workload: Workload): { policy: CompiledPolicy; rule: PolicyRule }[] => {
      const key = JSON.stringify([workload.namespace, workload.hostNetwork, keys.map((k) => workload.labels[k] ?? null)]);
      let rules = naming.get(key);
      if (rules === undefined) {
        const endpoint = layer.endpoint(workload);
        rules = egressRules.filter(({ peers }) => peers.some((peer) => peer.kind === 'pods' && layer.peerMatches(peer, endpoint)));
        naming.set(key, rules);
      }
      return rules;
    };
    for (const service of layer.services) {
      for (const port of service.ports) {
        for (const backend of port.backends) {
          const { workload, targetPort } = backend;
          if (targetPort === undefined || targetPort === port.port) continue;
          // A workload that also listens on the Service's port number may be meant to be reached on it directly.
          if (workload.ports.some((p) => p.protocol === port.protocol && p.port === port.port)) continue;
          for (const policy of result.policiesSelecting(workload).ingress) {
            if (!inScope(policy.location.file)) continue;
            for (const rule of policy.ingress!.rules) check(policy, rule, service, port, workload, targetPort);
          }
          for (const { policy, rule } of rulesNaming(workload)) check(policy, rule, service, port, workload, targetPort);
        }
      }
    }
    for (const { policy, rule, spec, service, port, backends } of mismatches.values()) {
      const targetPorts = [...new Set(backends.map((b) => b.targetPort))];
      const location = portValueLocation(policy, rule, spec);
      const single = spec.match.kind === 'range' && spec.match.start === spec.match.end && targetPorts.length === 1;
      report({
        messageId: 'servicePort',
        data: {
          rule: ruleLabel(policy, rule),
          protocol: port.protocol,
          servicePort: port.port,
          service: service.id,
          targetPorts: targetPorts.join(', '),
          backends: formatList(backends.map((b) => b.workload.id)),
        },
        location,
        related: [
          { location: port.targetPortLocation, message: `Service ${service.id} sends port ${port.port} to targetPort ${String(port.targetPort)}` },
          ...backends.map((b) => ({ location: b.workload.location, message: `${b.workload.id} receives it on ${port.protocol} ${b.targetPort}` })),
        ],
        fix: single
          ? { description: `allow the targetPort ${targetPorts[0]!} instead of the Service port`, edits: [{ file: location.file, range: location.range, newText: String(targetPorts[0]!) }] }
          : undefined,
      });
    }
  },
});
