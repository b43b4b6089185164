// The namespaces a namespace selector matches, looked up by the label values it requires.
import { selectorMatches, type Selector } from '../semantics/label-selector.js';
import type { NamespaceInfo } from './cluster.js';

/**
 * Namespaces by label key and value: a selector requiring a value (matchLabels, In) looks only at the namespaces
 * carrying it, where clusters run thousands of namespaces, each with policies naming one other by name.
 */
export class NamespaceIndex {
  private byLabel: Map<string, Map<string, number[]>> | undefined;
  private readonly selected = new Map<Selector, readonly NamespaceInfo[]>();

  constructor(private readonly namespaces: readonly NamespaceInfo[]) {}

  /** The namespaces `selector` matches, in the order given to the index; computed once per selector object. */
  matching(selector: Selector): readonly NamespaceInfo[] {
    let selected = this.selected.get(selector);
    if (selected === undefined) {
      const naming = selector.kind === 'requirements' ? selector.requirements.find((r) => r.operator === 'In') : undefined;
      const candidates =
        naming === undefined
          ? this.namespaces
          : [...new Set(naming.values.flatMap((value) => this.carrying(naming.key, value)))]
              .sort((a, b) => a - b)
              .map((position) => this.namespaces[position]!);
      selected = candidates.filter((n) => selectorMatches(selector, n.labels));
      this.selected.set(selector, selected);
    }
    return selected;
  }

  /** Positions of the namespaces whose label `key` is `value`. */
  private carrying(key: string, value: string): readonly number[] {
    if (this.byLabel === undefined) {
      const byLabel = new Map<string, Map<string, number[]>>();
      this.namespaces.forEach((namespace, position) => {
        for (const [k, v] of Object.entries(namespace.labels)) {
          let byValue = byLabel.get(k);
          if (byValue === undefined) byLabel.set(k, (byValue = new Map()));
          const list = byValue.get(v);
          if (list === undefined) byValue.set(v, [position]);
          else list.push(position);
        }
      });
      this.byLabel = byLabel;
    }
    return this.byLabel.get(key)?.get(value) ?? [];
  }
}
