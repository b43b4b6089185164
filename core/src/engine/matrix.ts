// Matrix rows at workload, class or namespace granularity, computed class to class and expanded lazily, plus a graphology graph.
import { DirectedGraph } from 'graphology';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { ConnectivityResult } from './connectivity.js';
import type { Endpoint, WorkloadEndpoint } from './endpoints.js';

export type Granularity = 'workload' | 'class' | 'namespace';

export type NodeKind = 'workload' | 'class' | 'namespace' | 'external';

export interface MatrixNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Namespace of a workload or class, or the namespace itself; undefined for external ranges. */
  readonly namespace: string | undefined;
  /** The workload ids a class stands for, in id order (class nodes only). */
  readonly members?: readonly string[];
}

export interface MatrixRow {
  readonly source: MatrixNode;
  readonly destination: MatrixNode;
  readonly connections: ConnectionSet;
}

/** A matrix whose rows are produced on demand (each iteration recomputes them), so no pod² structure is kept. */
export interface MatrixStream {
  readonly granularity: Granularity;
  /** Every node, connected or not, sorted by id. */
  readonly nodes: readonly MatrixNode[];
  /** Pairs with some allowed connection, sorted by source id then destination id. */
  readonly rows: Iterable<MatrixRow>;
}

export interface Matrix extends MatrixStream {
  readonly rows: readonly MatrixRow[];
}

/**
 * A node and the peers it stands for: a class index (0..C-1) or C + an external range's index. `single` marks
 * a node that is one endpoint, whose pair with itself is left out (loopback; external to external).
 */
interface Group {
  readonly node: MatrixNode;
  readonly peers: readonly number[];
  readonly single: boolean;
}

/** Cells kept before the cache is dropped: bounds memory when classes are as many as workloads. */
const CACHED_CELLS = 1 << 22;

/**
 * The matrix at a granularity, streamed. Verdicts are asked of `result.allowed` once per pair of classes (through
 * their representatives, so results layering other policies on the engine stay exact) and expanded to the
 * granularity's nodes as rows are read. At namespace granularity a row is the union of the connections between
 * distinct workloads of the two namespaces (so `ns => ns` appears when two workloads of one namespace may talk);
 * at class granularity `c => c` appears when two members of the class may talk.
 */
export function streamMatrix(
  result: ConnectivityResult,
  granularity: Granularity = 'workload',
): MatrixStream {
  const groups = groupPeers(result, granularity);
  return {
    granularity,
    nodes: groups.map((g) => g.node),
    rows: { [Symbol.iterator]: () => matrixRows(result, groups) },
  };
}

/** The whole matrix in memory: for small inputs and callers that need random access (the language server). */
export function buildMatrix(result: ConnectivityResult, granularity: Granularity = 'workload'): Matrix {
  const stream = streamMatrix(result, granularity);
  return { ...stream, rows: [...stream.rows] };
}

function* matrixRows(result: ConnectivityResult, groups: readonly Group[]): Generator<MatrixRow> {
  const classCount = result.classes.length;
  const representatives = peerEndpoints(result);
  const memberCount = (peer: number) => (peer < classCount ? result.classes[peer]!.members.length : 1);
  // Rows hold the cells asked (a source reaches few peers when egress is isolated), so they are maps, not arrays.
  const cache = new Map<number, Map<number, ConnectionSet>>();
  let cachedCells = 0;
  const rowOf = (peer: number): Map<number, ConnectionSet> => {
    let row = cache.get(peer);
    if (row === undefined) {
      row = new Map();
      cache.set(peer, row);
    }
    return row;
  };
  const cell = (row: Map<number, ConnectionSet>, source: number, destination: number): ConnectionSet => {
    let connections = row.get(destination);
    if (connections === undefined) {
      // External to external is never a connection the cluster's policies decide.
      connections =
        source >= classCount && destination >= classCount
          ? ConnectionSet.NONE
          : result.allowed(representatives[source]!, representatives[destination]!);
      if (cachedCells >= CACHED_CELLS) {
        cache.clear();
        cachedCells = 0;
      }
      row.set(destination, connections);
      cachedCells++;
    }
    return connections;
  };
  const targets = destinationGroups(result, groups);
  for (const from of groups) {
    const rows = from.peers.map(rowOf);
    for (const to of targets(from)) {
      let connections: ConnectionSet | undefined;
      for (let k = 0; k < from.peers.length; k++) {
        const source = from.peers[k]!;
        for (const destination of to.peers) {
          // Within one node, a peer to itself is a pair of distinct workloads only when the node holds two of its members.
          if (from === to && source === destination && (from.single || memberCount(source) < 2)) continue;
          const more = cell(rows[k]!, source, destination);
          connections = connections === undefined ? more : connections.union(more);
        }
      }
      if (connections !== undefined && !connections.isEmpty)
        yield { source: from.node, destination: to.node, connections };
    }
  }
}

