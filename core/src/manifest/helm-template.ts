// Tells an unrendered Helm/Go template from YAML that merely carries `{{ }}` text (alert templates, dashboards).
import type { Range } from '../source/source.js';
import type { YamlDocument, YamlNode } from './types.js';

/**
 * Helm's built-in objects and functions that only Helm templates use. Alertmanager and Prometheus templates
 * (`{{ $labels.pod }}`, `{{ .CommonLabels }}`) use the same `{{ }}` syntax inside strings, which is valid data.
 */
const HELM_ONLY =
  /\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b|\b(?:include|tpl|required|toYaml|nindent|lookup)\b/;

/**
 * The first template action (`{{ ... }}`, outside comments) that shows the file is an unrendered template: one
 * that names a Helm object or function, sits outside any string (it shapes the YAML), or sits in a document the
 * parser rejected. Undefined when every action is plain string content of valid YAML.
 */
export function findUnrenderedTemplate(
  text: string,
  documents: readonly YamlDocument[],
  failed: ReadonlySet<YamlDocument>,
): Range | undefined {
  const actions = templateActions(text);
  if (actions.length === 0) return undefined;
  const strings = stringRanges(documents);
  return actions.find((action) => {
    const document = documents.find((candidate) => contains(candidate.range, action.start));
    if (document === undefined || failed.has(document)) return true;
    if (!strings.some((range) => contains(range, action.start))) return true;
    // Inside a string of valid YAML: a Helm action is a template only in a Kubernetes object. A chart's values.yaml
    // (no apiVersion or kind) may hold `{{ .Chart.AppVersion }}` for `tpl`: it is data, and no manifest.
    return HELM_ONLY.test(text.slice(action.start, action.end)) && isObjectDocument(document);
  });
}

/** Whether a document's root is a mapping with an `apiVersion` or `kind` key: meant as a Kubernetes object. */
function isObjectDocument(document: YamlDocument): boolean {
  const { root } = document;
  return (
    root?.kind === 'mapping' &&
    root.pairs.some((pair) => pair.key.kind === 'scalar' && (pair.key.value === 'apiVersion' || pair.key.value === 'kind'))
  );
}

/** `{{ ... }}` actions outside comments, each from its `{{` to its `}}`; an unclosed `{{` is not an action. */
function templateActions(text: string): Range[] {
  const actions: Range[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open === -1) return actions;
    const lineStart = text.lastIndexOf('\n', open - 1) + 1;
    const newline = text.indexOf('\n', open);
    const lineEnd = newline === -1 ? text.length : newline;
    if (commentStart(text, lineStart, lineEnd) < open) {
      from = lineEnd;
      continue;
    }
    const close = text.indexOf('}}', open + 2);
    if (close === -1) return actions;
    actions.push({ start: open, end: close + 2 });
    from = close + 2;
  }
}

/**
 * Where a comment begins on a line: a `#` at the line start or after a space, outside quotes. Quotes count only
 * where a quoted scalar can begin, so the apostrophe of `don't` does not hide a comment.
 */
function commentStart(text: string, lineStart: number, lineEnd: number): number {
  let quote: string | undefined;
  for (let at = lineStart; at < lineEnd; at++) {
    const ch = text[at]!;
    const before = at === lineStart ? ' ' : text[at - 1]!;
    if (quote !== undefined) {
      if (ch === '\\' && quote === '"') at++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '#' && (before === ' ' || before === '\t' || at === lineStart)) {
      return at;
    } else if ((ch === '"' || ch === "'") && ' \t:-[{,'.includes(before)) {
      quote = ch;
    }
  }
  return lineEnd;
}

/** Ranges of string scalars. Aliases share their target's items, which are visited once. */
function stringRanges(documents: readonly YamlDocument[]): Range[] {
  const ranges: Range[] = [];
  const visited = new Set<readonly unknown[]>();
  const visit = (node: YamlNode | undefined): void => {
    if (node === undefined) return;
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string') ranges.push(node.range);
      return;
    }
    const children = node.kind === 'sequence' ? node.items : node.pairs;
    if (visited.has(children)) return;
    visited.add(children);
    if (node.kind === 'sequence') node.items.forEach(visit);
    else {
      for (const pair of node.pairs) {
        visit(pair.key);
        visit(pair.value);
      }
    }
  };
  for (const document of documents) visit(document.root);
  return ranges;
}

function contains(range: Range, offset: number): boolean {
  return range.start <= offset && offset < range.end;
}
