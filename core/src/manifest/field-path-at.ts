// The field path of the node at an offset: how a finding on an input with no file (a live object) names its place.
import type { FieldPath, YamlDocument, YamlNode } from './types.js';

/**
 * The path of the deepest node whose text holds `offset` (a key counts as its value's place): what `rangeAt`
 * inverts. `[]` when the offset is outside every node of the document.
 */
export function fieldPathAt(document: YamlDocument, offset: number): FieldPath {
  const path: (string | number)[] = [];
  let node: YamlNode | undefined = document.root;
  // Aliases share their target's nodes, so the walk is bounded by the text's nesting, not by expansion.
  for (let guard = 0; node !== undefined && guard < 10_000; guard++) {
    const next = childAt(node, offset);
    if (next === undefined) break;
    path.push(next.segment);
    node = next.node;
  }
  return path;
}

function childAt(node: YamlNode, offset: number): { segment: string | number; node: YamlNode | undefined } | undefined {
  if (node.kind === 'sequence') {
    const index = node.items.findIndex((item) => contains(item.range, offset));
    return index === -1 ? undefined : { segment: index, node: node.items[index] };
  }
  if (node.kind !== 'mapping') return undefined;
  for (const pair of node.pairs) {
    if (pair.key.kind !== 'scalar') continue;
    const inKey = contains(pair.key.range, offset);
    const inValue = pair.value !== undefined && contains(pair.value.range, offset);
    if (inKey || inValue) return { segment: String(pair.key.value), node: inKey ? undefined : pair.value };
  }
  return undefined;
}

function contains(range: { readonly start: number; readonly end: number }, offset: number): boolean {
  return range.start <= offset && (offset < range.end || range.start === range.end);
}
