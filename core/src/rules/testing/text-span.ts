// Test-only: the 1-based line/column span of a piece of a test manifest, so expected ranges come from the text.
import { LineIndex } from '../../source/source.js';

export interface TextSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * The span from the first `first` found after the anchors `after` (each found after the previous one)
 * to the end of the first `last` found from there (`last` defaults to `first`). Throws when a piece is
 * missing, so a stale test fails loudly.
 */
export function spanOf(
  text: string,
  first: string,
  options: { readonly last?: string; readonly after?: string | readonly string[] } = {},
): TextSpan {
  const anchors = options.after === undefined ? [] : typeof options.after === 'string' ? [options.after] : options.after;
  let from = 0;
  for (const anchor of anchors) from = indexOrThrow(text, anchor, from) + anchor.length;
  const start = indexOrThrow(text, first, from);
  const last = options.last ?? first;
  const end = indexOrThrow(text, last, start) + last.length;
  const index = new LineIndex(text);
  const a = index.lineColumn(start);
  const b = index.lineColumn(end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

function indexOrThrow(text: string, piece: string, from: number): number {
  const index = text.indexOf(piece, from);
  if (index < 0) throw new Error(`"${piece}" not found in the test text`);
  return index;
}
