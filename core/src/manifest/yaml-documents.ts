// Reads a YAML or JSON text into its documents, each parsed on its own so one broken document hides no other.
import type { Range, SourceText } from '../source/source.js';
import { findUnrenderedTemplate } from './helm-template.js';
import { splitDocuments } from './split-documents.js';
import type { InputIssue, YamlDocument } from './types.js';
import { parseYamlDocument } from './yaml-tree.js';

const HELM_TEMPLATE_MESSAGE =
  'unrendered Helm template: run `helm template` and pass its output (kubereach matrix -)';

/**
 * The documents of a file, with one `yaml-syntax` issue per document the parser rejects (that document is still
 * listed, with no root, so indices match the file). An unrendered template yields one `helm-template` issue and
 * no documents.
 */
export function parseYamlDocuments(source: SourceText): { documents: YamlDocument[]; issues: InputIssue[] } {
  const { path: file, text } = source;
  const documents: YamlDocument[] = [];
  const issues: InputIssue[] = [];
  const failed = new Set<YamlDocument>();
  for (const [index, chunk] of splitDocuments(text).entries()) {
    const parsed = parseYamlDocument(text, chunk.start, chunk.end);
    const range = { start: chunk.contentStart, end: Math.max(chunk.contentStart, trimEnd(text, chunk.end)) };
    const document: YamlDocument = { file, index, range, root: parsed.root, value: parsed.value };
    documents.push(document);
    if (parsed.error === undefined) continue;
    failed.add(document);
    issues.push({
      code: 'yaml-syntax',
      severity: 'error',
      message: parsed.error.message,
      location: { file, range: charAt(text, parsed.error.position) },
    });
  }
  const views = documents.map((document) => ({ ...document, failed: failed.has(document) }));
  const template = findUnrenderedTemplate(text, views);
  if (template !== undefined) {
    return {
      documents: [],
      issues: [
        {
          code: 'helm-template',
          severity: 'error',
          message: HELM_TEMPLATE_MESSAGE,
          location: { file, range: template },
        },
      ],
    };
  }
  return { documents, issues };
}

/** The character at `position` (nothing at the end of the text or of a line, where a parser often stops). */
function charAt(text: string, position: number): Range {
  const ch = text[position];
  const visible = ch !== undefined && ch !== '\n' && ch !== '\r';
  return { start: position, end: visible ? position + 1 : position };
}

function trimEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && ' \t\r\n'.includes(text[at - 1]!)) at--;
  return at;
}
