// Reads the plain block YAML most manifests are written in, in one pass, to the same tree and value js-yaml gives.
import type { Type } from 'js-yaml';
import type { YamlMapping, YamlNode, YamlPair, YamlScalar, YamlSequence } from './types.js';
import { KUBERNETES_YAML_SCHEMA, type ParsedYaml } from './yaml-tree.js';

/**
 * The implicit types js-yaml tries, in order, on a plain scalar (null, bool, int, float, ...). Reading them from the
 * schema itself keeps plain scalars resolving exactly as js-yaml resolves them.
 */
const IMPLICIT_TYPES: readonly Type[] =
  (KUBERNETES_YAML_SCHEMA as unknown as { readonly compiledImplicit?: readonly Type[] }).compiledImplicit ??
  [];

/** Thrown where the text leaves the subset this reader knows: the caller then parses it with js-yaml. */
const OUTSIDE_SUBSET: unique symbol = Symbol('outside the block subset');

const NEWLINE = 0x0a;
const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/**
 * Parses `text.slice(start, end)` as one document when it keeps to block mappings and sequences whose scalars are
 * single-line plain or quoted ones (no escapes), with `{}` and `[]` as the only flow collections, in printable
 * ASCII without tabs or carriage returns, and no anchors, aliases, tags, merge keys, duplicate keys, block scalars
 * or directives. Returns undefined for anything else, valid or not: js-yaml then reads it (and reports its errors),
 * so this reader never has to. Its result is the one parseYamlDocument gives for the same text.
 */
export function parseBlockYaml(
  text: string,
  start: number,
  end: number,
  maxDepth: number,
): ParsedYaml | undefined {
  if (IMPLICIT_TYPES.length === 0 || !isPrintableAscii(text, start, end)) return undefined;
  try {
    return new BlockReader(text, start, end, maxDepth).document();
  } catch (error) {
    // A stack overflow (nesting allowed by a raised --max-depth) is left to js-yaml too, which reports it.
    if (error === OUTSIDE_SUBSET || error instanceof RangeError) return undefined;
    throw error;
  }
}

function isPrintableAscii(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if ((code < SPACE && code !== NEWLINE) || code > 0x7e) return false;
  }
  return true;
}

interface Read {
  readonly node: YamlNode;
  readonly value: unknown;
}

/** A mapping key on the current line: its node, the property name js-yaml makes of it, and its `:`. */
interface Key {
  readonly node: YamlScalar;
  readonly name: string;
  readonly colon: number;
}

