// The one conversion between core's UTF-16 offsets and LSP's 0-based lines and characters.
import { LineIndex, type Range, type SourceLocation } from '@kubereach/core';
import type { Location, Position, Range as LspRange } from 'vscode-languageserver-types';

/** Line indexes by file name, each kept while its text stays the same: an edit rebuilds only the edited file's. */
export class LineIndexes {
  private readonly byFile = new Map<string, { readonly text: string; readonly index: LineIndex }>();

  of(file: string, text: string): LineIndex {
    let kept = this.byFile.get(file);
    if (kept?.text !== text) {
      kept = { text, index: new LineIndex(text) };
      this.byFile.set(file, kept);
    }
    return kept.index;
  }

  /** Forgets the files that `keep` rejects (deleted, closed or ignored). */
  retain(keep: (file: string) => boolean): void {
    for (const file of this.byFile.keys()) if (!keep(file)) this.byFile.delete(file);
  }
}

/** Conversions in the texts of one analysis, whose files core names as `uriOf` undoes. */
export class Positions {
  constructor(
    private readonly textOf: (file: string) => string | undefined,
    private readonly indexes = new LineIndexes(),
    private readonly uriOf: (file: string) => string = (file) => file,
  ) {}

  private index(file: string): LineIndex {
    return this.indexes.of(file, this.textOf(file) ?? '');
  }

  position(file: string, offset: number): Position {
    const { line, column } = this.index(file).lineColumn(offset);
    return { line: line - 1, character: column - 1 };
  }

  range(file: string, range: Range): LspRange {
    return { start: this.position(file, range.start), end: this.position(file, range.end) };
  }

  location(location: SourceLocation): Location {
    return { uri: this.uriOf(location.file), range: this.range(location.file, location.range) };
  }

  /**
   * The offset of a position. LSP 3.17: a character past the end of its line means the line's end (before its line
   * break), never a place on a later line; a line past the last one means the end of the text.
   */
  offset(file: string, position: Position): number {
    const index = this.index(file);
    const lines = index.lineColumn(Number.MAX_SAFE_INTEGER).line;
    const line = Math.max(0, position.line) + 1;
    if (line > lines) return index.offset({ line: lines, column: Number.MAX_SAFE_INTEGER });
    const character = Math.min(Math.max(0, position.character), index.lineText(line).length);
    return index.offset({ line, column: character + 1 });
  }
}
