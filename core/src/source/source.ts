// Source text, offsets and the one conversion to line/column used at the edges.

/** A half-open range of UTF-16 offsets into a source text: [start, end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** A place in an input: a file (or `-` for stdin, or `cluster:` names later) and a range in it. */
export interface SourceLocation {
  readonly file: string;
  readonly range: Range;
}

/** One input text as given to the loader. Core never reads files itself. */
export interface SourceText {
  /** Display path: as the user gave it (relative stays relative), `-` for stdin. */
  readonly path: string;
  readonly text: string;
}

/** 1-based line and column (column counted in UTF-16 code units, like editors and SARIF). */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Converts offsets to 1-based line/column; line starts are computed once, lazily. */
export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  private starts(): number[] {
    if (this.lineStarts === undefined) {
      // indexOf searches natively: an order of magnitude faster than testing each character in a loop.
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  lineColumn(offset: number): LineColumn {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - starts[low]! + 1 };
  }

  /** Offset of a 1-based line and column (clamped into the text). */
  offset(position: LineColumn): number {
    const starts = this.starts();
    const lineIndex = Math.max(0, Math.min(position.line - 1, starts.length - 1));
    return Math.min(this.text.length, starts[lineIndex]! + Math.max(0, position.column - 1));
  }

  /** The full text of the 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, '');
  }
}
