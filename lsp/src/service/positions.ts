// The one conversion between core's UTF-16 offsets and LSP's 0-based lines and characters.
import { LineIndex, type Range, type SourceLocation } from '@kubereach/core';
import type { Location, Position, Range as LspRange } from 'vscode-languageserver-types';

/** Line indexes of every analyzed text, built lazily, one per text. */
export class Positions {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly textOf: (uri: string) => string | undefined) {}

  private index(uri: string): LineIndex {
    let index = this.indexes.get(uri);
    if (index === undefined) {
      index = new LineIndex(this.textOf(uri) ?? '');
      this.indexes.set(uri, index);
    }
    return index;
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
