// The versioned JSON document (schema: docs/matrix-json.md): nodes, connections and input issues.
import type { InputIssue, Matrix } from '@kubereach/core';
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

export function formatJson(matrix: Matrix, context: FormatContext): string {
  const document = {
    schema: MATRIX_JSON_SCHEMA,
    granularity: matrix.granularity,
    nodes: matrix.nodes.map((node) => ({ id: node.id, kind: node.kind, ...(node.namespace === undefined ? {} : { namespace: node.namespace }) })),
    connections: matrix.rows.map((row) => ({
      source: row.source.id,
      destination: row.destination.id,
      allowed: row.connections.toString(),
      connections: row.connections.toJSON(),
    })),
    issues: context.issues.map((issue) => issueJson(issue, context)),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
