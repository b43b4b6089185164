// Reads a YAML or JSON text into its documents, each parsed on its own so one broken document hides no other.
import type { Range, SourceText } from '../source/source.js';
import { parseBlockYaml, readBlockYamlValue } from './block-yaml.js';
import { findUnrenderedTemplate } from './helm-template.js';
import { limitMessage, measureValue, resolveLimits, utf8Length, type LoadLimits } from './limits.js';
import { splitDocuments, type DocumentChunk } from './split-documents.js';
import type { InputIssue, YamlDocument, YamlNode } from './types.js';
import { parseYamlDocument } from './yaml-tree.js';

const HELM_TEMPLATE_MESSAGE =
  'unrendered Helm template: run `helm template` and pass its output (kubereach matrix -)';

/**
 * The documents of a file, with one `yaml-syntax` issue per document the parser rejects (that document is still
 * listed, with no root, so indices match the file). A document beyond a limit (size, nesting, alias expansion) is
 * listed the same way with one `limit-exceeded` issue; documents past the count limit are left out, with one issue
 * at the first of them. An unrendered template yields one `helm-template` issue and no documents.
 */
export function parseYamlDocuments(
  source: SourceText,
  limits?: Partial<LoadLimits>,
): { documents: YamlDocument[]; issues: InputIssue[] } {
  const { path: file, text } = source;
  const { maxAliasExpansion, maxDepth, maxDocumentSize, maxDocuments } = resolveLimits(limits);
  const documents: YamlDocument[] = [];
  const issues: InputIssue[] = [];
  const failed = new Set<YamlDocument>();
  const problem = (code: 'yaml-syntax' | 'limit-exceeded', message: string, range: Range): void => {
    issues.push({ code, severity: 'error', message, location: { file, range } });
  };
  // An indexed loop: entries() allocates a pair and a result per document, mostly before the code is optimized.
  const chunks = splitDocuments(text);
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index]!;
    const range = { start: chunk.contentStart, end: Math.max(chunk.contentStart, trimEnd(text, chunk.end)) };
    if (index === maxDocuments) {
      problem('limit-exceeded', limitMessage('maxDocuments', maxDocuments, 'the number of documents in this file'), firstLine(text, range.start));
      break;
    }
    // A UTF-16 unit takes at most 3 bytes in UTF-8: a document that small cannot exceed the limit, and is not counted.
    const size = (chunk.end - chunk.start) * 3 <= maxDocumentSize ? 0 : utf8Length(text, chunk.start, chunk.end);
    if (size > maxDocumentSize) {
      const document: YamlDocument = { file, index, range, root: undefined, value: undefined, text };
      documents.push(document);
      failed.add(document);
      problem('limit-exceeded', limitMessage('maxDocumentSize', maxDocumentSize, `this document's size (${size.toLocaleString('en-US')} bytes)`), firstLine(text, range.start));
      continue;
    }
    const read = readBlockYamlValue(text, chunk.start, chunk.end, maxDepth);
    if (read !== undefined) {
      // Only findings need the ranged tree, and few documents have one: it is read when first asked for.
      documents.push(new LazyRootDocument(file, index, range, read.value, read.rootRange, read.nullEntries, read.kubectlMayDiffer, { text, chunk, maxDepth }));
      continue;
    }
    const parsed = parseYamlDocument(text, chunk.start, chunk.end, maxDepth);
    // Without aliases nothing is shared and the listener has bounded the nesting already (it counts scalars too).
    const excess =
      parsed.tooDeep !== undefined ? 'depth' : parsed.hasAliases === true ? excessOf(parsed.value, maxDepth, maxAliasExpansion) : undefined;
    const keep = parsed.error === undefined && excess === undefined;
    const document: YamlDocument = { file, index, range, root: keep ? parsed.root : undefined, value: keep ? parsed.value : undefined, text };
    documents.push(document);
    if (keep && parsed.hasAliases === true) aliasedDocuments.add(document);
    if (keep) continue;
    failed.add(document);
    if (parsed.error !== undefined) problem('yaml-syntax', parsed.error.message, charAt(text, parsed.error.position, chunk.end));
    else if (excess === 'depth') {
      const at = parsed.tooDeep === undefined ? firstLine(text, range.start) : charAt(text, parsed.tooDeep.position, chunk.end);
      problem('limit-exceeded', limitMessage('maxDepth', maxDepth, 'the nesting depth of this document'), at);
    } else {
      problem('limit-exceeded', limitMessage('maxAliasExpansion', maxAliasExpansion, 'the number of nodes its aliases expand to'), firstLine(text, range.start));
    }
  }
  // JSON with comments (tsconfig.json, VS Code settings) is no manifest: kubectl cannot read it either. A .json file
  // that fails to parse and holds a comment is skipped, as other non-Kubernetes files are, rather than failing a lint of
  // the folder it sits in.
  if (failed.size > 0 && /\.json$/i.test(file) && JSON_COMMENT.test(text)) {
    return {
      documents: [],
      issues: [
        {
          code: 'not-kubernetes',
          severity: 'info',
          message: 'JSON with comments (such as tsconfig.json) is not a Kubernetes manifest: skipped',
          location: { file, range: firstLine(text, 0) },
        },
      ],
    };
  }
  const template = findUnrenderedTemplate(text, documents, failed);
  if (template !== undefined) {
    return {
      documents: [],
      issues: [
        {
          code: 'helm-template',
          severity: 'error',
          message: HELM_TEMPLATE_MESSAGE,
          location: { file, range: template },
        },
      ],
    };
  }
  return { documents, issues };
}

