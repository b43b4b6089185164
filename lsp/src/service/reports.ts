// The custom requests: the workspace's connectivity matrix, and the explanation of one path.
import { buildMatrix, describeSide, type DescribedSide, type MatrixNode, type SourceLocation } from '@kubereach/core';
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
  return { text, location: { uri: snapshot.uriOf(location.file), line: start.line, character: start.character } };
}

/** A side in the CLI's words; each line links to its first place (the policy, or the rule), which its text leaves out. */
function sideLines(snapshot: Snapshot, side: DescribedSide): ExplainLine[] {
  return describeSide(side).map((segments) => {
    let text = '';
    let place: SourceLocation | undefined;
    for (const segment of segments) {
      if (typeof segment === 'string') text += segment;
      else if ('subject' in segment) text += segment.subject;
      else if ('verdict' in segment) text += segment.verdict.toString();
      else place ??= segment.at;
    }
    return line(snapshot, text, place);
  });
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
