// Reads the plain block YAML most manifests are written in, in one pass, to the same tree and value js-yaml gives.
import type { Type } from 'js-yaml';
import type { Range } from '../source/source.js';
import { kubectlReadsAsNonString } from './kubectl-yaml.js';
import type { YamlNode, YamlPair, YamlScalar } from './types.js';
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
  const read = readBlock(text, start, end, maxDepth, true);
  return read === undefined ? undefined : { root: read.root, value: read.value, hasAliases: read.hasAliases };
}

/**
 * parseBlockYaml's value alone, without the ranged tree: undefined exactly where parseBlockYaml gives undefined.
 * Loading needs the tree only where a finding points into the document, so it reads the tree again then.
 */
export function readBlockYamlValue(
  text: string,
  start: number,
  end: number,
  maxDepth: number,
): { readonly value: unknown; readonly rootRange: Range; readonly nullEntries: boolean; readonly kubectlMayDiffer: boolean } | undefined {
  const read = readBlock(text, start, end, maxDepth, false);
  return read === undefined
    ? undefined
    : { value: read.value, rootRange: read.rootRange, nullEntries: read.nullEntries, kubectlMayDiffer: read.kubectlMayDiffer };
}

function readBlock(
  text: string,
  start: number,
  end: number,
  maxDepth: number,
  tree: boolean,
): (ParsedYaml & { readonly rootRange: Range; readonly nullEntries: boolean; readonly kubectlMayDiffer: boolean }) | undefined {
  if (IMPLICIT_TYPES.length === 0 || !isPrintableAscii(text, start, end)) return undefined;
  try {
    return new BlockReader(text, start, end, maxDepth, tree).document();
  } catch (error) {
    // The entries of the collections left unfinished are dropped.
    PAIRS.clear();
    ITEMS.clear();
    VALUES.clear();
    // A stack overflow (nesting allowed by a raised --max-depth) is left to js-yaml too, which reports it.
    if (error === OUTSIDE_SUBSET || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * A stack of the entries of the collections being read, nested ones above: each collection takes its own off the top
 * as an array of its exact size (an array grown by push keeps room for 17 entries, and trees are kept). Its array
 * keeps its length as entries are taken (setting an array's length lower gives its memory back), so that it is
 * grown once rather than for each document: entries above the top are stale.
 */
class EntryStack<T> {
  private readonly entries: T[] = [];
  private top = 0;

  get size(): number {
    return this.top;
  }

  push(entry: T): void {
    this.entries[this.top++] = entry;
  }

  /** The entries from `base` on, as an array of their own; those below stay. */
  takeFrom(base: number): T[] {
    const taken = this.entries.slice(base, this.top);
    this.top = base;
    return taken;
  }

  clear(): void {
    this.entries.length = 0;
    this.top = 0;
  }
}

/** The stacks every reader uses (none runs inside another); a finished read leaves them empty. */
const PAIRS = new EntryStack<YamlPair>();
const ITEMS = new EntryStack<YamlNode>();
const VALUES = new EntryStack<unknown>();

/**
 * Whether the document's text is printable ASCII and newlines. One regexp test of exactly its text (a slice shares the
 * file's characters): several times faster than a loop of charCodeAt, and a document whose ranged tree is read again
 * later costs its own length, where a scan from its start would run on to the end of the file.
 */
function isPrintableAscii(text: string, start: number, end: number): boolean {
  return !UNPRINTABLE.test(start === 0 && end === text.length ? text : text.slice(start, end));
}

/** A character outside printable ASCII, other than a newline. */
const UNPRINTABLE = /[^\n\x20-\x7e]/;

/** What mappingValue returns for a key with nothing after it (`key:`), which js-yaml reads as null. */
const NO_VALUE: unique symbol = Symbol('no value');

/**
 * Each read returns the node's value and leaves where its text ends in `nodeEnd`, and, when building the tree, the
 * node itself in `node`: without the tree, nothing is allocated for ranges.
 */
class BlockReader {
  /** The current content line (neither blank nor a comment): where its text begins, its indent, its end. */
  private first = 0;
  private indent = 0;
  private eol = 0;
  private atEnd = false;
  /** Whether some mapping entry read so far holds null (`key:` or `key: ~`): loading drops those (dropNullFields). */
  private nullEntries = false;
  /** Whether some value read so far may be read otherwise by kubectl (mayDifferForKubectl). */
  private kubectlMayDiffer = false;
  /** The node last read (with the tree only) and where its text ends. */
  private node: YamlNode | undefined = undefined;
  private nodeEnd = 0;
  /** The key the last `key` call found: where its text starts, its `:`, its value and the property name js-yaml makes of it. */
  private keyStart = 0;
  private keyColon = 0;
  private keyValue: unknown = undefined;
  private keyName = '';
  private readonly pairs = PAIRS;
  private readonly items = ITEMS;
  private readonly values = VALUES;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    /**
     * js-yaml's listener counts nesting in composed nodes, which can be up to twice this reader's levels (a block
     * node is first tried as a mapping key): staying within half the limit keeps every document it refuses away.
     */
    private readonly maxDepth: number,
    /** Whether to build the ranged tree along with the value. */
    private readonly tree: boolean,
  ) {}

  /** The document's value, its tree (when built) and the root's range, which the tree's root has too. */
  document(): ParsedYaml & { readonly rootRange: Range; readonly nullEntries: boolean; readonly kubectlMayDiffer: boolean } {
    const { text, start } = this;
    let position = start;
    if (text.startsWith('---', start)) position = this.restOfLine(start + 3);
    this.nextContent(position);
    if (this.atEnd) throw OUTSIDE_SUBSET;
    const rootStart = this.first;
    const value = this.block(1);
    if (!this.atEnd) throw OUTSIDE_SUBSET;
    return {
      root: this.node,
      value,
      hasAliases: false,
      rootRange: { start: rootStart, end: this.nodeEnd },
      nullEntries: this.nullEntries,
      kubectlMayDiffer: this.kubectlMayDiffer,
    };
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
  private block(depth: number): unknown {
    if (this.isSequenceEntry(this.first)) return this.sequence(depth);
    if (!this.key(this.first)) throw OUTSIDE_SUBSET;
    return this.mapping(depth);
  }

  private isSequenceEntry(position: number): boolean {
    if (this.text.charCodeAt(position) !== DASH) return false;
    return position + 1 === this.eol || this.text.charCodeAt(position + 1) === SPACE;
  }

  /** A block mapping whose first key the last `key` call found on the current line; its entries stand at that key's column. */
  private mapping(depth: number): Record<string, unknown> {
    this.checkDepth(depth);
    const start = this.keyStart;
    const indent = this.indent + (start - this.first);
    const value: Record<string, unknown> = {};
    const { pairs, tree } = this;
    const base = pairs.size;
    let end: number;
    for (;;) {
      const { keyStart, keyColon, keyValue, keyName } = this;
      if (keyName === '__proto__' || keyName === '<<' || Object.hasOwn(value, keyName)) throw OUTSIDE_SUBSET;
      const entry = this.mappingValue(keyColon, indent, depth + 1);
      const empty = entry === NO_VALUE;
      value[keyName] = empty ? null : entry;
      if (empty || entry === null) this.nullEntries = true;
      end = empty ? keyColon + 1 : this.nodeEnd;
      if (tree)
        pairs.push({ key: scalar(keyStart, keyColon, keyValue), value: empty ? undefined : this.node });
      if (this.atEnd || this.indent < indent) break;
      if (this.indent > indent || this.isSequenceEntry(this.first)) throw OUTSIDE_SUBSET;
      if (!this.key(this.first)) throw OUTSIDE_SUBSET;
    }
    if (tree) this.node = { kind: 'mapping', range: { start, end }, pairs: pairs.takeFrom(base) };
    this.nodeEnd = end;
    return value;
  }

  /** The value after a key's `:`: on the same line, below it (more indented, or a sequence at the key's column), or none. */
  private mappingValue(colon: number, indent: number, depth: number): unknown {
    const { text } = this;
    let at = colon + 1;
    while (at < this.eol && text.charCodeAt(at) === SPACE) at++;
    if (at < this.eol && text.charCodeAt(at) !== HASH) {
      const read = this.inline(at, depth);
      if (!this.atEnd && this.indent > indent) throw OUTSIDE_SUBSET;
      return read;
    }
    this.finishLine(at);
    if (this.atEnd) return NO_VALUE;
    if (this.indent > indent || (this.indent === indent && this.isSequenceEntry(this.first)))
      return this.block(depth);
    return NO_VALUE;
  }

  /** A block sequence at the current line's `- `; its entries stand at that column. */
  private sequence(depth: number): unknown[] {
    this.checkDepth(depth);
    const indent = this.indent;
    const start = this.first;
    const { items, values, tree } = this;
    const itemBase = items.size;
    const valueBase = values.size;
    for (;;) {
      const { text } = this;
      let at = this.first + 1;
      while (at < this.eol && text.charCodeAt(at) === SPACE) at++;
      // An entry whose node starts on a later line, or holds nothing, or holds a sequence: js-yaml reads those.
      if (at === this.eol || text.charCodeAt(at) === HASH || this.isSequenceEntry(at)) throw OUTSIDE_SUBSET;
      values.push(this.key(at) ? this.mapping(depth + 1) : this.inline(at, depth + 1));
      if (tree) items.push(this.node!);
      if (this.atEnd || this.indent < indent) break;
      if (this.indent > indent) throw OUTSIDE_SUBSET;
      if (!this.isSequenceEntry(this.first)) break;
    }
    // nodeEnd is the last item's end, which is the sequence's.
    if (tree)
      this.node = { kind: 'sequence', range: { start, end: this.nodeEnd }, items: items.takeFrom(itemBase) };
    return values.takeFrom(valueBase);
  }

  /**
   * Whether a key stands at `position`, with a `: ` (or `:` at the line end) after it on this line; when one does,
   * the `key` fields describe it.
   */
  private key(position: number): boolean {
    const { text } = this;
    const quote = text.charCodeAt(position);
    let keyEnd: number;
    let value: unknown;
    if (quote === SINGLE_QUOTE || quote === DOUBLE_QUOTE) {
      const quoted = this.quoted(position);
      keyEnd = quoted.end;
      value = quoted.value;
      if (text.charCodeAt(keyEnd) !== COLON || !this.endsToken(keyEnd + 1)) return false;
    } else {
      if (!this.isPlainStart(position)) throw OUTSIDE_SUBSET;
      keyEnd = this.plainEnd(position);
      if (keyEnd === -1) return false;
      // `key : value` keeps the key's trailing space out of its range: js-yaml reads it, this reader does not.
      if (text.charCodeAt(keyEnd - 1) === SPACE) throw OUTSIDE_SUBSET;
      value = resolvePlain(keyText(text, position, keyEnd));
    }
    this.keyStart = position;
    this.keyColon = keyEnd;
    this.keyValue = value;
    this.keyName = String(value);
    return true;
  }

  /** A scalar (or `{}`, `[]`) from `position` to the end of the line, which it finishes. */
  private inline(position: number, depth: number): unknown {
    this.checkDepth(depth);
    const { text } = this;
    const code = text.charCodeAt(position);
    if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
      const quoted = this.quoted(position);
      this.finishLine(quoted.end);
      return this.scalarRead(position, quoted.end, quoted.value);
    }
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (text.charCodeAt(position + 1) !== code + 2 /* } or ] */) throw OUTSIDE_SUBSET;
      this.finishLine(position + 2);
      const range = { start: position, end: position + 2 };
      this.nodeEnd = range.end;
      if (code === 0x7b) {
        if (this.tree) this.node = { kind: 'mapping', range, pairs: [] };
        return {};
      }
      if (this.tree) this.node = { kind: 'sequence', range, items: [] };
      return [];
    }
    if (!this.isPlainStart(position)) throw OUTSIDE_SUBSET;
    // A `: ` in a value (or a comment's end) is a key js-yaml would refuse here.
    if (this.plainEnd(position) !== -1) throw OUTSIDE_SUBSET;
    let end = this.contentEnd;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const plain = valueText(text, position, end);
    const value = resolvePlain(plain);
    // Most values start with a lowercase letter other than y, n and o, which no such value does: no call for them.
    const first = plain.charCodeAt(0);
    if ((first < 0x61 || first === 0x79 || first === 0x6e || first === 0x6f) && !this.kubectlMayDiffer && mayDifferForKubectl(plain, value))
      this.kubectlMayDiffer = true;
    this.nextContent(this.eol + 1);
    return this.scalarRead(position, end, value);
  }

  /** Records a scalar read from `start` to `end`, and returns its value. */
  private scalarRead(start: number, end: number, value: unknown): unknown {
    this.nodeEnd = end;
    if (this.tree) this.node = scalar(start, end, value);
    return value;
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
    return INDICATORS[code] !== 1;
  }
}

/** Characters that cannot start a plain scalar here (`-` is handled apart; `?` and `:` are left to js-yaml). */
const INDICATORS = new Uint8Array(128);
for (const ch of ',[]{}#&*!|>\'"%@`?:') INDICATORS[ch.charCodeAt(0)] = 1;

function scalar(start: number, end: number, value: unknown): YamlScalar {
  return { kind: 'scalar', range: { start, end }, value };
}

/** A plain scalar's value, as js-yaml resolves it: the first implicit type that accepts the text constructs it. */
function resolvePlain(text: string): unknown {
  const code = text.charCodeAt(0) | 0x20;
  // Every implicit type needs a digit, a sign, `.`, `~`, `<` or one of the letters n, t, f first: skip the rest.
  if (code >= 0x61 && code <= 0x7a && code !== 0x6e && code !== 0x74 && code !== 0x66) return text;
  // After n, t or f only null (4 letters), true (4) and false (5) resolve.
  if ((code === 0x6e || code === 0x74 || code === 0x66) && text.length !== 4 && text.length !== 5)
    return text;
  // Port numbers and replica counts: a decimal integer without sign, leading zero or `_` is what js-yaml's int type
  // makes of it (parseInt), and no type before int takes it.
  if (isPlainDecimal(text)) return Number(text);
  for (const type of IMPLICIT_TYPES) if (type.resolve(text)) return type.construct(text) as unknown;
  return text;
}

/**
 * Whether kubectl, reading YAML 1.1 (kubectl-yaml.ts), may read a plain value otherwise: a string starting with y, n
 * or o (`yes`, `no`, `on`, `off` in their spellings) or in a number form YAML 1.2 lacks (`8_080`), or a number with a
 * leading zero (`0443`, octal for kubectl). A cheap first test, on every value: loading decides on the tree.
 */
function mayDifferForKubectl(text: string, value: unknown): boolean {
  const code = text.charCodeAt(0);
  if (typeof value === 'number') return code === 0x30 ? text.length > 1 && isDigit(text.charCodeAt(1)) : (code === 0x2b || code === 0x2d) && text.charCodeAt(1) === 0x30 && isDigit(text.charCodeAt(2));
  if (typeof value !== 'string') return false;
  const lower = code | 0x20;
  if (lower === 0x79 || lower === 0x6e || lower === 0x6f) return text.length <= 3;
  return (isDigit(code) || code === 0x2b || code === 0x2d || code === 0x2e) && kubectlReadsAsNonString(text);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Digits 0-9 not starting with 0, few enough to be an exact integer. */
function isPlainDecimal(text: string): boolean {
  if (text.length === 0 || text.length > 15 || text.charCodeAt(0) === 0x30) return false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/**
 * The text of a plain key: the same string as the last key of its length and first character when the text is
 * that key's again. Manifests repeat a few dozen keys in every document: a key met before is not sliced (and
 * looked up as a property name) again.
 */
function keyText(text: string, start: number, end: number): string {
  const slot = ((end - start) * 31 + text.charCodeAt(start)) & (RECENT_KEYS.length - 1);
  const recent = RECENT_KEYS[slot];
  if (recent !== undefined && recent.length === end - start && text.startsWith(recent, start)) return recent;
  const key = text.slice(start, end);
  RECENT_KEYS[slot] = key;
  return key;
}

const RECENT_KEYS: (string | undefined)[] = new Array<string | undefined>(256).fill(undefined);

/**
 * The text of a plain value: the same string as the last value of its slot when the text is that value's again, as
 * keyText does for keys (each keeps its own check rather than calling a shared one: the one-shot commands run without
 * inlining, and every scalar passes here). Manifests repeat most values (namespaces, label values, port and container
 * names): a string kept for each was an eighth of what loading keeps, and one string per value is also hashed once by
 * the maps that look values up. Only short values are kept: V8 makes a slice of 13 characters or more a view into
 * the text, which a kept one would hold on to (a language server reads a new text of a file at every edit).
 */
function valueText(text: string, start: number, end: number): string {
  const length = end - start;
  if (length > SHARED_VALUE_LENGTH) return text.slice(start, end);
  // Values that share a slot replace each other: their length and three characters (first, middle, last) keep most
  // of the values a manifest repeats apart, at the cost of three reads.
  const hash = ((length * 31 + text.charCodeAt(start)) * 31 + text.charCodeAt(start + (length >> 1))) * 31 + text.charCodeAt(end - 1);
  const slot = hash & (RECENT_VALUES.length - 1);
  const recent = RECENT_VALUES[slot];
  if (recent !== undefined && recent.length === length && text.startsWith(recent, start)) return recent;
  const value = text.slice(start, end);
  RECENT_VALUES[slot] = value;
  return value;
}

const SHARED_VALUE_LENGTH = 12;
const RECENT_VALUES: (string | undefined)[] = new Array<string | undefined>(4096).fill(undefined);
