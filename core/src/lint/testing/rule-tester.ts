// Table-driven rule tests: manifests in, findings with exact 1-based ranges out (test-only, not built).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analyze.js';
import { LineIndex } from '../../source/source.js';
import { resolveRules } from '../config.js';
import { lint } from '../lint.js';
import type { Finding, Rule } from '../types.js';

/** One file's text, or several files by path. */
export type TestCode = string | Readonly<Record<string, string>>;

export interface ExpectedFinding {
  readonly messageId: string;
  /** The exact message, when the test pins it. */
  readonly message?: string;
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RuleTestCases {
  readonly valid: readonly (TestCode | { readonly name?: string; readonly code: TestCode; readonly options?: unknown })[];
  readonly invalid: readonly {
    readonly name?: string;
    readonly code: TestCode;
    readonly options?: unknown;
    readonly errors: readonly ExpectedFinding[];
    /** The text of each file after applying every finding's fix, when the rule fixes. */
    readonly output?: TestCode;
  }[];
}

const files = (code: TestCode): Record<string, string> => (typeof code === 'string' ? { 'test.yaml': code } : { ...code });

/** Runs only `rule` (with options) over the files. */
export function runRule(rule: Rule, code: TestCode, options?: unknown): { findings: readonly Finding[]; texts: Record<string, string> } {
  const texts = files(code);
  const analysis = analyze(Object.entries(texts).map(([path, text]) => ({ path, text })));
  const resolved = resolveRules([rule], { rules: { [rule.meta.id]: options === undefined ? 'error' : ['error', options] }, ignore: [], namespace: undefined });
  return { findings: lint(analysis, resolved, { unusedSuppressions: 'off' }).findings, texts };
}

/** Applies every fix's edits (non-overlapping, from the end) to the files. */
export function applyFixes(texts: Record<string, string>, findings: readonly Finding[]): Record<string, string> {
  const result = { ...texts };
  const edits = findings.flatMap((f) => f.fix?.edits ?? []).sort((a, b) => b.range.start - a.range.start);
  for (const edit of edits) {
    const text = result[edit.file]!;
    result[edit.file] = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
  }
  return result;
}

function describeFinding(finding: Finding, texts: Record<string, string>) {
  const index = new LineIndex(texts[finding.location.file] ?? '');
  const start = index.lineColumn(finding.location.range.start);
  const end = index.lineColumn(finding.location.range.end);
  return {
    messageId: finding.messageId,
    message: finding.message,
    file: finding.location.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

export function ruleTester(rule: Rule, cases: RuleTestCases): void {
  describe(rule.meta.id, () => {
    cases.valid.forEach((valid, k) => {
      const testCase = typeof valid === 'string' || !('code' in valid) ? { code: valid as TestCode } : valid;
      it(`valid #${k + 1}${'name' in testCase && testCase.name ? `: ${testCase.name}` : ''}`, () => {
        const { findings, texts } = runRule(rule, testCase.code, 'options' in testCase ? testCase.options : undefined);
        expect(findings.map((f) => describeFinding(f, texts))).toEqual([]);
      });
    });
    cases.invalid.forEach((invalid, k) => {
      it(`invalid #${k + 1}${invalid.name ? `: ${invalid.name}` : ''}`, () => {
        const { findings, texts } = runRule(rule, invalid.code, invalid.options);
        const actual = findings.map((f) => describeFinding(f, texts));
        const expected = invalid.errors.map((e) => ({
          ...e,
          file: e.file ?? 'test.yaml',
          message: e.message ?? expect.any(String),
        }));
        expect(actual).toEqual(expected);
        if (invalid.output !== undefined) expect(applyFixes(texts, findings)).toEqual(files(invalid.output));
      });
    });
  });
}
