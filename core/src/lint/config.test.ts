import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { parseConfig, resolveRules } from './config.js';

const parse = (text: string) => parseConfig({ path: '.kubereach.yaml', text }, RULES);

describe('.kubereach.yaml', () => {
  it('reads severities, options, ignore globs and the namespace', () => {
    const { config, issues } = parse('rules:\n  policy-selects-nothing: error\n  invalid-manifest: [warn, {}]\nignore: ["charts/**"]\nnamespace: team\n');
    expect(issues).toEqual([]);
    expect(config).toEqual({
      rules: { 'policy-selects-nothing': 'error', 'invalid-manifest': ['warn', {}] },
      ignore: ['charts/**'],
      namespace: 'team',
    });
    const resolved = new Map(resolveRules(RULES, config, {}).map((r) => [r.rule.meta.id, r.severity]));
    expect(resolved.get('invalid-manifest')).toBe('warning');
    expect(resolved.get('policy-selects-nothing')).toBe('error');
    expect(resolved.get('peer-selects-nothing')).toBe('warning');
  });

  it('keeps the valid parts of a config with a mistake', () => {
    const { config } = parse('rules:\n  policy-selects-nothing: loud\n  invalid-manifest: warn\nignore: [a/**]\n');
    expect(config.rules).toEqual({ 'invalid-manifest': 'warn' });
    expect(config.ignore).toEqual(['a/**']);
  });

  it('lets overrides win and leaves rules that are off out', () => {
    const { config } = parse('rules:\n  policy-selects-nothing: off\n');
    const ids = (overrides = {}) => new Map(resolveRules(RULES, config, overrides).map((r) => [r.rule.meta.id, r.severity]));
    expect(ids().has('policy-selects-nothing')).toBe(false);
    expect(ids().get('invalid-manifest')).toBe('error');
    expect(ids({ 'policy-selects-nothing': 'info' }).get('policy-selects-nothing')).toBe('info');
  });

  it('reports unknown rules, bad severities and unknown keys at their exact place', () => {
    const text = 'rules:\n  no-such-rule: warn\n  policy-selects-nothing: loud\nignor: []\n';
    const { issues } = parse(text);
    const at = (issue: (typeof issues)[number]) => text.slice(issue.location.range.start, issue.location.range.end);
    expect(issues.map((i) => [i.code, i.severity, at(i)])).toEqual(
      expect.arrayContaining([
        ['invalid-value', 'error', 'no-such-rule'],
        ['schema', 'error', 'loud'],
        ['schema', 'error', 'ignor'],
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('names the field and what it allows in each message', () => {
    const text = [
      'rules:',
      '  half-open-path: warnn',
      '  port-not-served: [wran, {requireDeclaredPorts: true}]',
      '  redundant-rule: [error, {}, 2]',
      '  missing-default-deny: [warn, {egress: true, bogus: 1}]',
      '  policy-selects-nothing: [warn, {bogus: 1}]',
      'bogus: 1',
      'clusterDns: {namespace: dns, selectr: {}}',
      '',
    ].join('\n');
    const { config, issues } = parse(text);
    const at = (issue: (typeof issues)[number]) => text.slice(issue.location.range.start, issue.location.range.end);
    expect(issues.map((i) => [i.message, at(i)])).toEqual([
      ['unknown key "bogus" (allowed: rules, ignore, namespace, cni, ingressControllers, clusterDns)', 'bogus'],
      ['rules.half-open-path: expected one of off, info, warn, error (or [severity, options]), got "warnn"', 'warnn'],
      ['rules.port-not-served[0]: expected one of "off", "info", "warn", "warning", "error", got "wran"', 'wran'],
      ['rules.redundant-rule: expected [severity] or [severity, options], got 3 items', '[error, {}, 2]'],
      ['rules.missing-default-deny[1]: unknown key "bogus" (allowed: egress, ignoreNamespaces)', '{egress: true, bogus: 1}'],
      ['rules.policy-selects-nothing[1]: unknown key "bogus" (allowed: none)', '{bogus: 1}'],
      ['clusterDns: unknown key "selectr" (allowed: namespace, selector)', '{namespace: dns, selectr: {}}'],
    ]);
    expect(config.rules).toEqual({});
  });
});
