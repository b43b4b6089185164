// Inline suppressions in YAML comments: `# kubereach-disable-next-line <rule-id>[, <rule-id>] -- <reason>` and the file-level form.
import { LineIndex, type Range, type SourceText } from '../source/source.js';

export type SuppressionScope = 'next-line' | 'file';

export interface Suppression {
  readonly file: string;
  readonly scope: SuppressionScope;
  /** Empty means every rule. */
  readonly ruleIds: readonly string[];
  readonly reason: string | undefined;
  /** Range of the comment, for the unused-suppression finding. */
  readonly range: Range;
  /** 1-based line the directive covers (the next line that is not a comment); undefined for the file form. */
  readonly line: number | undefined;
}

const DIRECTIVE = /^(\s*)#\s*kubereach-disable-(next-line|file)\b(.*)$/;

/** Finds every directive; a directive must be a comment on its own line. */
export function parseSuppressions(source: SourceText): Suppression[] {
  const suppressions: Suppression[] = [];
  // Most files have none: one search instead of a match per line.
  if (!source.text.includes('kubereach-disable-')) return suppressions;
  const lines = source.text.split('\n');
  let offset = 0;
  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const match = DIRECTIVE.exec(line);
    if (match !== null) {
      const [, indent, scope, rest] = match as unknown as [string, string, 'next-line' | 'file', string];
      const [rulesText, ...reasonParts] = rest.split(' -- ');
      const reason = reasonParts.join(' -- ').trim();
      const ruleIds = (rulesText ?? '')
        .split(/[\s,]+/)
        .map((id) => id.trim())
        .filter((id) => id !== '');
      let target: number | undefined;
      if (scope === 'next-line') {
        target = index + 2;
        while (target - 1 < lines.length && /^\s*(#.*)?\r?$/.test(lines[target - 1]!) && !/^\s*$/.test(lines[target - 1]!)) target++;
      }
      suppressions.push({
        file: source.path,
        scope: scope === 'file' ? 'file' : 'next-line',
        ruleIds,
        reason: reason === '' ? undefined : reason,
        range: { start: offset + indent.length, end: offset + line.length },
        line: target,
      });
    }
    offset += rawLine.length + 1;
  });
  return suppressions;
}

/** Matches findings against directives, remembering which directives were used. */
export class SuppressionIndex {
  private readonly byFile = new Map<string, Suppression[]>();
  /** Per file: the file-level directives, and the next-line ones by the line they cover, so a finding looks at its own. */
  private readonly directives = new Map<string, { readonly fileWide: Suppression[]; readonly byLine: Map<number, Suppression[]> }>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  readonly used = new Set<Suppression>();

  constructor(sources: Iterable<SourceText>) {
    for (const source of sources) {
      const found = parseSuppressions(source);
      if (found.length > 0) {
        this.byFile.set(source.path, found);
        const fileWide: Suppression[] = [];
        const byLine = new Map<number, Suppression[]>();
        for (const suppression of found) {
          if (suppression.line === undefined) fileWide.push(suppression);
          else {
            const onLine = byLine.get(suppression.line);
            if (onLine === undefined) byLine.set(suppression.line, [suppression]);
            else onLine.push(suppression);
          }
        }
        this.directives.set(source.path, { fileWide, byLine });
        this.lineIndexes.set(source.path, new LineIndex(source.text));
      }
    }
  }

  get all(): Suppression[] {
    return [...this.byFile.values()].flat();
  }

  /** True when a directive covers a finding of `ruleId` starting at `offset` in `file`. */
  suppresses(ruleId: string, file: string, offset: number): boolean {
    const directives = this.directives.get(file);
    if (directives === undefined) return false;
    const line = this.lineIndexes.get(file)!.lineColumn(offset).line;
    let suppressed = false;
    for (const suppression of [...directives.fileWide, ...(directives.byLine.get(line) ?? [])]) {
      if (suppression.ruleIds.length === 0 || suppression.ruleIds.includes(ruleId)) {
        this.used.add(suppression);
        suppressed = true;
      }
    }
    return suppressed;
  }
}
