// Parses one YAML document with js-yaml and rebuilds its node tree with exact source ranges from the parser's events.
import { DEFAULT_SCHEMA, Type, YAMLException, load } from 'js-yaml';
import type { LoadOptions, State } from 'js-yaml';
import type { Range } from '../source/source.js';
import type { YamlMapping, YamlNode, YamlPair, YamlScalar, YamlSequence } from './types.js';

/**
 * The default schema, except that timestamp-looking scalars stay strings: kubectl reads YAML through yaml.v2 into
 * `interface{}`, which keeps them as strings, so `version: 2024-01-01` is the string the API server sees.
 */
export const KUBERNETES_YAML_SCHEMA = DEFAULT_SCHEMA.extend({
  implicit: [new Type('tag:yaml.org,2002:timestamp', { kind: 'scalar', resolve: () => false })],
});

export interface ParsedYaml {
  readonly root: YamlNode | undefined;
  readonly value: unknown;
  /** The parser's complaint, at an offset into the whole text. */
  readonly error?: { readonly position: number; readonly message: string };
  /** Set when the document nests deeper than `maxDepth` (then there is no root, no value and no error). */
  readonly tooDeep?: { readonly position: number };
  /** True when the document holds an alias (`*name`): only then can its value share nodes or contain itself. */
  readonly hasAliases?: boolean;
}

/** Thrown from the parser's listener to stop it at the first node nested deeper than the limit. */
class NestingLimitReached {
  constructor(readonly position: number) {}
}

/** The parser state fields the listener reads; js-yaml sets `anchor` although its typings leave it out. */
interface ListenerState extends State {
  readonly anchor?: string | null;
}

/**
 * One `composeNode` call of js-yaml, as seen by its listener. `open` is where the parser stood before skipping
 * separation space and node properties; `close` is where it stopped, sometimes past trailing space or comments.
 */
interface Frame {
  readonly open: number;
  close: number;
  kind: string | null;
  result: unknown;
  anchor: string | null;
  readonly children: Frame[];
}

/**
 * Parses `text.slice(start, end)` as one YAML document; offsets in the result are into the whole `text`. Parsing
 * stops at the first node nested deeper than `maxDepth`, before js-yaml's recursion can exhaust the stack.
 */
export function parseYamlDocument(text: string, start: number, end: number, maxDepth = Number.POSITIVE_INFINITY): ParsedYaml {
  const source = text.slice(start, end);
  const top = newFrame(0);
  const stack: Frame[] = [top];
  let value: unknown;
  try {
    const options: LoadOptions & { readonly maxDepth: number } = {
      schema: KUBERNETES_YAML_SCHEMA,
      // js-yaml (4.3 and later) has a nesting limit of its own; this listener enforces ours instead.
      maxDepth: Number.MAX_SAFE_INTEGER,
      listener(event, state: ListenerState) {
        if (event === 'open') {
          // The top frame is not a node: nodes nest `stack.length` deep once this one is pushed.
          if (stack.length > maxDepth) throw new NestingLimitReached(state.position);
          stack.push(newFrame(state.position));
          return;
        }
        const frame = stack.pop();
        const parent = stack.at(-1);
        if (frame === undefined || parent === undefined) return;
        frame.close = state.position;
        frame.kind = state.kind;
        frame.result = state.result;
        frame.anchor = state.anchor ?? null;
        parent.children.push(frame);
      },
    };
    value = load(source, options);
  } catch (error) {
    if (error instanceof NestingLimitReached) {
      return { root: undefined, value: undefined, tooDeep: { position: start + Math.min(error.position, source.length) } };
    }
    // js-yaml throws some errors without a mark (a stray `\r` at the end of a line, for one).
    const position = error instanceof YAMLException ? Math.min(error.mark?.position ?? 0, source.length) : 0;
    const message = error instanceof YAMLException ? error.reason : String(error);
    return { root: undefined, value: undefined, error: { position: start + position, message } };
  }
  const rootFrame = top.children[0];
  const builder = new TreeBuilder(source, start);
  const root = rootFrame === undefined ? undefined : builder.node(rootFrame);
  return { root, value, hasAliases: builder.hasAliases };
}

/** Where a node's tag lies in the chunk (-1 while none was met). */
interface TagSpan {
  start: number;
  end: number;
}

/** A key and its value, if a `:` follows the key (`paired`), and where the entry's text ends. */
interface Entry extends YamlPair {
  readonly paired: boolean;
  readonly end: number;
}

