// cni-unsupported-feature: a policy field the network plugin does not enforce as written, with what it does instead.
import { z } from 'zod';
import { analyzeConnectivity } from '../engine/connectivity.js';
import type { Workload } from '../model/cluster.js';
import { createRule } from '../lint/types.js';
import { cached, classView, type ClassView } from './rule-support.js';

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
    const changeOf = declared === undefined ? () => '' : pathChanges(classView(analysis.result), classView(declared));
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

/** Workloads in one class of the plugin's result and one class of the declared one: their paths change alike. */
interface JointClass {
  readonly index: number;
  /** A member, asked of both results. */
  readonly representative: Workload;
  readonly size: number;
}

const SAME = 0;
const OPENED = 1;
const NARROWED = 2;

/**
 * How many ordered paths between two distinct workloads, one of them selected, the plugin opens (it allows
 * something the declared policies do not) or narrows (it allows less), as `(this opens 2 paths between workloads)`.
 * Paths are counted by class: each pair of joint classes is compared once, and pairs of workloads are counted.
 */
function pathChanges(now: ClassView, declared: ClassView): (selected: readonly Workload[]) => string {
  const joints: JointClass[] = [];
  const jointOf = new Map<Workload, JointClass>();
  const byKey = new Map<string, { representative: Workload; members: Workload[] }>();
  for (const { workload } of now.result.workloads) {
    const key = `${now.result.classOfWorkload(workload).index}|${declared.result.classOfWorkload(workload).index}`;
    cached(byKey, key, () => ({ representative: workload, members: [] })).members.push(workload);
  }
  for (const { representative, members } of byKey.values()) {
    const joint = { index: joints.length, representative, size: members.length };
    joints.push(joint);
    for (const member of members) jointOf.set(member, joint);
  }
  // Asked of the results directly: the rows below keep the answers, and the view's cache would keep them all twice.
  const compare = (from: JointClass, to: JointClass): number => {
    const allowed = (view: ClassView) => view.result.allowed(view.endpoint(from.representative), view.endpoint(to.representative));
    const current = allowed(now);
    const before = allowed(declared);
    return !current.isSubsetOf(before) ? OPENED : !before.isSubsetOf(current) ? NARROWED : SAME;
  };
  // A selected class's changes toward every class and from every class, compared once for all effects.
  const outgoing = new Map<JointClass, Int8Array>();
  const incoming = new Map<JointClass, Int8Array>();
  const change = (rows: Map<JointClass, Int8Array>, selected: JointClass, other: JointClass, outward: boolean): number => {
    const row = cached(rows, selected, () => new Int8Array(joints.length).fill(-1));
    if (row[other.index] === -1) row[other.index] = outward ? compare(selected, other) : compare(other, selected);
    return row[other.index]!;
  };
  return (selected) => {
    const selectedIn = new Map<JointClass, number>();
    for (const workload of selected) {
      const joint = jointOf.get(workload)!;
      selectedIn.set(joint, (selectedIn.get(joint) ?? 0) + 1);
    }
    const counts = [0, 0, 0];
    for (const [a, selectedInA] of selectedIn) {
      for (const b of joints) {
        const selectedInB = selectedIn.get(b) ?? 0;
        const same = a === b ? 1 : 0;
        // Ordered pairs (from in a, to in b), distinct, with one end selected: all pairs but those with neither.
        const fromA = a.size * b.size - same * a.size - ((a.size - selectedInA) * (b.size - selectedInB) - same * (a.size - selectedInA));
        if (fromA > 0) counts[change(outgoing, a, b, true)]! += fromA;
        // Pairs (from in b, to in a) where b has no selected workload (when it has, its own turn counts them).
        if (selectedInB === 0) counts[change(incoming, a, b, false)]! += b.size * selectedInA;
      }
    }
    const [, opened = 0, closed = 0] = counts;
    const parts = [...(opened > 0 ? [`opens ${opened}`] : []), ...(closed > 0 ? [`narrows ${closed}`] : [])];
    return parts.length === 0 ? '' : ` (this ${parts.join(' and ')} path${opened + closed === 1 ? '' : 's'} between workloads)`;
  };
}
