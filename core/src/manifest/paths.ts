// Field paths into YAML documents: the node at a path, the range an issue about that path points at, its display form.
import type { Range, SourceLocation } from '../source/source.js';
import { kubectlKey } from './kubectl-yaml.js';
import type { FieldPath, YamlDocument, YamlMapping, YamlNode, YamlPair } from './types.js';

/** One resolved step of a path: the key text (a sequence item is its own key) and the value, if any. */
interface Step {
  readonly key: Range;
  readonly value: YamlNode | undefined;
}

/** The node at `path`, or undefined when the path does not exist or leads to an empty value (`key:`). */
export function findNode(document: YamlDocument, path: FieldPath): YamlNode | undefined {
  if (path.length === 0) return document.root;
  const steps = resolve(document.root, path);
  return steps.length === path.length ? steps.at(-1)?.value : undefined;
}

/** The pair of the mapping at `path` whose key the loader read as `key` (merged in with `<<` or its own). */
export function pairAt(document: YamlDocument, path: FieldPath, key: string): YamlPair | undefined {
  const node = findNode(document, path);
  return node?.kind === 'mapping' ? lookupPair(node, key, new Set()) : undefined;
}

/**
 * The text of the plain scalar at `path` (not quoted, not a block scalar, not an alias, no tag), or undefined: what
 * kubectl's YAML 1.1 reader resolves by its text (kubectl-yaml.ts), where js-yaml may have resolved it otherwise.
 */
export function plainScalarText(document: YamlDocument, text: string, path: FieldPath): string | undefined {
  const written = plainNodeText(findNode(document, path), text);
  return written === '' ? undefined : written;
}

/** The text of `node` if it is a plain scalar (not quoted, not a block scalar, not an alias, no tag), maybe empty. */
export function plainNodeText(node: YamlNode | undefined, text: string): string | undefined {
  if (node?.kind !== 'scalar' || node.tag !== undefined) return undefined;
  const written = text.slice(node.range.start, node.range.end);
  return written !== '' && `'"|>*`.includes(written[0]!) ? undefined : written;
}

/**
 * The range an issue about `path` points at: the value's text (or its key's, with `key: true`; a key with no
 * value points at the key). When the path does not exist: the key of the deepest ancestor that does, so a missing
 * field points at its parent field; the document itself for an empty path or a missing top-level field.
 */
export function rangeAt(
  document: YamlDocument,
  path: FieldPath,
  options?: { readonly key?: boolean },
): Range {
  const steps = resolve(document.root, path, document.text);
  const last = steps.at(-1);
  if (last === undefined) return document.range;
  if (steps.length < path.length || options?.key === true) return last.key;
  return last.value?.range ?? last.key;
}

/**
 * Where `path` points in `document`, as rangeAt finds it, resolved when `range` is first read (then kept): a model
 * locates every workload, rule, peer and port, and findings point at few of them, so most documents never need
 * their tree.
 */
export function locationAt(
  document: YamlDocument,
  path: FieldPath,
  options?: { readonly key?: boolean },
): SourceLocation {
  return new LazyLocation(document, path, options);
}

/**
 * Every lazy location has the same accessor for `range` (an object literal with a getter of its own costs about
 * three times a plain object to make, these about twice). It is an own enumerable property, as a plain location's
 * `range` is, so a location spreads and prints the same.
 */
const LAZY_RANGE: PropertyDescriptor = {
  get(this: LazyLocation): Range {
    return this.resolveRange();
  },
  enumerable: true,
  configurable: true,
};

class LazyLocation implements SourceLocation {
  declare readonly file: string;
  declare readonly range: Range;
  readonly #document: YamlDocument;
  readonly #path: FieldPath;
  readonly #options: { readonly key?: boolean } | undefined;
  #range: Range | undefined = undefined;

  constructor(document: YamlDocument, path: FieldPath, options: { readonly key?: boolean } | undefined) {
    this.file = document.file;
    Object.defineProperty(this, 'range', LAZY_RANGE);
    this.#document = document;
    this.#path = path;
    this.#options = options;
  }

  resolveRange(): Range {
    this.#range ??= rangeAt(this.#document, this.#path, this.#options);
    return this.#range;
  }
}

/** `spec.ingress[0].from[1].podSelector.matchLabels["app.kubernetes.io/name"]` */
export function formatFieldPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The steps of `path` that exist, in order; it stops at the first segment that does not. With the file's `text`, a
 * segment may also name a plain key by the key kubectl sends for it (a label written `on:` is `true`, label-values.ts).
 */
function resolve(root: YamlNode | undefined, path: FieldPath, text?: string): Step[] {
  const steps: Step[] = [];
  let node = root;
  for (const segment of path) {
    if (node === undefined) break;
    let step: Step | undefined;
    if (node.kind === 'mapping') {
      const key = String(segment);
      const pair =
        lookupPair(node, key, new Set()) ?? (text === undefined || !mayBeRenamed(key) ? undefined : pairByKubectlKey(node, key, text));
      if (pair !== undefined) step = { key: pair.key.range, value: pair.value };
    } else if (node.kind === 'sequence' && typeof segment === 'number') {
      const item = node.items[segment];
      if (item !== undefined) step = { key: item.range, value: item };
    }
    if (step === undefined) break;
    steps.push(step);
    node = step.value;
  }
  return steps;
}

/**
 * The pair for `key`: the mapping's own pairs first, then those merged in with `<<` (earlier merge sources win),
 * as js-yaml builds the value.
 */
function lookupPair(mapping: YamlMapping, key: string, visited: Set<YamlMapping>): YamlPair | undefined {
  if (visited.has(mapping)) return undefined;
  visited.add(mapping);
  const own = mapping.pairs.find((pair) => !isMergeKey(pair.key) && keyText(pair.key) === key);
  if (own !== undefined) return own;
  for (const pair of mapping.pairs) {
    if (!isMergeKey(pair.key) || pair.value === undefined) continue;
    const sources = pair.value.kind === 'sequence' ? pair.value.items : [pair.value];
    for (const source of sources) {
      const merged = source.kind === 'mapping' ? lookupPair(source, key, visited) : undefined;
      if (merged !== undefined) return merged;
    }
  }
  return undefined;
}

/**
 * Whether kubectl may send some other plain key as `key`: a boolean or a number, which is all it renames (a missing
 * field such as `policyTypes` is not looked for among the keys).
 */
function mayBeRenamed(key: string): boolean {
  const code = key.charCodeAt(0);
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e || key === 'true' || key === 'false';
}

/** The pair whose key is a plain scalar that kubectl sends as `key`. */
function pairByKubectlKey(mapping: YamlMapping, key: string, text: string): YamlPair | undefined {
  return mapping.pairs.find(({ key: node }) => {
    const written = plainNodeText(node, text);
    if (written === undefined || written === '') return false;
    const keyed = kubectlKey(written);
    return keyed.kind === 'key' && keyed.key === key;
  });
}

function isMergeKey(key: YamlNode): boolean {
  return key.kind === 'scalar' && key.value === '<<';
}

/** The key as js-yaml turns it into a property name. */
function keyText(key: YamlNode): string | undefined {
  return key.kind === 'scalar' ? String(key.value) : undefined;
}
