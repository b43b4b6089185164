// Limits that keep hostile input (alias bombs, deep nesting, huge or countless documents) from exhausting the loader.

/** Bounds on one input file. Each one, when exceeded, is an error issue naming it and the CLI flag that raises it. */
export interface LoadLimits {
  /**
   * Nodes that aliases may add when expanded (`*ref` counts as the size of what it refers to), per document. The
   * parser shares aliased values, but every consumer that walks them (decoding, rules) pays for the expansion.
   */
  readonly maxAliasExpansion: number;
  /** Nesting depth of mappings and sequences, per document (aliases included). */
  readonly maxDepth: number;
  /** Size of one document's text, in UTF-8 bytes. */
  readonly maxDocumentSize: number;
  /** Documents in one file (`---` separated). */
  readonly maxDocuments: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = {
  maxAliasExpansion: 100_000,
  maxDepth: 100,
  maxDocumentSize: 8 * 1024 * 1024,
  maxDocuments: 10_000,
};

/** The command-line flag that raises each limit: messages name it so a user with a legitimate input knows the way out. */
export const LIMIT_FLAGS: Readonly<Record<keyof LoadLimits, string>> = {
  maxAliasExpansion: '--max-yaml-aliases',
  maxDepth: '--max-depth',
  maxDocumentSize: '--max-document-size',
  maxDocuments: '--max-documents',
};

export function resolveLimits(limits: Partial<LoadLimits> | undefined): LoadLimits {
  return { ...DEFAULT_LOAD_LIMITS, ...limits };
}

/** `document nesting exceeds the limit of 100 levels (--max-depth raises it)` */
export function limitMessage(limit: keyof LoadLimits, value: number, what: string): string {
  return `${what} exceeds the limit of ${value.toLocaleString('en-US')} (${LIMIT_FLAGS[limit]} raises it)`;
}

/** What walking a parsed value found: how many nodes aliases add, and how deep it nests. */
export interface ValueShape {
  /** Nodes added by expanding shared (aliased) values; Infinity for a value that contains itself. */
  readonly aliasExpansion: number;
  readonly depth: number;
}

/**
 * Measures a js-yaml value without expanding it: a shared object (an alias target) is measured once and each
 * further reference adds its expanded size. A value that contains itself (`&a [*a]`) expands without end.
 */
export function measureValue(value: unknown): ValueShape {
  const sizes = new Map<object, { size: number; depth: number }>();
  const inProgress = new Set<object>();
  let aliasExpansion = 0;
  const visit = (node: unknown): { size: number; depth: number } => {
    if (typeof node !== 'object' || node === null) return { size: 1, depth: 0 };
    const known = sizes.get(node);
    if (known !== undefined) {
      aliasExpansion += known.size;
      return known;
    }
    if (inProgress.has(node)) {
      aliasExpansion = Number.POSITIVE_INFINITY;
      return { size: 1, depth: 0 };
    }
    inProgress.add(node);
    let size = 1;
    let depth = 0;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      const measured = visit(child);
      size += measured.size;
      depth = Math.max(depth, measured.depth);
      // Beyond every sensible limit: stop before the walk itself becomes the problem.
      if (!Number.isFinite(aliasExpansion) || aliasExpansion > Number.MAX_SAFE_INTEGER / 4) break;
    }
    inProgress.delete(node);
    const result = { size: Math.min(size, Number.MAX_SAFE_INTEGER / 4), depth: depth + 1 };
    sizes.set(node, result);
    return result;
  };
  const { depth } = visit(value);
  return { aliasExpansion, depth };
}

/** UTF-8 byte length of `text.slice(start, end)`, without encoding it (core runs where Buffer does not exist). */
export function utf8Length(text: string, start: number, end: number): number {
  let bytes = 0;
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && at + 1 < end) {
      bytes += 4;
      at++;
    } else bytes += 3;
  }
  return bytes;
}
