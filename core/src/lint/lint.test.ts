import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { RULES } from '../rules/index.js';
import { LineIndex } from '../source/source.js';
import { applyFixes } from './testing/rule-tester.js';
import { EMPTY_CONFIG, resolveRules } from './config.js';
import { lint } from './lint.js';

/** Every rule but cni-profile (the examples declare no plugin); unused suppressions reported as warnings. */
function lintText(text: string) {
  const rules = resolveRules(RULES, EMPTY_CONFIG, { 'cni-profile': 'off' });
  const { findings } = lint(analyze([{ path: 'p.yaml', text }]), rules);
  const lines = new LineIndex(text);
  const at = (offset: number) => {
    const { line, column } = lines.lineColumn(offset);
    return `${line}:${column}`;
  };
  return {
    findings,
    compact: findings.map((f) => `${at(f.location.range.start)} ${f.ruleId} ${f.message}`),
    fixed: (ruleId: string) => applyFixes({ 'p.yaml': text }, findings.filter((f) => f.ruleId === ruleId))['p.yaml'],
  };
}

const policy = (directive: string, podSelector: string) =>
  ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: legacy, namespace: a}', 'spec:', directive, podSelector, '  policyTypes: [Ingress]', ''].join(
    '\n',
  );

describe('lint: suppressions', () => {
  it("honours the README's example: a directive above podSelector: covers the finding at its block value", () => {
    const text = policy(
      '  # kubereach-disable-next-line policy-selects-nothing -- the pods come from another repository',
      '  podSelector:\n    matchLabels: {app: legacy}',
    );
    expect(lintText(text).compact).toEqual([]);
  });
});
