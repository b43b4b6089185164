// Every rule has its doc and its test; each doc's incorrect example fires and its correct example does not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { resolveRules } from '../lint/config.js';
import { lint, UNUSED_SUPPRESSION_META } from '../lint/lint.js';
import { RULES } from './index.js';

const docsFolder = fileURLToPath(new URL('../../docs/rules/', import.meta.url));
const rulesFolder = fileURLToPath(new URL('./', import.meta.url));
const SECTIONS = ['## What it flags', '## Why it matters', '## Incorrect', '## Correct', '## How to fix', '## Options'];

function yamlAfter(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  const block = /```yaml\n([\s\S]*?)```/.exec(doc.slice(start));
  if (start < 0 || block === null) throw new Error(`no yaml block under ${heading}`);
  return block[1]!;
}

function findingsOf(ruleId: string, text: string) {
  const analysis = analyze([{ path: 'example.yaml', text }]);
  const isUnusedSuppression = ruleId === UNUSED_SUPPRESSION_META.id;
  // Suppressions name other rules, so that doc runs with every rule enabled.
  const rules = resolveRules(RULES, { rules: {}, ignore: [], namespace: undefined }).filter(
    (r) => isUnusedSuppression || r.rule.meta.id === ruleId,
  );
  const unused = isUnusedSuppression ? 'warning' : 'off';
  return lint(analysis, rules, { unusedSuppressions: unused }).findings.filter((f) => f.ruleId === ruleId);
}

const ids = [...RULES.map((r) => r.meta.id), UNUSED_SUPPRESSION_META.id];

describe('rule catalog', () => {
  it('is sorted by id, without duplicates', () => {
    const sorted = [...RULES.map((r) => r.meta.id)].sort();
    expect(RULES.map((r) => r.meta.id)).toEqual([...new Set(sorted)]);
  });

  it('has a doc for every rule and a rule for every doc', () => {
    const docs = readdirSync(docsFolder).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
    expect(docs).toEqual([...ids].sort());
  });

  it.each(RULES.map((r) => r.meta.id))('%s has a test file', (id) => {
    expect(existsSync(`${rulesFolder}${id}.test.ts`)).toBe(true);
  });

  describe.each(ids)('%s doc', (id) => {
    const doc = readFileSync(`${docsFolder}${id}.md`, 'utf8');
    it('has every section and starts with the id', () => {
      expect(doc.startsWith(`# ${id}\n`)).toBe(true);
      for (const section of SECTIONS) expect(doc).toContain(`\n${section}\n`);
    });
    it('has an incorrect example that reports', () => {
      expect(findingsOf(id, yamlAfter(doc, '## Incorrect')).length).toBeGreaterThan(0);
    });
    it('has a correct example that reports nothing', () => {
      expect(findingsOf(id, yamlAfter(doc, '## Correct')).map((f) => f.message)).toEqual([]);
    });
  });
});
