// Graphviz dot: one cluster per namespace, external ranges apart, edges labelled with the allowed connections (streamed).
import type { MatrixNode, MatrixStream } from '@kubereach/core';

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A node's quoted label inside its namespace's cluster: the id without the namespace, and a class's member count on a second line. */
function label(node: MatrixNode, namespace: string): string {
  const name = quote(node.id.slice(namespace.length + 1));
  if (node.members === undefined) return name;
  return `${name.slice(0, -1)}\\n${node.members.length} workload${node.members.length === 1 ? '' : 's'}"`;
}

export function* formatDot(matrix: MatrixStream): Generator<string> {
  yield 'digraph kubereach {\n  rankdir=LR;\n  node [shape=box, fontname="Helvetica"];\n  edge [fontname="Helvetica", fontsize=10];\n';
  const byNamespace = new Map<string, MatrixNode[]>();
  const external: MatrixNode[] = [];
  for (const node of matrix.nodes) {
    if (node.kind === 'external') external.push(node);
    else {
      const namespace = node.namespace ?? '';
      const nodes = byNamespace.get(namespace);
      if (nodes === undefined) byNamespace.set(namespace, [node]);
      else nodes.push(node);
    }
  }
  let cluster = 0;
  for (const [namespace, nodes] of byNamespace) {
    if (matrix.granularity === 'namespace') {
      for (const node of nodes) yield `  ${quote(node.id)} [shape=folder];\n`;
      continue;
    }
    yield `  subgraph cluster_${cluster++} {\n    label=${quote(namespace)};\n    style=rounded;\n`;
    for (const node of nodes) yield `    ${quote(node.id)} [label=${label(node, namespace)}];\n`;
    yield '  }\n';
  }
  for (const node of external) yield `  ${quote(node.id)} [shape=ellipse, style=dashed];\n`;
  for (const row of matrix.rows) {
    yield `  ${quote(row.source.id)} -> ${quote(row.destination.id)} [label=${quote(row.connections.toString())}];\n`;
  }
  yield '}\n';
}
