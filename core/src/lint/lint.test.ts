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

  it('reports each unused rule id of a directive that suppressed something, at its own place', () => {
    const text = policy(
      '  # kubereach-disable-next-line policy-selects-nothing, egress-to-anywhere, no-such-rule -- flow',
      '  podSelector: {matchLabels: {app: legacy}}',
    );
    const { compact, findings } = lintText(text);
    expect(compact).toEqual([
      '5:57 unused-suppression unused suppression of egress-to-anywhere: no finding on the next line',
      '5:77 unused-suppression suppression of unknown rule "no-such-rule" (kubereach rules lists them)',
    ]);
    expect(findings.map((f) => text.slice(f.location.range.start, f.location.range.end))).toEqual(['egress-to-anywhere', 'no-such-rule']);
    expect(findings.map((f) => f.messageId)).toEqual(['unusedRule', 'unknownRule']);
  });

  it("says when a listed rule is off, and reports a directive none of whose ids was used once, naming each id's reason", () => {
    const text = policy('  # kubereach-disable-next-line egress-to-anywhere, no-such-rule', '  podSelector: {}');
    const rules = resolveRules(RULES, EMPTY_CONFIG, { 'cni-profile': 'off', 'egress-to-anywhere': 'off' });
    const messages = lint(analyze([{ path: 'p.yaml', text }]), rules).findings.filter((f) => f.ruleId === 'unused-suppression').map((f) => f.message);
    expect(messages).toEqual(['unused suppression: egress-to-anywhere is off; "no-such-rule" is not a rule (kubereach rules lists them)']);
    expect(lintText(text).compact).toContain('5:3 unused-suppression unused suppression: no egress-to-anywhere finding on the next line; "no-such-rule" is not a rule (kubereach rules lists them)');
  });

  it('knows unused-suppression as a rule a directive may name', () => {
    const text = policy('  # kubereach-disable-next-line unused-suppression', '  podSelector: {}');
    expect(lintText(text).compact).toContain('5:3 unused-suppression unused suppression: no unused-suppression finding on the next line');
  });

  it('fixes an unused id by removing it alone, whichever ids of the list are unused', () => {
    const fixedList = (ids: string) =>
      lintText(policy(`  # kubereach-disable-next-line ${ids} -- flow`, '  podSelector: {matchLabels: {app: legacy}}')).fixed('unused-suppression')!.split('\n')[4];
    expect(fixedList('policy-selects-nothing, egress-to-anywhere, no-such-rule')).toBe('  # kubereach-disable-next-line policy-selects-nothing -- flow');
    expect(fixedList('egress-to-anywhere, no-such-rule, policy-selects-nothing')).toBe('  # kubereach-disable-next-line policy-selects-nothing -- flow');
    expect(fixedList('egress-to-anywhere, policy-selects-nothing, no-such-rule')).toBe('  # kubereach-disable-next-line policy-selects-nothing -- flow');
    expect(fixedList('egress-to-anywhere,policy-selects-nothing redundant-rule')).toBe('  # kubereach-disable-next-line policy-selects-nothing -- flow');
    // One fix alone (a quick fix in an editor) leaves a well-formed list too.
    const text = policy('  # kubereach-disable-next-line egress-to-anywhere, policy-selects-nothing, no-such-rule', '  podSelector: {}');
    const { findings } = lintText(text);
    const one = (index: number) => applyFixes({ 'p.yaml': text }, [findings[index]!])['p.yaml']!.split('\n')[4];
    expect(one(0)).toBe('  # kubereach-disable-next-line policy-selects-nothing, no-such-rule');
    expect(one(1)).toBe('  # kubereach-disable-next-line egress-to-anywhere, policy-selects-nothing');
  });

  it('fixes a wholly unused directive by removing its line', () => {
    const text = policy('  # kubereach-disable-next-line redundant-rule -- stale', '  podSelector: {}');
    expect(lintText(text).fixed('unused-suppression')).toBe(text.replace('  # kubereach-disable-next-line redundant-rule -- stale\n', ''));
  });
});

describe('lint: timing', () => {
  it("charges each enabled rule's check, and the suppression pass, to the caller's clock", () => {
    const analysis = analyze([{ path: 'a.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' }]);
    const rules = resolveRules(RULES, { ...EMPTY_CONFIG, rules: { 'half-open-path': 'off' } });
    let clock = 0;
    const recorded: [string, number][] = [];
    // Each reading advances the clock by one: a rule timed between two readings takes exactly 1.
    lint(analysis, rules, { timing: { now: () => clock++, record: (ruleId, ms) => recorded.push([ruleId, ms]) } });
    expect(recorded.map(([id]) => id)).toEqual([...rules.map((r) => r.rule.meta.id), '(suppressions)']);
    expect(recorded.map(([id]) => id)).not.toContain('half-open-path');
    expect(recorded.every(([, ms]) => ms === 1)).toBe(true);
  });
});
