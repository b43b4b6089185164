// Inline suppressions in YAML comments: `# kubereach-disable-next-line <rule-id>[, <rule-id>] -- <reason>` and the file-level form.
import { LineIndex, type Range, type SourceText } from '../source/source.js';

export type SuppressionScope = 'next-line' | 'file';

/** A rule id as written in a directive, with its place for a finding about that id alone. */
export interface SuppressedRule {
  readonly id: string;
  readonly range: Range;
}

export interface Suppression {
  readonly file: string;
  readonly scope: SuppressionScope;
  /** In the order written; empty means every rule. */
  readonly rules: readonly SuppressedRule[];
  readonly reason: string | undefined;
  /** Range of the comment, for the unused-suppression finding. */
  readonly range: Range;
  /** The comment's whole line with its line break: what removing the directive deletes. */
  readonly lineRange: Range;
  /** 1-based line the directive covers (the next line that is not a comment); undefined for the file form. */
  readonly line: number | undefined;
  /**
   * Where the value of the key written on the covered line starts, when that value is a block on later lines
   * (`podSelector:` above an indented mapping, `egress:` above a list); a finding starting there is covered too.
   */
  readonly valueStart: number | undefined;
}

const DIRECTIVE = /^(\s*)#\s*kubereach-disable-(next-line|file)\b(.*)$/;

/**
 * A line (its comment removed) that ends in a mapping key with no value on it: `key:`, `- key:`, `"key":`, node
 * properties (`&anchor`, `!tag`) allowed after the colon. Group 1 is everything before the key.
 */
const BLOCK_KEY_LINE = /^((?:\s*-(?=\s))*\s*)[^\s#].*:(?:\s+[&!]\S*)*\s*$/;
const TRAILING_COMMENT = /\s#.*$/;

const COMMENT_ONLY = /^\s*#/;
const BLANK = /^\s*$/;

/** Finds every directive; a directive must be a comment on its own line. */
export function parseSuppressions(source: SourceText): Suppression[] {
  const suppressions: Suppression[] = [];
  // Most files have none: one search instead of a match per line.
  if (!source.text.includes('kubereach-disable-')) return suppressions;
  const rawLines = source.text.split('\n');
  const lines = rawLines.map((line) => line.replace(/\r$/, ''));
  const lineStarts: number[] = [];
  let offset = 0;
  for (const rawLine of rawLines) {
    lineStarts.push(offset);
    offset += rawLine.length + 1;
  }
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (match === null) return;
    const [, indent, scope, rest] = match as unknown as [string, string, 'next-line' | 'file', string];
    const lineStart = lineStarts[index]!;
    const [rulesText = '', ...reasonParts] = rest.split(' -- ');
    const reason = reasonParts.join(' -- ').trim();
    const rulesStart = lineStart + line.length - rest.length;
    const rules = [...rulesText.matchAll(/[^\s,]+/g)].map((id) => ({
      id: id[0],
      range: { start: rulesStart + id.index, end: rulesStart + id.index + id[0].length },
    }));
    let line1: number | undefined;
    let valueStart: number | undefined;
    if (scope === 'next-line') {
      let target = index + 1;
      while (target < lines.length && COMMENT_ONLY.test(lines[target]!)) target++;
      line1 = target + 1;
      valueStart = blockValueStart(lines, lineStarts, target);
    }
    suppressions.push({
      file: source.path,
      scope,
      rules,
      reason: reason === '' ? undefined : reason,
      range: { start: lineStart + indent.length, end: lineStart + line.length },
      lineRange: { start: lineStart, end: Math.min(lineStart + rawLines[index]!.length + 1, source.text.length) },
      line: line1,
      valueStart,
    });
  });
  return suppressions;
}

/**
 * The offset where the block value of the key on line `keyLine` (0-based) starts: the first character of the next
 * line that is neither blank nor a comment, when that line is indented deeper than the key, or as deep for a list
 * (`egress:` then `- to:`). Undefined when the line holds no such key, or the key's value is empty.
 */
function blockValueStart(lines: readonly string[], lineStarts: readonly number[], keyLine: number): number | undefined {
  const key = BLOCK_KEY_LINE.exec((lines[keyLine] ?? '').replace(TRAILING_COMMENT, ''));
  if (key === null) return undefined;
  const keyColumn = key[1]!.length;
  let next = keyLine + 1;
  while (next < lines.length && (BLANK.test(lines[next]!) || COMMENT_ONLY.test(lines[next]!))) next++;
  const line = lines[next];
  if (line === undefined) return undefined;
  const column = /^\s*/.exec(line)![0].length;
  const isListItem = /^-(\s|$)/.test(line.slice(column));
  return column > keyColumn || (column === keyColumn && isListItem) ? lineStarts[next]! + column : undefined;
}

/** Matches findings against directives, remembering which rule ids of which directives were used. */
export class SuppressionIndex {
  private readonly byFile = new Map<string, Suppression[]>();
  /**
   * Per file: the file-level directives, the next-line ones by the line they cover and by where the block value of
   * that line's key starts, so a finding looks at its own.
   */
  private readonly directives = new Map<
    string,
    { readonly fileWide: Suppression[]; readonly byLine: Map<number, Suppression[]>; readonly byValueStart: Map<number, Suppression[]> }
  >();
  private readonly lineIndexes = new Map<string, LineIndex>();
  /** Per directive that suppressed something, the ids it suppressed findings of. */
  private readonly usedIds = new Map<Suppression, Set<string>>();

  constructor(sources: Iterable<SourceText>) {
    for (const source of sources) {
      const found = parseSuppressions(source);
      if (found.length > 0) {
        this.byFile.set(source.path, found);
        const fileWide: Suppression[] = [];
        const byLine = new Map<number, Suppression[]>();
        const byValueStart = new Map<number, Suppression[]>();
        for (const suppression of found) {
          if (suppression.line === undefined) fileWide.push(suppression);
          else append(byLine, suppression.line, suppression);
          if (suppression.valueStart !== undefined) append(byValueStart, suppression.valueStart, suppression);
        }
        this.directives.set(source.path, { fileWide, byLine, byValueStart });
        this.lineIndexes.set(source.path, new LineIndex(source.text));
      }
    }
  }

  get all(): Suppression[] {
    return [...this.byFile.values()].flat();
  }

  /**
   * True when a directive covers a finding of `ruleId` starting at `offset` in `file`: a file-level one, or a
   * next-line one whose covered line holds the offset or whose covered line's key has its block value start there.
   */
  suppresses(ruleId: string, file: string, offset: number): boolean {
    const directives = this.directives.get(file);
    if (directives === undefined) return false;
    const line = this.lineIndexes.get(file)!.lineColumn(offset).line;
    const covering = new Set([...directives.fileWide, ...(directives.byLine.get(line) ?? []), ...(directives.byValueStart.get(offset) ?? [])]);
    let suppressed = false;
    for (const suppression of covering) {
      if (suppression.rules.length === 0 || suppression.rules.some((rule) => rule.id === ruleId)) {
        let ids = this.usedIds.get(suppression);
        if (ids === undefined) this.usedIds.set(suppression, (ids = new Set()));
        ids.add(ruleId);
        suppressed = true;
      }
    }
    return suppressed;
  }

  /** True when the directive suppressed some finding. */
  isUsed(suppression: Suppression): boolean {
    return this.usedIds.has(suppression);
  }

  /** The rule ids of a directive that suppressed no finding, in the order written (none for a directive without ids). */
  unusedRules(suppression: Suppression): SuppressedRule[] {
    const used = this.usedIds.get(suppression);
    return suppression.rules.filter((rule) => used?.has(rule.id) !== true);
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