function newFrame(open: number): Frame {
  return { open, close: open, kind: null, result: null, anchor: null, children: [] };
}

/** Builds nodes from frames; positions are chunk-relative until `range` shifts them by `offset`. */
class TreeBuilder {
  private readonly anchors = new Map<string, YamlNode>();
  hasAliases = false;

  constructor(
    private readonly source: string,
    private readonly offset: number,
  ) {}

  /** The node of a frame, or undefined for an empty node (`key:` with nothing after it). */
  node(frame: Frame): YamlNode | undefined {
    const tag: TagSpan = { start: -1, end: -1 };
    const start = this.contentStart(frame.open, tag);
    let node: YamlNode | undefined;
    if (frame.kind === 'mapping') node = this.mapping(unwrap(frame));
    else if (frame.kind === 'sequence') node = this.sequence(unwrap(frame));
    else if (start < frame.close && this.source[start] === '*') node = this.alias(start, frame.result);
    else if (frame.kind === 'scalar' || (frame.result !== null && frame.result !== undefined)) {
      node = this.scalar(start, this.trimEnd(frame.close, start), frame.result);
      if (tag.start >= 0) node = { ...node, tag: this.range(tag.start, tag.end) };
    }
    if (node !== undefined && frame.anchor !== null) this.anchors.set(frame.anchor, node);
    return node;
  }

  private mapping(frame: Frame): YamlMapping {
    const start = this.contentStart(frame.open);
    const first = frame.children[0];
    const flow =
      this.source[start] === '{' && (first === undefined || this.contentStart(first.open) !== start);
    const entries = this.entries(frame.children);
    const end = flow ? this.trimEnd(frame.close, start) : (entries.at(-1)?.end ?? start);
    const pairs = entries.map(({ key, value }): YamlPair => ({ key, value }));
    return { kind: 'mapping', range: this.range(start, end), pairs };
  }

  private sequence(frame: Frame): YamlSequence {
    const start = this.contentStart(frame.open);
    if (this.source[start] === '[') {
      // In a flow sequence, `[a: 1]` holds a single-pair mapping, as YAML reads it.
      const items = this.entries(frame.children).map((entry): YamlNode => {
        if (!entry.paired) return entry.key;
        const range = this.range(entry.key.range.start - this.offset, entry.end);
        return { kind: 'mapping', range, pairs: [{ key: entry.key, value: entry.value }] };
      });
      return { kind: 'sequence', range: this.range(start, this.trimEnd(frame.close, start)), items };
    }
    const items = this.blockItems(frame, start);
    const last = items.at(-1);
    const end = last === undefined ? start : last.range.end - this.offset;
    return { kind: 'sequence', range: this.range(start, end), items };
  }

  /**
   * Pairs the frames of a mapping (or of flow sequence entries): a frame followed by `:` is a key, and the next
   * frame, which js-yaml opens after that `:`, its value. `end` is where the entry's text ends.
   */
  private entries(children: readonly Frame[]): Entry[] {
    const entries: Entry[] = [];
    for (let index = 0; index < children.length;) {
      const keyFrame = children[index]!;
      const key = this.node(keyFrame) ?? this.emptyAt(this.contentStart(keyFrame.open));
      const keyEnd = key.range.end - this.offset;
      const colon = this.indicatorAfter(keyEnd, ':');
      const valueFrame = children[index + 1];
      if (colon === undefined || valueFrame === undefined || valueFrame.open <= colon) {
        entries.push({
          key,
          value: undefined,
          paired: colon !== undefined,
          end: colon === undefined ? keyEnd : colon + 1,
        });
        index += 1;
        continue;
      }
      const value = this.node(valueFrame);
      entries.push({
        key,
        value,
        paired: true,
        end: value === undefined ? colon + 1 : value.range.end - this.offset,
      });
      index += 2;
    }
    return entries;
  }

  /**
   * Items of a block sequence. js-yaml composes no node for an entry with nothing after its `-`, so when frames
   * are missing the entries are found from their `-` indicators; an empty entry is a null at its `-`.
   */
  private blockItems(frame: Frame, start: number): YamlNode[] {
    const children = frame.children;
    const count = Array.isArray(frame.result) ? frame.result.length : children.length;
    const itemOf = (child: Frame): YamlNode => this.node(child) ?? this.nullAtIndicator(child.open);
    if (children.length === count) return children.map(itemOf);
    const entries = this.blockEntries(start, frame.close);
    if (entries.length !== count) return children.map(itemOf);
    let next = 0;
    return entries.map((entry, index) => {
      const child = children[next];
      const following = entries[index + 1] ?? Number.POSITIVE_INFINITY;
      if (child !== undefined && child.open > entry && child.open < following) {
        next += 1;
        return itemOf(child);
      }
      return this.scalar(entry, entry + 1, null);
    });
  }

