// Matrix rows at workload or namespace granularity, and the same rows as a graphology graph.
import { DirectedGraph } from 'graphology';
import type { ConnectionSet } from '../semantics/connection-set.js';
import type { ConnectivityResult } from './connectivity.js';
import type { Endpoint } from './endpoints.js';

export type Granularity = 'workload' | 'namespace';

export type NodeKind = 'workload' | 'namespace' | 'external';

export interface MatrixNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Namespace of a workload or the namespace itself; undefined for external ranges. */
  readonly namespace: string | undefined;
}

export interface MatrixRow {
  readonly source: MatrixNode;
  readonly destination: MatrixNode;
  readonly connections: ConnectionSet;
}

export interface Matrix {
  readonly granularity: Granularity;
  /** Every node, connected or not, in display order. */
  readonly nodes: readonly MatrixNode[];
  /** Pairs with some allowed connection, sorted by source id then destination id. */
  readonly rows: readonly MatrixRow[];
}

function nodeOf(endpoint: Endpoint, granularity: Granularity): MatrixNode {
  if (endpoint.kind === 'external') return { id: endpoint.id, kind: 'external', namespace: undefined };
  const namespace = endpoint.workload.namespace;
  return granularity === 'namespace'
    ? { id: namespace, kind: 'namespace', namespace }
    : { id: endpoint.id, kind: 'workload', namespace };
}

/**
 * The matrix at a granularity. At namespace granularity a row is the union of the connections
 * between distinct workloads of the two namespaces (so `ns => ns` appears when two workloads
 * of one namespace may talk).
 */
export function buildMatrix(result: ConnectivityResult, granularity: Granularity = 'workload'): Matrix {
  const nodes = new Map<string, MatrixNode>();
  for (const endpoint of result.endpoints) {
    const node = nodeOf(endpoint, granularity);
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  }
  const rows = new Map<string, MatrixRow>();
  for (const { source, destination, connections } of result.connections()) {
    const from = nodeOf(source, granularity);
    const to = nodeOf(destination, granularity);
    const key = `${from.id}\0${to.id}`;
    const previous = rows.get(key);
    rows.set(key, { source: from, destination: to, connections: previous ? previous.connections.union(connections) : connections });
  }
  const sorted = [...rows.values()].sort(
    (a, b) => compareIds(a.source.id, b.source.id) || compareIds(a.destination.id, b.destination.id),
  );
  return { granularity, nodes: [...nodes.values()], rows: sorted };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface GraphNodeAttributes {
  readonly kind: NodeKind;
  readonly namespace: string | undefined;
}

export interface GraphEdgeAttributes {
  readonly connections: ConnectionSet;
}

/** The matrix as a directed graphology graph (paths, components, dot export). */
export function matrixGraph(matrix: Matrix): DirectedGraph<GraphNodeAttributes, GraphEdgeAttributes> {
  const graph = new DirectedGraph<GraphNodeAttributes, GraphEdgeAttributes>({ allowSelfLoops: true });
  for (const node of matrix.nodes) graph.addNode(node.id, { kind: node.kind, namespace: node.namespace });
  for (const row of matrix.rows) graph.addDirectedEdge(row.source.id, row.destination.id, { connections: row.connections });
  return graph;
}
