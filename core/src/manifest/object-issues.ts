// Collects the issues of one Kubernetes object: messages name the field, ranges point at it in the source.
import type { Range } from '../source/source.js';
import { formatFieldPath, rangeAt } from './paths.js';
import type { FieldPath, InputIssue, InputIssueCode, Severity, YamlDocument } from './types.js';

/** Where an object lives: its document, the whole text of its file, and its path inside the document. */
export interface ObjectSource {
  readonly document: YamlDocument;
  readonly text: string;
  readonly basePath: FieldPath;
}

type RangeOptions = Parameters<typeof rangeAt>[2];

export class ObjectIssues {
  constructor(
    readonly source: ObjectSource,
    readonly issues: InputIssue[] = [],
  ) {}

  /** The issues of a field: paths are relative to it, and issues land in the same list. */
  at(path: FieldPath): ObjectIssues {
    return new ObjectIssues({ ...this.source, basePath: [...this.source.basePath, ...path] }, this.issues);
  }

  /** Reports a problem with the field at `path` (relative to the object); the message starts with that path. */
  add(
    code: InputIssueCode,
    severity: Severity,
    path: FieldPath,
    detail: string,
    options?: RangeOptions,
  ): void {
    this.report(
      code,
      severity,
      path,
      path.length === 0 ? detail : `${formatFieldPath(path)}: ${detail}`,
      options,
    );
  }

  /** Reports a message as it is, at the field at `path`. */
  report(
    code: InputIssueCode,
    severity: Severity,
    path: FieldPath,
    message: string,
    options?: RangeOptions,
  ): void {
    const { document, basePath } = this.source;
    const range = rangeAt(document, [...basePath, ...path], options);
    this.issues.push({ code, severity, message, location: { file: document.file, range } });
  }

  /** Reports a problem with the field at `path` at a range inside it (a character of a selector expression). */
  addAt(code: InputIssueCode, severity: Severity, path: FieldPath, detail: string, range: Range): void {
    const { document } = this.source;
    this.issues.push({ code, severity, message: `${formatFieldPath(path)}: ${detail}`, location: { file: document.file, range } });
  }

  /** True when some issue is an error: the API server would reject the object. */
  hasErrors(): boolean {
    return this.issues.some((issue) => issue.severity === 'error');
  }
}