  /** Offsets of the `-` indicators of a block sequence: its first one, then each line indented to the same column. */
  private blockEntries(start: number, end: number): number[] {
    const source = this.source;
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const column = start - lineStart;
    const entries = [start];
    let position = source.indexOf('\n', start);
    while (position !== -1 && position < end) {
      let first = position + 1;
      while (source[first] === ' ') first++;
      if (
        first < end &&
        first - position - 1 === column &&
        source[first] === '-' &&
        isSpaceOrBreak(source, first + 1)
      ) {
        entries.push(first);
      }
      position = source.indexOf('\n', first);
    }
    return entries;
  }

  private alias(start: number, value: unknown): YamlNode {
    this.hasAliases = true;
    let end = start + 1;
    while (
      end < this.source.length &&
      !isSpaceOrBreak(this.source, end) &&
      !',[]{}'.includes(this.source[end]!)
    )
      end++;
    const range = this.range(start, end);
    const target = this.anchors.get(this.source.slice(start + 1, end));
    return target === undefined ? { kind: 'scalar', range, value } : { ...target, range };
  }

  private scalar(start: number, end: number, value: unknown): YamlScalar {
    return { kind: 'scalar', range: this.range(start, end), value };
  }

  /** A key with no text (`? ` alone, or `: v` in a flow mapping): a null at that spot. */
  private emptyAt(position: number): YamlScalar {
    return this.scalar(position, position, null);
  }

  /** An empty block sequence entry whose node js-yaml composed (`- &a`, `- !!null`): a null at its `-`. */
  private nullAtIndicator(open: number): YamlScalar {
    const dash = this.source.lastIndexOf('-', open);
    return dash === -1 ? this.emptyAt(open) : this.scalar(dash, dash + 1, null);
  }

  /**
   * Skips separation space, comments and node properties (`&anchor`, `!tag`): where the node's own text begins.
   * `tag`, when given, gets the range of the tag skipped (left as it is without one).
   */
  private contentStart(position: number, tag?: TagSpan): number {
    const source = this.source;
    let at = position;
    while (at < source.length) {
      const ch = source[at];
      const propertyStart = at;
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') at++;
      else if (ch === '#') at = lineEnd(source, at);
      else if (ch === '!' && source[at + 1] === '<') at = Math.max(source.indexOf('>', at), at) + 1;
      else if (ch === '!' || ch === '&') {
        while (
          at < source.length &&
          !isSpaceOrBreak(source, at) &&
          !(ch === '&' && ',[]{}'.includes(source[at]!))
        )
          at++;
      } else break;
      if (ch === '!' && tag !== undefined) {
        tag.start = propertyStart;
        tag.end = at;
      }
    }
    return at;
  }

  /** Moves back over trailing space (never before `start`). */
  private trimEnd(position: number, start: number): number {
    let at = Math.min(position, this.source.length);
    while (at > start && isSpaceOrBreak(this.source, at - 1)) at--;
    return at;
  }

  /** The offset of `indicator` after `position`, past separation space and comments, if that is what comes next. */
  private indicatorAfter(position: number, indicator: string): number | undefined {
    const source = this.source;
    let at = position;
    while (at < source.length) {
      const ch = source[at];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') at++;
      else if (ch === '#') at = lineEnd(source, at);
      else break;
    }
    return source[at] === indicator ? at : undefined;
  }

  private range(start: number, end: number): Range {
    return { start: start + this.offset, end: Math.max(start, end) + this.offset };
  }
}

/**
 * js-yaml first tries a block node as the key of a block mapping and, when no `:` follows, keeps that key as the
 * whole node: the outer frame then holds one inner frame with the same result. The inner one has the exact text.
 */
function unwrap(frame: Frame): Frame {
  let current = frame;
  for (;;) {
    const only = current.children.length === 1 ? current.children[0] : undefined;
    if (only === undefined || only.result !== current.result || only.kind !== current.kind) return current;
    current = only;
  }
}

function isSpaceOrBreak(source: string, at: number): boolean {
  const ch = source[at];
  return ch === undefined || ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function lineEnd(source: string, at: number): number {
  const newline = source.indexOf('\n', at);
  return newline === -1 ? source.length : newline;
}
