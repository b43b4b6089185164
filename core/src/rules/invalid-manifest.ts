// invalid-manifest: the loader's decoding and API-validation problems, as lint findings at the exact field.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import type { InputIssue, ManifestObject } from '../manifest/types.js';

/**
 * True when a dedicated rule reports this issue with more help: non-string label values, and values and keys kubectl
 * reads otherwise go to yaml-type-gotcha, duplicate NetworkPolicy names to duplicate-policy-name.
 */
export function reportedElsewhere(issue: InputIssue, objects: readonly ManifestObject[]): boolean {
  if (YAML_TYPE_CODES.has(issue.code)) return true;
  if (issue.code !== 'duplicate-name') return false;
  const { file, range } = issue.location;
  return objects.some(
    (o) => o.kind === 'NetworkPolicy' && o.document.file === file && o.range.start <= range.start && range.end <= o.range.end,
  );
}

/** The loader's issues yaml-type-gotcha reports. */
export const YAML_TYPE_CODES: ReadonlySet<InputIssue['code']> = new Set([
  'label-not-string',
  'kubectl-reads-otherwise',
  'kubectl-reads-key-otherwise',
]);

export default createRule({
  meta: {
    id: 'invalid-manifest',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'A manifest that does not parse, does not decode, or that the API server would reject',
    messages: { issue: '{{message}} ({{code}})' },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    for (const issue of analysis.issues) {
      if (issue.severity === 'info' || reportedElsewhere(issue, analysis.load.objects)) continue;
      report({ messageId: 'issue', data: { message: issue.message, code: issue.code }, location: issue.location, maxSeverity: issue.severity });
    }
  },
});
