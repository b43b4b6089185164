// The streamed matrix at every granularity against the engine's own pairwise verdicts: class rows expand to workload rows, namespace rows are their unions.
// Also each side's denials (what findings point at) against what that side drops, and the layers' claim that no tier
// before the NetworkPolicies can deny (overridden-allow skips those pairs).
import {
  AdminConnectivityResult,
  CalicoConnectivityResult,
  ConnectionSet,
  streamMatrix,
  type ConnectivityResult,
  type Endpoint,
  type MatrixNode,
} from '@kubereach/core';

const line = (source: string, destination: string, connections: ConnectionSet) => `${source} => ${destination} : ${connections.toString()}`;

/** Lines `SRC => DST : CONNS` of every ordered pair `result.allowed` opens, sorted (self and external to external left out). */
function pairwiseLines(result: ConnectivityResult): string[] {
  const lines: string[] = [];
  for (const source of result.endpoints) {
    for (const destination of result.endpoints) {
      if (source === destination || (source.kind === 'external' && destination.kind === 'external')) continue;
      const connections = result.allowed(source, destination);
      if (!connections.isEmpty) lines.push(line(source.id, destination.id, connections));
    }
  }
  return lines.sort();
}

/** Where the streamed matrices disagree with pairwise verdicts; empty when they agree. */
export function matrixDisagreements(result: ConnectivityResult): string[] {
  const disagreements: string[] = [];
  const expect = (what: string, actual: readonly string[], expected: readonly string[]) => {
    const missing = expected.filter((l) => !actual.includes(l));
    const extra = actual.filter((l) => !expected.includes(l));
    if (missing.length > 0 || extra.length > 0 || actual.length !== expected.length) {
      disagreements.push(`${what}: missing [${missing.join('; ')}], unexpected [${extra.join('; ')}]`);
    }
  };
  const pairwise = pairwiseLines(result);

  const workload = streamMatrix(result, 'workload');
  const workloadLines = [...workload.rows].map((r) => line(r.source.id, r.destination.id, r.connections));
  expect('workload matrix vs allowed()', workloadLines, pairwise);
  if (workloadLines.join('\n') !== [...workloadLines].sort().join('\n')) disagreements.push('workload rows are not sorted');
  expect('workload matrix read twice', [...workload.rows].map((r) => line(r.source.id, r.destination.id, r.connections)), workloadLines);

  // A class row stands for every pair of distinct members (or member and range) it covers.
  const members = (node: MatrixNode) => node.members ?? [node.id];
  const expanded: string[] = [];
  for (const row of streamMatrix(result, 'class').rows) {
    for (const source of members(row.source)) {
      for (const destination of members(row.destination)) if (source !== destination) expanded.push(line(source, destination, row.connections));
    }
  }
  expect('class matrix expanded vs workload matrix', expanded.sort(), pairwise);

  // A namespace row is the union over the pairs between its workloads.
  const namespaceOf = new Map<string, string>(result.workloads.map((e) => [e.id, e.workload.namespace]));
  const unions = new Map<string, ConnectionSet>();
  for (const source of result.endpoints) {
    for (const destination of result.endpoints) {
      if (source === destination) continue;
      const key = `${namespaceOf.get(source.id) ?? source.id} => ${namespaceOf.get(destination.id) ?? destination.id}`;
      unions.set(key, (unions.get(key) ?? ConnectionSet.NONE).union(result.allowed(source, destination)));
    }
  }
  const namespaceExpected = [...unions].filter(([, c]) => !c.isEmpty).map(([key, c]) => `${key} : ${c.toString()}`);
  const namespaceLines = [...streamMatrix(result, 'namespace').rows].map((r) => line(r.source.id, r.destination.id, r.connections));
  expect('namespace matrix vs unions of allowed()', namespaceLines, namespaceExpected.sort());
  return disagreements;
}

/** Each workload side of a pair whose denials (`sideDenials`) do not name exactly what that side drops. */
export function denialDisagreements(result: ConnectivityResult, source: Endpoint, destination: Endpoint): string[] {
  const problems: string[] = [];
  for (const [direction, subject, peer] of [['egress', source, destination], ['ingress', destination, source]] as const) {
    if (subject.kind !== 'workload') continue;
    const denied = result.sideDenials(direction, subject, peer).reduce((all, d) => all.union(d.connections), ConnectionSet.NONE);
    const dropped = ConnectionSet.ALL.subtract(result.sideAllowed(direction, subject, peer));
    if (!denied.equals(dropped)) problems.push(`${direction} of ${subject.id} with ${peer.id}: denials name ${denied.toString()}, the side drops ${dropped.toString()}`);
    if (
      (result instanceof AdminConnectivityResult || result instanceof CalicoConnectivityResult) &&
      !result.mayOverrideNetworkPolicies(direction, subject, peer)
    ) {
      const overridden = result.networkPolicySide(direction, subject, peer).connections.subtract(result.sideAllowed(direction, subject, peer));
      if (!overridden.isEmpty) problems.push(`${direction} of ${subject.id} with ${peer.id}: no tier may override the NetworkPolicies, yet it drops ${overridden.toString()} they allow`);
    }
  }
  return problems;
}
