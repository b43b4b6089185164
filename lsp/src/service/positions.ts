// The one conversion between core's UTF-16 offsets and LSP's 0-based lines and characters.
import { LineIndex, type Range, type SourceLocation } from '@kubereach/core';
import type { Location, Position, Range as LspRange } from 'vscode-languageserver-types';

/** Line indexes by URI, each kept while its text stays the same: an edit rebuilds only the edited file's. */
export class LineIndexes {
  private readonly byUri = new Map<string, { readonly text: string; readonly index: LineIndex }>();

  of(uri: string, text: string): LineIndex {
    let kept = this.byUri.get(uri);
    if (kept?.text !== text) {
      kept = { text, index: new LineIndex(text) };
      this.byUri.set(uri, kept);
    }
    return kept.index;
  }

  /** Forgets the URIs that `keep` rejects (files deleted, closed or ignored). */
  retain(keep: (uri: string) => boolean): void {
    for (const uri of this.byUri.keys()) if (!keep(uri)) this.byUri.delete(uri);
  }
}

/** Conversions in the texts of one analysis. */
export class Positions {
  constructor(
    private readonly textOf: (uri: string) => string | undefined,
    private readonly indexes = new LineIndexes(),
  ) {}

  private index(uri: string): LineIndex {
    return this.indexes.of(uri, this.textOf(uri) ?? '');
  }

  position(uri: string, offset: number): Position {
    const { line, column } = this.index(uri).lineColumn(offset);
    return { line: line - 1, character: column - 1 };
  }

  range(uri: string, range: Range): LspRange {
    return { start: this.position(uri, range.start), end: this.position(uri, range.end) };
  }

  location(location: SourceLocation): Location {
    return { uri: location.file, range: this.range(location.file, location.range) };
  }

  offset(uri: string, position: Position): number {
    return this.index(uri).offset({ line: position.line + 1, column: position.character + 1 });
  }
}
