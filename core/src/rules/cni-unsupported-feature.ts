// cni-unsupported-feature: a policy field the network plugin does not enforce as written, with what it does instead.
import { z } from 'zod';
import { analyzeConnectivity } from '../engine/connectivity.js';
import type { Workload } from '../model/cluster.js';
import { createRule } from '../lint/types.js';

export default createRule({
  meta: {
    id: 'cni-unsupported-feature',
    category: 'portability',
    defaultSeverity: 'warning',
    description: 'A policy field the network plugin does not enforce as the specification says',
    messages: {
      changed: '{{detail}}{{change}}',
      uncertain: '{{detail}}',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const effects = analysis.cni.effects.filter((e) => e.kind !== 'not-enforced');
    if (effects.length === 0) return;
    // The matrix as declared, to say how the plugin changes it.
    const declared = effects.some((e) => e.kind !== 'unverified' && e.kind !== 'needs-configuration')
      ? analyzeConnectivity(analysis.model)
      : undefined;
    const byId = new Map(declared?.workloads.map((e) => [e.id, e]) ?? []);
    const changeOf = (selected: readonly Workload[]): string => {
      if (declared === undefined) return '';
      let opened = 0;
      let closed = 0;
      const seen = new Set<string>();
      for (const subject of selected) {
        for (const other of analysis.result.workloads) {
          if (other.workload === subject) continue;
          for (const [from, to] of [
            [subject.id, other.id],
            [other.id, subject.id],
          ] as const) {
            const key = `${from}\0${to}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const find = (id: string) => analysis.result.workloads.find((w) => w.id === id)!;
            const now = analysis.result.allowed(find(from), find(to));
            const before = declared.allowed(byId.get(from)!, byId.get(to)!);
            if (!now.isSubsetOf(before)) opened++;
            else if (!before.isSubsetOf(now)) closed++;
          }
        }
      }
      const parts = [...(opened > 0 ? [`opens ${opened}`] : []), ...(closed > 0 ? [`narrows ${closed}`] : [])];
      return parts.length === 0 ? '' : ` (this ${parts.join(' and ')} path${opened + closed === 1 ? '' : 's'} between workloads)`;
    };
    for (const effect of effects) {
      const uncertain = effect.kind === 'unverified' || effect.kind === 'needs-configuration';
      const source = effect.source === undefined ? [] : [`source: ${effect.source.url}${effect.source.confirmed ? '' : ' (unverified)'}`];
      report({
        messageId: uncertain ? 'uncertain' : 'changed',
        data: { detail: effect.detail, change: uncertain ? '' : changeOf(analysis.result.selectedWorkloads(effect.policy)) },
        location: effect.location,
        related: source.length === 0 ? [] : [{ location: effect.policy.location, message: source[0]! }],
        ...(uncertain ? { maxSeverity: 'info' as const } : {}),
      });
    }
  },
});
