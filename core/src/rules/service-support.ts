// Shared by the Service and Ingress rules: their options (where the ingress controllers and cluster DNS run) and the service layer.
import { z } from 'zod';
import type { Analysis } from '../analyze.js';
import { analyzeServices, type ServiceLayer } from '../engine/services.js';
import { componentSettingSchema } from '../model/services.js';
import type { Workload } from '../model/cluster.js';
import type { CompiledPolicy, PolicyRule, PortSpec } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';

/** The `.kubereach.yaml` sections ingressControllers and clusterDns, which every Service rule also takes as options. */
export const componentOptions = z.strictObject({
  ingressControllers: z.array(componentSettingSchema).optional(),
  clusterDns: componentSettingSchema.optional(),
});

export type ComponentOptions = z.infer<typeof componentOptions>;

export function servicesOf(analysis: Analysis, options: ComponentOptions): ServiceLayer {
  return analyzeServices(analysis, { ingressControllers: options.ingressControllers, clusterDns: options.clusterDns });
}

/** `api[Deployment]`: the id without the namespace the message already names. */
export function shortId(workload: Workload): string {
  return workload.id.slice(workload.namespace.length + 1);
}

/** The `port` value of one ports entry of a rule (the entry itself when it has no port). */
export function portValueLocation(policy: CompiledPolicy, rule: PolicyRule, spec: PortSpec): SourceLocation {
  const base = ['spec', rule.direction, rule.index, 'ports'] as const;
  const count = rule.ports.kind === 'list' ? rule.ports.ports.length : 0;
  // Entries with an unknown protocol are left out of the IR, so the index is found by the entry's range.
  for (let k = 0; k < count + 64; k++) {
    const entry = policy.locate([...base, k]);
    if (entry.file === spec.location.file && entry.range.start === spec.location.range.start && entry.range.end === spec.location.range.end) {
      return spec.match.kind === 'all' ? entry : policy.locate([...base, k, 'port']);
    }
  }
  return spec.location;
}