/**
 * The groups a group's rows may reach, in order: a group whose classes all name the peers their egress may reach
 * (`egressPeers`) reaches only the groups holding those peers, so a cluster with default-deny egress costs what it
 * allows, not classes². Layered results (admin, Calico) name them from their compiled tiers, and say every peer
 * where what no rule matches is still allowed. A source whose egress names no peers (an external range, a class
 * whose egress is open) reaches the classes whose ingress may admit it (`ingressPeers`), and, being a class, every
 * external range.
 */
function destinationGroups(
  result: ConnectivityResult,
  groups: readonly Group[],
): (from: Group) => readonly Group[] {
  const classCount = result.classes.length;
  const groupsOfPeer: number[][] = Array.from({ length: classCount + result.externals.length }, () => []);
  groups.forEach((group, position) => {
    for (const peer of group.peers) groupsOfPeer[peer]!.push(position);
  });
  let admitting: Admitters | undefined;
  const externalPeers = Array.from({ length: result.externals.length }, (_, k) => classCount + k);
  return (from) => {
    const positions = new Set<number>();
    const add = (destinations: readonly number[]) => {
      for (const destination of destinations)
        for (const position of groupsOfPeer[destination]!) positions.add(position);
    };
    for (const peer of from.peers) {
      const reached = peer < classCount ? result.egressPeers(peer) : undefined;
      if (reached !== undefined) {
        add(reached);
        continue;
      }
      admitting ??= admitters(result);
      add(admitting.open);
      add(admitting.by[peer] ?? []);
      if (peer < classCount) add(externalPeers);
    }
    return [...positions].sort((a, b) => a - b).map((position) => groups[position]!);
  };
}

/** Classes whose ingress admits every peer, and per peer the other classes whose ingress may admit it. */
interface Admitters {
  readonly open: readonly number[];
  readonly by: readonly (number[] | undefined)[];
}

function admitters(result: ConnectivityResult): Admitters {
  const open: number[] = [];
  const by = new Array<number[] | undefined>(result.classes.length + result.externals.length).fill(undefined);
  for (let destination = 0; destination < result.classes.length; destination++) {
    const sources = result.ingressPeers(destination);
    if (sources === undefined) {
      open.push(destination);
      continue;
    }
    for (const source of sources) (by[source] ??= []).push(destination);
  }
  return { open, by };
}

/** Endpoints standing for each peer index: class representatives, then external ranges. */
function peerEndpoints(result: ConnectivityResult): Endpoint[] {
  const endpointOf = new Map<unknown, WorkloadEndpoint>(result.workloads.map((e) => [e.workload, e]));
  return [...result.classes.map((c) => endpointOf.get(c.representative)!), ...result.externals];
}

/** The granularity's nodes, sorted by id, each with the peers it stands for. */
function groupPeers(result: ConnectivityResult, granularity: Granularity): Group[] {
  const classCount = result.classes.length;
  const groups: Group[] = result.externals.map((external, k) => ({
    node: { id: external.id, kind: 'external', namespace: undefined },
    peers: [classCount + k],
    single: true,
  }));
  if (granularity === 'workload') {
    for (const { id, workload } of result.workloads) {
      groups.push({
        node: { id, kind: 'workload', namespace: workload.namespace },
        peers: [result.classOfWorkload(workload).index],
        single: true,
      });
    }
  } else if (granularity === 'namespace') {
    const byNamespace = new Map<string, number[]>();
    for (const c of result.classes)
      byNamespace.set(c.namespace, [...(byNamespace.get(c.namespace) ?? []), c.index]);
    for (const [namespace, peers] of byNamespace)
      groups.push({ node: { id: namespace, kind: 'namespace', namespace }, peers, single: false });
  } else {
    const ids = classIds(result);
    for (const c of result.classes) {
      const members = c.members.map((m) => m.id).sort(compareIds);
      groups.push({
        node: { id: ids[c.index]!, kind: 'class', namespace: c.namespace, members },
        peers: [c.index],
        single: false,
      });
    }
  }
  return groups.sort((a, b) => compareIds(a.node.id, b.node.id));
}

/**
 * Readable, unique class ids: `namespace/{key=value,...}` with the labels selectors tell apart (`*` for values
 * no selector names); classes that differ only in what labels do not show (named ports, hostNetwork, addresses,
 * a layered policy's signature) get `#2`, `#3`, ... in input order.
 */
function classIds(result: ConnectivityResult): string[] {
  const seen = new Map<string, number>();
  return result.classes.map((c) => {
    const base = `${c.namespace}/{${Object.entries(c.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',')}}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
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

/** The matrix as a directed graphology graph (paths, components); holds every row, so meant for small matrices. */
export function matrixGraph(matrix: MatrixStream): DirectedGraph<GraphNodeAttributes, GraphEdgeAttributes> {
  const graph = new DirectedGraph<GraphNodeAttributes, GraphEdgeAttributes>({ allowSelfLoops: true });
  for (const node of matrix.nodes) graph.addNode(node.id, { kind: node.kind, namespace: node.namespace });
  for (const row of matrix.rows)
    graph.addDirectedEdge(row.source.id, row.destination.id, { connections: row.connections });
  return graph;
}
