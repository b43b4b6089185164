// The versioned JSON document (schema: docs/matrix-json.md): nodes, connections and input issues, connections streamed.
import type { InputIssue, MatrixStream } from '@kubereach/core';
import { displayPath } from '../report-issues.js';
import type { FormatContext } from './format.js';

export const MATRIX_JSON_SCHEMA = 'kubereach.dev/matrix/v1';

export function issueJson(issue: InputIssue, context: Pick<FormatContext, 'locations'>) {
  const start = context.locations.lineColumn(issue.location);
  const end = context.locations.lineColumn({ file: issue.location.file, range: { start: issue.location.range.end, end: issue.location.range.end } });
  return {
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    file: displayPath(issue.location.file),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

/** `value` as JSON.stringify(…, null, 2) writes it at `depth` levels of nesting. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/** The same text as JSON.stringify(document, null, 2), with the connections array written row by row. */
export function* formatJson(matrix: MatrixStream, context: FormatContext): Generator<string> {
  const nodes = matrix.nodes.map((node) => ({
    id: node.id,
    kind: node.kind,
    ...(node.namespace === undefined ? {} : { namespace: node.namespace }),
    ...(node.members === undefined ? {} : { members: node.members }),
  }));
  yield `{\n  "schema": ${JSON.stringify(MATRIX_JSON_SCHEMA)},\n  "granularity": ${JSON.stringify(matrix.granularity)},\n  "nodes": ${nested(nodes, 1)},\n  "connections": [`;
  let separator = '\n    ';
  for (const row of matrix.rows) {
    const connection = { source: row.source.id, destination: row.destination.id, allowed: row.connections.toString(), connections: row.connections.toJSON() };
    yield `${separator}${nested(connection, 2)}`;
    separator = ',\n    ';
  }
  yield `${separator === '\n    ' ? ']' : '\n  ]'},\n  "issues": ${nested(context.issues.map((issue) => issueJson(issue, context)), 1)}\n}\n`;
}
