// Graphviz dot: one cluster per namespace, external ranges apart, edges labelled with the allowed connections.
import { matrixGraph, type Matrix } from '@kubereach/core';

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function formatDot(matrix: Matrix): string {
  const graph = matrixGraph(matrix);
  const lines = ['digraph kubereach {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  const byNamespace = new Map<string, string[]>();
  const external: string[] = [];
  graph.forEachNode((id, attributes) => {
    if (attributes.kind === 'external') external.push(id);
    else byNamespace.set(attributes.namespace ?? '', [...(byNamespace.get(attributes.namespace ?? '') ?? []), id]);
  });
  let cluster = 0;
  for (const [namespace, ids] of byNamespace) {
    if (matrix.granularity === 'namespace') {
      for (const id of ids) lines.push(`  ${quote(id)} [shape=folder];`);
      continue;
    }
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${quote(namespace)};`, '    style=rounded;');
    for (const id of ids) lines.push(`    ${quote(id)} [label=${quote(id.slice(namespace.length + 1))}];`);
    lines.push('  }');
  }
  for (const id of external) lines.push(`  ${quote(id)} [shape=ellipse, style=dashed];`);
  graph.forEachDirectedEdge((_edge, attributes, source, target) => {
    lines.push(`  ${quote(source)} -> ${quote(target)} [label=${quote(attributes.connections.toString())}];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
