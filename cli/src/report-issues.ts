// Prints input issues on stderr as `file:line:col: severity message [code]`; infos are summarised unless --verbose.
import { LineIndex, type InputIssue, type SourceLocation, type SourceText } from '@kubereach/core';
import type { Style } from './terminal.js';

export class Locations {
  private readonly indexes = new Map<string, LineIndex>();

  constructor(private readonly sources: ReadonlyMap<string, SourceText>) {}

  /** `file:line:col` (stdin shows as `<stdin>`). */
  format(location: SourceLocation): string {
    const position = this.lineColumn(location);
    return `${displayPath(location.file)}:${position.line}:${position.column}`;
  }

  lineColumn(location: SourceLocation): { line: number; column: number } {
    const source = this.sources.get(location.file);
    if (source === undefined) return { line: 1, column: 1 };
    let index = this.indexes.get(location.file);
    if (index === undefined) {
      index = new LineIndex(source.text);
      this.indexes.set(location.file, index);
    }
    return index.lineColumn(location.range.start);
  }
}

export function displayPath(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

export function reportIssues(
  issues: readonly InputIssue[],
  locations: Locations,
  style: Style,
  write: (line: string) => void,
  verbose: boolean,
): void {
  const skipped = new Map<string, number>();
  for (const issue of issues) {
    if (issue.severity === 'info' && !verbose) {
      skipped.set(issue.code, (skipped.get(issue.code) ?? 0) + 1);
      continue;
    }
    const label =
      issue.severity === 'error' ? style.red('error') : issue.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
    write(`${locations.format(issue.location)}: ${label} ${issue.message} ${style.dim(`[${issue.code}]`)}`);
  }
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  if (total > 0) {
    const details = [...skipped.entries()].map(([code, count]) => `${count} ${code}`).join(', ');
    write(style.dim(`info: ${total} document${total === 1 ? '' : 's'} skipped (${details}); --verbose lists them`));
  }
}
