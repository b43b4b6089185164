// What a sequence of admin rules decides for one subject and peer, for the conflicting-priority rule.
import type { Endpoint } from '../engine/endpoints.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { Direction } from '../semantics/policy-ir.js';
import type { AdminAction, AdminRule } from './compile.js';
import type { AdminConnectivityResult } from './evaluate.js';

export type Decisions = Readonly<Record<AdminAction, ConnectionSet>>;

/** First match over the rules in order: the connections each action decides. */
export function walkRules(
  result: AdminConnectivityResult,
  rules: readonly AdminRule[],
  direction: Direction,
  subject: Endpoint,
  peer: Endpoint,
): Decisions {
  const destination = direction === 'egress' ? peer : subject;
  const decided = { allow: ConnectionSet.NONE, deny: ConnectionSet.NONE, pass: ConnectionSet.NONE };
  let undecided = ConnectionSet.ALL;
  for (const rule of rules) {
    const covered = result.ruleMatch(rule, peer, destination).intersect(undecided);
    if (covered.isEmpty) continue;
    decided[rule.action] = decided[rule.action].union(covered);
    undecided = undecided.subtract(covered);
  }
  return decided;
}

export function sameDecisions(a: Decisions, b: Decisions): boolean {
  return a.allow.equals(b.allow) && a.deny.equals(b.deny) && a.pass.equals(b.pass);
}
