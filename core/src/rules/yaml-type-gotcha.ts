// yaml-type-gotcha: values that YAML reads as booleans, numbers or null, or that kubectl (YAML 1.1) reads otherwise.
import { z } from 'zod';
import { createRule, type Fix } from '../lint/types.js';
import { kubectlKey, readAsKubectl } from '../manifest/kubectl-yaml.js';
import type { Range } from '../source/source.js';
import { YAML_TYPE_CODES } from './invalid-manifest.js';

export default createRule({
  meta: {
    id: 'yaml-type-gotcha',
    category: 'validation',
    defaultSeverity: 'error',
    description:
      'A value that YAML reads as a boolean, a number or null instead of a string, or a value or key that kubectl reads otherwise than it looks',
    messages: {
      number: 'the value {{text}} is read as the number {{value}}; quote it: {{quoted}}',
      yaml11Number:
        'the value {{text}} is read by kubectl (YAML 1.1) as the number {{value}}; quote it: {{quoted}}',
      octal:
        'the value {{text}} is read by kubectl (YAML 1.1) as the octal number {{value}}; quote it: {{quoted}}',
      boolean: 'the value {{text}} is read as the boolean {{value}}; quote it: {{quoted}}',
      yaml11Boolean:
        'the value {{text}} is read by kubectl (YAML 1.1) as the boolean {{value}}; quote it: {{quoted}}',
      null: 'the value {{text}} is read as null, which the API server turns into the empty string; write "" to say so',
      empty:
        'the value is empty, which YAML reads as null and the API server turns into the empty string; write "" to say so',
      notString: 'the value {{text}} is not read as a string; write it as a quoted string',
      changed:
        'the value {{text}} is read by kubectl (YAML 1.1) as the {{type}} {{value}}, which the cluster gets, where YAML 1.2 reads the string {{quoted}}: write {{value}}',
      keyChanged:
        'the key {{text}} is read by kubectl (YAML 1.1) as the {{type}} {{value}}, so the cluster gets the key {{key}}; quote it to keep {{text}}: {{quoted}}',
      keyRejected:
        'the key {{text}} is read by kubectl (YAML 1.1) as {{type}}, which it cannot send as a JSON key: kubectl rejects the object; quote it: {{quoted}}',
      emptyKey: 'the key is empty, which YAML reads as null and kubectl cannot send as a JSON key: kubectl rejects the object',
      octalChanged:
        'the value {{text}} is read by kubectl (YAML 1.1) as the octal number {{value}}, which the cluster gets, where YAML 1.2 reads {{decimal}}: write {{value}} to keep it, or {{decimal}} if that is meant',
    },
    fixable: true,
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    // The loader finds these values (manifest/label-values.ts) and invalid-manifest leaves them to this rule.
    for (const issue of analysis.issues) {
      if (!YAML_TYPE_CODES.has(issue.code)) continue;
      const { file, range } = issue.location;
      const source = analysis.load.sources.get(file)?.text ?? '';
      const text = source.slice(range.start, range.end);
      const base = { location: issue.location, maxSeverity: issue.severity } as const;
      const quoted = JSON.stringify(text);
      const quote: Fix = {
        description: `quote the ${issue.code === 'kubectl-reads-key-otherwise' ? 'key' : 'value'}: ${quoted}`,
        edits: [{ file, range, newText: quoted }],
      };
      if (issue.code === 'kubectl-reads-key-otherwise') {
        // The loader reports plain keys only: their text is what kubectl reads.
        const keyed = kubectlKey(text);
        if (text === '') report({ ...base, messageId: 'emptyKey' });
        else if (keyed.kind === 'rejected') {
          const type = keyed.type === 'null' ? 'null' : 'an integer beyond int64';
          report({ ...base, messageId: 'keyRejected', data: { text, type, quoted }, fix: quote });
        } else if (keyed.reading.kind === 'boolean' || keyed.reading.kind === 'number') {
          const data = { text, type: keyed.reading.kind, value: String(keyed.reading.value), key: JSON.stringify(keyed.key), quoted };
          report({ ...base, messageId: 'keyChanged', data, fix: quote });
        }
        continue;
      }
      if (issue.code === 'kubectl-reads-otherwise' && issue.severity === 'warning') {
        // The field takes kubectl's value, a number where it looks like a string or another number: no quoting.
        const reading = readAsKubectl(text);
        if (reading.kind !== 'number' && reading.kind !== 'boolean') continue;
        const value = String(reading.value);
        if (reading.kind === 'number' && reading.octal) {
          const decimal = String(Number(text.replace(/_/g, '')));
          report({ ...base, messageId: 'octalChanged', data: { text, value, decimal } });
          continue;
        }
        report({
          ...base,
          messageId: 'changed',
          data: { text, type: reading.kind, value, quoted: JSON.stringify(text) },
          fix: { description: `write ${value}`, edits: [{ file, range, newText: value }] },
        });
        continue;
      }
      const insertion = emptyValueInsertion(source, range);
      if (insertion !== undefined) {
        report({
          ...base,
          messageId: 'empty',
          fix: writeEmptyString(file, { start: insertion, end: insertion }, ' ""'),
        });
        continue;
      }
      const reading = isPlain(text) ? readAsKubectl(text) : { kind: 'string' as const };
      switch (reading.kind) {
        case 'null':
          report({ ...base, messageId: 'null', data: { text }, fix: writeEmptyString(file, range, '""') });
          break;
        case 'boolean':
          report({
            ...base,
            messageId: reading.yaml11Only ? 'yaml11Boolean' : 'boolean',
            data: { text, value: String(reading.value), quoted },
            fix: quote,
          });
          break;
        case 'number':
          report({
            ...base,
            messageId: reading.octal ? 'octal' : reading.yaml11Only ? 'yaml11Number' : 'number',
            data: { text, value: reading.value, quoted },
            fix: quote,
          });
          break;
        case 'string':
          // An alias, a tag or a form the loader's reader and kubectl's disagree on: no safe text to quote.
          report({ ...base, messageId: 'notString', data: { text } });
          break;
      }
    }
  },
});

/** A null is stored as the empty string: writing `""` keeps that meaning and says it. */
function writeEmptyString(file: string, range: Range, newText: string): Fix {
  return { description: 'write the empty string the API server stores', edits: [{ file, range, newText }] };
}

/**
 * For a value left empty (`key:`, or a bare `-` item), the loader points at the key or the dash; the offset
 * right after the colon or the dash is where the value belongs. Undefined when the range holds the value itself.
 */
function emptyValueInsertion(source: string, range: Range): number | undefined {
  let next = range.end;
  while (source[next] === ' ' || source[next] === '\t') next++;
  if (source[next] === ':') return next + 1;
  const dashItem =
    source.slice(range.start, range.end) === '-' && /^(?:\s|$)/.test(source.slice(range.end, range.end + 1));
  return dashItem ? range.end : undefined;
}

/**
 * A plain scalar: not quoted, not a block scalar, not an alias, no tag or anchor in front. The loader reports a
 * tagged scalar (`!!float 1`) with its tag, which decides its type: such a value has no text that quoting would fix.
 */
function isPlain(text: string): boolean {
  return text !== '' && !`'"|>*&!%@\``.includes(text[0]!) && !text.includes('\n');
}
