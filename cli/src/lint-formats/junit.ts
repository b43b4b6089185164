// JUnit XML for GitLab and Jenkins: one test suite per rule, one test case per rule and file, named stably.
import type { Finding } from '@kubereach/core';
import { displayPath } from '../report-issues.js';
import type { LintFormatContext } from './format.js';
import { allRuleMetas } from './sarif.js';

/** XML text or attribute content: the five entities escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot hold
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface JunitCase {
  readonly name: string;
  readonly classname: string;
  readonly file?: string;
  /** Present when the case failed: a one-line message and the details. */
  readonly failure?: { readonly message: string; readonly type: string; readonly details: string };
  readonly output?: string;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

/** A `<testsuites>` document; shared by `lint --format junit` and `test --format junit`. */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const count = (cases: readonly JunitCase[]) => ({ tests: cases.length, failures: cases.filter((c) => c.failure !== undefined).length });
  const all = suites.flatMap((s) => s.cases);
  const totals = count(all);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" time="0">`,
  ];
  for (const suite of suites) {
    const { tests, failures } = count(suite.cases);
    out.push(`  <testsuite name="${escapeXml(suite.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="0">`);
    for (const testCase of suite.cases) {
      const file = testCase.file === undefined ? '' : ` file="${escapeXml(testCase.file)}"`;
      const head = `    <testcase name="${escapeXml(testCase.name)}" classname="${escapeXml(testCase.classname)}"${file} time="0"`;
      if (testCase.failure === undefined && testCase.output === undefined) {
        out.push(`${head}/>`);
        continue;
      }
      out.push(`${head}>`);
      if (testCase.failure !== undefined) {
        const { message, type, details } = testCase.failure;
        out.push(`      <failure message="${escapeXml(message)}" type="${escapeXml(type)}">${escapeXml(details)}</failure>`);
      }
      if (testCase.output !== undefined) out.push(`      <system-out>${escapeXml(testCase.output)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/**
 * A case per rule and file: it fails when the rule reports an error or a warning in the file;
 * infos only go to its output. Files are the analysed inputs when the command passes them, else
 * the files with findings.
 */
export function formatJunit(findings: readonly Finding[], { locations, files, ruleIds }: LintFormatContext): string {
  const inputFiles = [...new Set([...(files ?? []), ...findings.map((f) => f.location.file)])].sort();
  const rules = ruleIds ?? allRuleMetas().map((meta) => meta.id);
  const suites = [...new Set([...rules, ...findings.map((f) => f.ruleId)])].map((ruleId): JunitSuite => ({
    name: `kubereach.${ruleId}`,
    cases: inputFiles.map((file): JunitCase => {
      const found = findings.filter((f) => f.ruleId === ruleId && f.location.file === file);
      const lines = found.map((f) => `${locations.format(f.location)}: ${f.severity} ${f.message}`);
      const failing = found.filter((f) => f.severity !== 'info');
      const name = displayPath(file);
      const base = { name, classname: `kubereach.${ruleId}`, file: name };
      if (failing.length === 0) return found.length === 0 ? base : { ...base, output: lines.join('\n') };
      const first = failing[0]!;
      const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
      return { ...base, failure: { message: `${first.message}${more}`, type: first.severity, details: lines.join('\n') } };
    }),
  }));
  return junitXml('kubereach lint', suites);
}
