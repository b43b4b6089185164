// Prints input issues on stderr as `file:line:col: severity message [code]`; infos are summarised unless --verbose.
import {
  fieldPathAt,
  formatFieldPath,
  LineIndex,
  parseYamlDocuments,
  type InputIssue,
  type SourceLocation,
  type SourceText,
  type YamlDocument,
} from '@kubereach/core';
import { parseClusterInputName } from './cluster/serialize.js';
import type { Style } from './terminal.js';

export class Locations {
  private readonly indexes = new Map<string, LineIndex>();
  private readonly clusterDocuments = new Map<string, YamlDocument | undefined>();

  constructor(private readonly sources: ReadonlyMap<string, SourceText>) {}

  /**
   * `file:line:col` (stdin shows as `<stdin>`). A live object has no file: `Kind/namespace/name field.path`, the
   * field being the one at the location (`NetworkPolicy/shop/api spec.ingress[0].from[0]`).
   */
  format(location: SourceLocation): string {
    const live = this.liveObject(location);
    if (live !== undefined) return live.fieldPath === '' ? live.object : `${live.object} ${live.fieldPath}`;
    const position = this.lineColumn(location);
    return `${displayPath(location.file)}:${position.line}:${position.column}`;
  }

  /** For a location in a live object (no file): `Kind/namespace/name` and the field path; undefined for files. */
  liveObject(location: SourceLocation): { object: string; fieldPath: string } | undefined {
    const live = parseClusterInputName(location.file);
    if (live === undefined) return undefined;
    if (!('kind' in live)) return { object: `cluster ${live.context}`, fieldPath: '' };
    const object = `${live.kind}/${live.namespace === undefined ? '' : `${live.namespace}/`}${live.name}`;
    return { object, fieldPath: this.fieldPath(location) };
  }

  /** The field path at a location of a live object's input (one document each). */
  private fieldPath(location: SourceLocation): string {
    if (!this.clusterDocuments.has(location.file)) {
      const source = this.sources.get(location.file);
      this.clusterDocuments.set(location.file, source === undefined ? undefined : parseYamlDocuments(source).documents[0]);
    }
    const document = this.clusterDocuments.get(location.file);
    return document === undefined ? '' : formatFieldPath(fieldPathAt(document, location.range.start));
  }

  /** The text of an input, for code frames. */
  source(file: string): string | undefined {
    return this.sources.get(file)?.text;
  }

  lineColumn(location: SourceLocation): { line: number; column: number } {
    return this.lineIndex(location.file)?.lineColumn(location.range.start) ?? { line: 1, column: 1 };
  }

  /** The text of a 1-based line of an input, without its line break; '' for an unknown input or line. */
  lineText(file: string, line: number): string {
    return this.lineIndex(file)?.lineText(line) ?? '';
  }

  private lineIndex(file: string): LineIndex | undefined {
    const source = this.sources.get(file);
    if (source === undefined) return undefined;
    let index = this.indexes.get(file);
    if (index === undefined) {
      index = new LineIndex(source.text);
      this.indexes.set(file, index);
    }
    return index;
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
