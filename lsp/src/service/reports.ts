// The custom requests: the workspace's connectivity matrix, and the explanation of one path.
import { buildMatrix, type MatrixNode, type SideVerdict, type SourceLocation } from '@kubereach/core';
import type { ExplainLine, ExplainParams, ExplainResult, MatrixNodeJson, MatrixParams, MatrixResult } from '../protocol.js';
import type { Snapshot } from './snapshot.js';

/** Class nodes appear only at class granularity, which the protocol does not offer. */
function nodeKind(kind: MatrixNode['kind']): MatrixNodeJson['kind'] {
  if (kind === 'class') throw new Error('a class node in a workload or namespace matrix');
  return kind;
}

export function matrix(snapshot: Snapshot, params: MatrixParams): MatrixResult {
  const granularity = params.granularity === 'namespace' ? 'namespace' : 'workload';
  const built = buildMatrix(snapshot.analysis.result, granularity);
  return {
    granularity,
    nodes: built.nodes.map((n) => ({ id: n.id, kind: nodeKind(n.kind), namespace: n.namespace ?? null })),
    rows: built.rows.map((r) => ({ source: r.source.id, destination: r.destination.id, connections: r.connections.toString() })),
  };
}

function line(snapshot: Snapshot, text: string, location?: SourceLocation): ExplainLine {
  if (location === undefined) return { text };
  const { start } = snapshot.positions.range(location.file, location.range);
  return { text, location: { uri: location.file, line: start.line, character: start.character } };
}

function sideLines(snapshot: Snapshot, side: SideVerdict): ExplainLine[] {
  const head = `${side.direction} of ${side.subject.id}`;
  if (side.exemptBecause !== undefined) return [line(snapshot, `${head}: not subject to policies (${side.exemptBecause})`)];
  if (side.isolatedBy.length === 0) return [line(snapshot, `${head}: not isolated, everything allowed`)];
  const lines = [line(snapshot, `${head}: isolated by ${side.isolatedBy.length} ${side.isolatedBy.length === 1 ? 'policy' : 'policies'}, allows ${side.connections.toString()}`)];
  for (const policy of side.isolatedBy) {
    lines.push(line(snapshot, `  policy ${policy.id}`, policy.location));
    const contributions = side.allowedBy.filter((c) => c.policy === policy);
    if (contributions.length === 0) lines.push(line(snapshot, `    no ${side.direction} rule of it matches`));
    for (const c of contributions) lines.push(line(snapshot, `    ${side.direction} rule ${c.rule.index + 1} allows ${c.connections.toString()}`, c.rule.location));
  }
  return lines;
}

export function explain(snapshot: Snapshot, params: ExplainParams): ExplainResult {
  const { result } = snapshot.analysis;
  const find = (id: string) => result.endpoints.find((e) => e.id === id);
  const source = find(params.source);
  const destination = find(params.destination);
  if (source === undefined || destination === undefined) {
    return { found: false, message: `no endpoint ${source === undefined ? params.source : params.destination} in the workspace` };
  }
  const explanation = result.explain(source, destination);
  const verdict = explanation.connections.isEmpty ? 'DENIED' : `ALLOWED: ${explanation.connections.toString()}`;
  return {
    found: true,
    verdict: `${source.id} => ${destination.id}: ${verdict}`,
    lines: [...sideLines(snapshot, explanation.egress), ...sideLines(snapshot, explanation.ingress)],
  };
}