class BlockReader {
  /** The current content line (neither blank nor a comment): where its text begins, its indent, its end. */
  private first = 0;
  private indent = 0;
  private eol = 0;
  private atEnd = false;
  /**
   * Stacks of the entries of the collections being read, nested ones above: each collection takes its own off the
   * top as an array of its exact size (an array grown by push keeps room for 17 entries, and trees are kept).
   */
  private readonly pairs: YamlPair[] = [];
  private readonly items: YamlNode[] = [];
  private readonly values: unknown[] = [];

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    /**
     * js-yaml's listener counts nesting in composed nodes, which can be up to twice this reader's levels (a block
     * node is first tried as a mapping key): staying within half the limit keeps every document it refuses away.
     */
    private readonly maxDepth: number,
  ) {}

  document(): ParsedYaml {
    const { text, start } = this;
    let position = start;
    if (text.startsWith('---', start)) position = this.restOfLine(start + 3);
    this.nextContent(position);
    if (this.atEnd) throw OUTSIDE_SUBSET;
    const root = this.block(1);
    if (!this.atEnd) throw OUTSIDE_SUBSET;
    return { root: root.node, value: root.value, hasAliases: false };
  }

  /** Moves to the first content line at or after `position` (a line start). */
  private nextContent(position: number): void {
    const { text, end } = this;
    let lineStart = position;
    while (lineStart < end) {
      const newline = text.indexOf('\n', lineStart);
      const eol = newline === -1 || newline > end ? end : newline;
      let first = lineStart;
      while (first < eol && text.charCodeAt(first) === SPACE) first++;
      if (first < eol && text.charCodeAt(first) !== HASH) {
        this.first = first;
        this.indent = first - lineStart;
        this.eol = eol;
        return;
      }
      lineStart = eol + 1;
    }
    this.atEnd = true;
    this.indent = -1;
  }

  /** Past spaces and a comment to the next line start; anything else there leaves the subset. */
  private restOfLine(position: number): number {
    const { text } = this;
    let at = position;
    while (at < this.end && text.charCodeAt(at) === SPACE) at++;
    if (at >= this.end) return at;
    const code = text.charCodeAt(at);
    if (code === HASH && (at === position ? text.charCodeAt(at - 1) === SPACE : true)) {
      const newline = text.indexOf('\n', at);
      return newline === -1 ? this.end : newline + 1;
    }
    if (code !== NEWLINE) throw OUTSIDE_SUBSET;
    return at + 1;
  }

  /** Finishes the current line at `position` and moves to the next content line. */
  private finishLine(position: number): void {
    this.nextContent(this.restOfLine(position));
  }

  private checkDepth(depth: number): void {
    if (2 * depth + 2 > this.maxDepth) throw OUTSIDE_SUBSET;
  }

  /** A block node starting on the current line: a sequence at its `- `, or a mapping. */
  private block(depth: number): Read {
    if (this.isSequenceEntry(this.first)) return this.sequence(depth);
    const key = this.key(this.first);
    if (key === undefined) throw OUTSIDE_SUBSET;
    return this.mapping(key, depth);
  }

  private isSequenceEntry(position: number): boolean {
    if (this.text.charCodeAt(position) !== DASH) return false;
    return position + 1 === this.eol || this.text.charCodeAt(position + 1) === SPACE;
  }

  /** A block mapping whose first key is `first`, on the current line; its entries stand at that key's column. */
  private mapping(first: Key, depth: number): Read {
    this.checkDepth(depth);
    const indent = this.indent + (first.node.range.start - this.first);
    const value: Record<string, unknown> = {};
    const pairs = this.pairs;
    const base = pairs.length;
    let key = first;
    let end: number;
    for (;;) {
      if (key.name === '__proto__' || key.name === '<<' || Object.hasOwn(value, key.name))
        throw OUTSIDE_SUBSET;
      const entry = this.mappingValue(key.colon, indent, depth + 1);
      pairs.push({ key: key.node, value: entry?.node });
      value[key.name] = entry === undefined ? null : entry.value;
      end = entry === undefined ? key.colon + 1 : entry.node.range.end;
      if (this.atEnd || this.indent < indent) break;
      if (this.indent > indent || this.isSequenceEntry(this.first)) throw OUTSIDE_SUBSET;
      const next = this.key(this.first);
      if (next === undefined) throw OUTSIDE_SUBSET;
      key = next;
    }
    const node: YamlMapping = {
      kind: 'mapping',
      range: { start: first.node.range.start, end },
      pairs: takeFrom(pairs, base),
    };
    return { node, value };
  }

  /** The value after a key's `:`: on the same line, below it (more indented, or a sequence at the key's column), or none. */
  private mappingValue(colon: number, indent: number, depth: number): Read | undefined {
    const { text } = this;
    let at = colon + 1;
    while (at < this.eol && text.charCodeAt(at) === SPACE) at++;
    if (at < this.eol && text.charCodeAt(at) !== HASH) {
      const read = this.inline(at, depth);
      if (!this.atEnd && this.indent > indent) throw OUTSIDE_SUBSET;
      return read;
    }
    this.finishLine(at);
    if (this.atEnd) return undefined;
    if (this.indent > indent || (this.indent === indent && this.isSequenceEntry(this.first)))
      return this.block(depth);
    return undefined;
  }

  /** A block sequence at the current line's `- `; its entries stand at that column. */
  private sequence(depth: number): Read {
    this.checkDepth(depth);
    const indent = this.indent;
    const start = this.first;
    const { items, values } = this;
    const base = items.length;
    for (;;) {
      const { text } = this;
      let at = this.first + 1;
      while (at < this.eol && text.charCodeAt(at) === SPACE) at++;
      // An entry whose node starts on a later line, or holds nothing, or holds a sequence: js-yaml reads those.
      if (at === this.eol || text.charCodeAt(at) === HASH || this.isSequenceEntry(at)) throw OUTSIDE_SUBSET;
      const key = this.key(at);
      const item = key === undefined ? this.inline(at, depth + 1) : this.mapping(key, depth + 1);
      items.push(item.node);
      values.push(item.value);
      if (this.atEnd || this.indent < indent) break;
      if (this.indent > indent) throw OUTSIDE_SUBSET;
      if (!this.isSequenceEntry(this.first)) break;
    }
    const end = items.at(-1)!.range.end;
    const node: YamlSequence = { kind: 'sequence', range: { start, end }, items: takeFrom(items, base) };
    return { node, value: takeFrom(values, base) };
  }

  /** The key at `position` if a `: ` (or `:` at the line end) follows it on this line; undefined when none does. */
  private key(position: number): Key | undefined {
    const { text } = this;
    const quote = text.charCodeAt(position);
    let keyEnd: number;
    let value: unknown;
    if (quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE) {
      const quoted = this.quoted(position);
      keyEnd = quoted.end;
      value = quoted.value;
      if (text.charCodeAt(keyEnd) !== COLON || !this.endsToken(keyEnd + 1)) return undefined;
    } else {
      if (!this.isPlainStart(position)) throw OUTSIDE_SUBSET;
      keyEnd = this.plainEnd(position);
      if (keyEnd === -1) return undefined;
      // `key : value` keeps the key's trailing space out of its range: js-yaml reads it, this reader does not.
      if (text.charCodeAt(keyEnd - 1) === SPACE) throw OUTSIDE_SUBSET;
      value = resolvePlain(text.slice(position, keyEnd));
    }
    const node: YamlScalar = { kind: 'scalar', range: { start: position, end: keyEnd }, value };
    return { node, name: String(value), colon: keyEnd };
  }

  /** A scalar (or `{}`, `[]`) from `position` to the end of the line, which it finishes. */
  private inline(position: number, depth: number): Read {
    this.checkDepth(depth);
    const { text } = this;
    const code = text.charCodeAt(position);
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      const quoted = this.quoted(position);
      this.finishLine(quoted.end);
      return { node: scalar(position, quoted.end, quoted.value), value: quoted.value };
    }
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (text.charCodeAt(position + 1) !== code + 2 /* } or ] */) throw OUTSIDE_SUBSET;
      this.finishLine(position + 2);
      const range = { start: position, end: position + 2 };
      return code === 0x7b
        ? { node: { kind: 'mapping', range, pairs: [] }, value: {} }
        : { node: { kind: 'sequence', range, items: [] }, value: [] };
    }
    if (!this.isPlainStart(position)) throw OUTSIDE_SUBSET;
    // A `: ` in a value (or a comment's end) is a key js-yaml would refuse here.
    if (this.plainEnd(position) !== -1) throw OUTSIDE_SUBSET;
    let end = this.contentEnd;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const value = resolvePlain(text.slice(position, end));
    this.nextContent(this.eol + 1);
    return { node: scalar(position, end, value), value };
  }

  /** Where the last plainEnd scan stopped: a comment's `#` or the line end. */
  private contentEnd = 0;

  /**
   * Scans a plain scalar from `position`: the offset of the first `:` followed by a space or the line end (-1 when
   * there is none before a comment or the line end, which `contentEnd` then holds).
   */
  private plainEnd(position: number): number {
    const { text, eol } = this;
    for (let at = position + 1; at < eol; at++) {
      const code = text.charCodeAt(at);
      if (code === COLON && (at + 1 === eol || text.charCodeAt(at + 1) === SPACE)) return at;
      if (code === HASH && text.charCodeAt(at - 1) === SPACE) {
        this.contentEnd = at;
        return -1;
      }
    }
    this.contentEnd = eol;
    return -1;
  }

  /** A single-line quoted scalar at `position`: its value and the offset after its closing quote. */
  private quoted(position: number): { end: number; value: string } {
    const { text, eol } = this;
    const quote = text[position]!;
    let value = '';
    let from = position + 1;
    for (;;) {
      const close = text.indexOf(quote, from);
      if (close === -1 || close >= eol) throw OUTSIDE_SUBSET;
      if (quote === '"') {
        const escape = text.indexOf('\\', from);
        if (escape !== -1 && escape < close) throw OUTSIDE_SUBSET;
        return { end: close + 1, value: text.slice(from, close) };
      }
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) !== SINGLE_QUOTE) return { end: close + 1, value };
      value += "'";
      from = close + 2;
    }
  }

  /** True when `position` ends a token: a space or the line end. */
  private endsToken(position: number): boolean {
    return position === this.eol || this.text.charCodeAt(position) === SPACE;
  }

  /** A plain scalar may start here: no indicator, except `-` before a non-space (`-1`). */
  private isPlainStart(position: number): boolean {
    const code = this.text.charCodeAt(position);
    if (code === DASH) return !this.endsToken(position + 1);
    return !INDICATORS.has(code);
  }
}

/** Characters that cannot start a plain scalar here (`-` is handled apart; `?` and `:` are left to js-yaml). */
const INDICATORS: ReadonlySet<number> = new Set(Array.from(',[]{}#&*!|>\'"%@`?:', (ch) => ch.charCodeAt(0)));

/** The entries of `stack` from `base` on, as an array of their own; the stack keeps those below. */
function takeFrom<T>(stack: T[], base: number): T[] {
  const taken = stack.slice(base);
  stack.length = base;
  return taken;
}

function scalar(start: number, end: number, value: unknown): YamlScalar {
  return { kind: 'scalar', range: { start, end }, value };
}

/** A plain scalar's value, as js-yaml resolves it: the first implicit type that accepts the text constructs it. */
function resolvePlain(text: string): unknown {
  const code = text.charCodeAt(0) | 0x20;
  // Every implicit type needs a digit, a sign, `.`, `~`, `<` or one of the letters n, t, f first: skip the rest.
  if (code >= 0x61 && code <= 0x7a && code !== 0x6e && code !== 0x74 && code !== 0x66) return text;
  for (const type of IMPLICIT_TYPES) if (type.resolve(text)) return type.construct(text) as unknown;
  return text;
}
