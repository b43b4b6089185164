// Splits a YAML stream into its documents on `---` and `...` marker lines, keeping offsets into the whole text.

/** One document's slice of a YAML stream. Offsets are into the whole text. */
export interface DocumentChunk {
  /** Start of the text handed to the parser: the `---` line, the directives before it, or the stream start. */
  readonly start: number;
  /** End of the chunk: the next marker line, or the end of the text. */
  readonly end: number;
  /** Where the document's own text begins: after the `---` marker line (or on it, when content follows the marker). */
  readonly contentStart: number;
}

interface Line {
  readonly start: number;
  /** End of the line's text, before `\r\n` or `\n`. */
  readonly end: number;
  /** Start of the next line (the text length for the last line). */
  readonly next: number;
}

const BYTE_ORDER_MARK = 0xfeff;

/**
 * The documents of a stream. A document opened by `---` always counts (it may be empty); text before the first
 * marker or after a `...` counts only when it holds something other than blank lines, comments and directives.
 * Directives (`%YAML`) before a `---` travel with the document they announce.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const streamStart = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  const chunks: DocumentChunk[] = [];
  let chunkStart = streamStart;
  let contentStart = streamStart;
  let explicit = false;
  let hasContent = false;
  /** First directive line of an implicit chunk that holds nothing else yet. */
  let directivesStart: number | undefined;

  const closeChunk = (end: number): void => {
    if (explicit || hasContent) chunks.push({ start: chunkStart, end, contentStart });
  };

  // One line object moved along the text: every line of every input passes here, and a fresh object per line showed
  // in profiles of loading.
  const line = { start: streamStart, end: streamStart, next: streamStart };
  for (; line.start < text.length; line.start = line.next) {
    const newline = text.indexOf('\n', line.start);
    line.next = newline === -1 ? text.length : newline + 1;
    line.end = newline === -1 ? text.length : newline;
    if (line.end > line.start && text.charCodeAt(line.end - 1) === 13 /* \r */) line.end -= 1;
    // Most lines start with neither marker: one character tells.
    const lead = text.charCodeAt(line.start);
    if (lead === 0x2d /* - */ && isMarker(text, line, '---')) {
      closeChunk(line.start);
      chunkStart = !explicit && !hasContent && directivesStart !== undefined ? directivesStart : line.start;
      contentStart = afterMarker(text, line);
      explicit = true;
      hasContent = false;
      directivesStart = undefined;
    } else if (lead === 0x2e /* . */ && isMarker(text, line, '...')) {
      closeChunk(line.start);
      chunkStart = line.next;
      contentStart = line.next;
      explicit = false;
      hasContent = false;
      directivesStart = undefined;
    } else if (!explicit && !hasContent) {
      const first = firstNonSpace(text, line);
      if (first === line.end || text[first] === '#') continue;
      if (first === line.start && text[first] === '%') directivesStart ??= line.start;
      else hasContent = true;
    }
  }
  closeChunk(text.length);
  return chunks;
}

function isMarker(text: string, line: Line, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, line.start) || line.start + 3 > line.end) return false;
  const after = line.start + 3;
  return after === line.end || text[after] === ' ' || text[after] === '\t';
}

/** The first offset after the marker that holds document text: the next line when only a comment follows. */
function afterMarker(text: string, line: Line): number {
  let position = line.start + 3;
  while (position < line.end && (text[position] === ' ' || text[position] === '\t')) position++;
  return position === line.end || text[position] === '#' ? line.next : position;
}

function firstNonSpace(text: string, line: Line): number {
  let position = line.start;
  while (position < line.end && (text[position] === ' ' || text[position] === '\t')) position++;
  return position;
}