/** A `//` or `/*` comment starting a line (after blanks) or following a value (after a comma, brace or bracket). */
const JSON_COMMENT = /(^|[,{[]|\n)[ \t]*\/[/*]/;

/** Documents whose value reaches some node twice, through YAML aliases: every other value is a tree. */
const aliasedDocuments = new WeakSet<YamlDocument>();

/** True when `document`'s value may reach a node twice (YAML aliases): decoding then works on a copy (see decodeFast). */
export function hasSharedNodes(document: YamlDocument): boolean {
  return aliasedDocuments.has(document);
}

/**
 * False when no mapping entry of `document`'s value holds null, as the block reader tells; true when one may (a
 * document read otherwise is not looked at).
 */
export function mayHoldNullEntries(document: YamlDocument): boolean {
  return LazyRootDocument.nullEntriesOf(document) ?? true;
}

/**
 * False when kubectl reads every plain value of `document` as the loader does, as the block reader tells; true when
 * some value may be read otherwise (kubectl-values.ts), or when the document was read otherwise.
 */
export function kubectlMayReadOtherwise(document: YamlDocument): boolean {
  return LazyRootDocument.kubectlMayDifferOf(document) ?? true;
}

/** The range of a document's root node, without reading its tree when the reader gave it already. */
export function rootRangeOf(document: YamlDocument): Range | undefined {
  return LazyRootDocument.rootRangeOf(document) ?? document.root?.range;
}

/** Where a document's tree is read from. */
interface TreeSource {
  readonly text: string;
  readonly chunk: DocumentChunk;
  readonly maxDepth: number;
}

/**
 * Every lazily read document has the same accessor for `root`: an object literal with a getter of its own costs
 * about three times a plain object to make, these about twice. It is an own enumerable property, as a plain
 * document's `root` is, so the document spreads and prints the same.
 */
const LAZY_ROOT: PropertyDescriptor = {
  get(this: LazyRootDocument): YamlNode | undefined {
    return this.readRoot();
  },
  enumerable: true,
  configurable: true,
};

/** A document whose tree is read on first use of `root` (then kept): its value and root range are all loading needs. */
class LazyRootDocument implements YamlDocument {
  declare readonly file: string;
  declare readonly index: number;
  declare readonly range: Range;
  declare readonly root: YamlNode | undefined;
  declare readonly value: unknown;
  declare readonly text: string;
  #source: TreeSource | undefined;
  #root: YamlNode | undefined;
  readonly #rootRange: Range;
  readonly #nullEntries: boolean;
  readonly #kubectlMayDiffer: boolean;

  constructor(
    file: string,
    index: number,
    range: Range,
    value: unknown,
    rootRange: Range,
    nullEntries: boolean,
    kubectlMayDiffer: boolean,
    source: TreeSource,
  ) {
    // Assigned in a plain document's key order.
    this.file = file;
    this.index = index;
    this.range = range;
    Object.defineProperty(this, 'root', LAZY_ROOT);
    this.value = value;
    this.text = source.text;
    this.#rootRange = rootRange;
    this.#nullEntries = nullEntries;
    this.#kubectlMayDiffer = kubectlMayDiffer;
    this.#source = source;
  }

  readRoot(): YamlNode | undefined {
    const source = this.#source;
    if (source !== undefined) {
      const { text, chunk, maxDepth } = source;
      this.#root = (parseBlockYaml(text, chunk.start, chunk.end, maxDepth) ?? parseYamlDocument(text, chunk.start, chunk.end, maxDepth)).root;
      this.#source = undefined;
    }
    return this.#root;
  }

  static rootRangeOf(document: YamlDocument): Range | undefined {
    return document instanceof LazyRootDocument ? document.#rootRange : undefined;
  }

  static nullEntriesOf(document: YamlDocument): boolean | undefined {
    return document instanceof LazyRootDocument ? document.#nullEntries : undefined;
  }

  static kubectlMayDifferOf(document: YamlDocument): boolean | undefined {
    return document instanceof LazyRootDocument ? document.#kubectlMayDiffer : undefined;
  }
}

/** Which limit a parsed value exceeds: its depth or its alias expansion (a stack overflow counts as depth). */
function excessOf(value: unknown, maxDepth: number, maxAliasExpansion: number): 'depth' | 'aliases' | undefined {
  let shape;
  try {
    shape = measureValue(value);
  } catch (error) {
    if (error instanceof RangeError) return 'depth';
    throw error;
  }
  if (shape.depth > maxDepth) return 'depth';
  return shape.aliasExpansion > maxAliasExpansion ? 'aliases' : undefined;
}

/** The first line of a document, from `start` (a limit issue points there: the document as a whole is refused). */
function firstLine(text: string, start: number): Range {
  const newline = text.indexOf('\n', start);
  const end = newline === -1 ? text.length : newline;
  return { start, end: end > start && text[end - 1] === '\r' ? end - 1 : end };
}

/**
 * The character at `position` (nothing at the end of the document, the text or a line, where a parser often stops):
 * a range never reaches into the next document, so the issue is the same whatever follows.
 */
function charAt(text: string, position: number, end: number): Range {
  const ch = position < end ? text[position] : undefined;
  const visible = ch !== undefined && ch !== '\n' && ch !== '\r';
  return { start: position, end: visible ? position + 1 : position };
}

function trimEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && ' \t\r\n'.includes(text[at - 1]!)) at--;
  return at;
}
