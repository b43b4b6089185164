// Ignore globs of .kubereach.yaml, read like .gitignore lines plus `{a,b}` alternatives; shared by the CLI and the language server.
//
// `*` and `?` match within a name, `**` as a whole segment matches any folders, `{a,b}` matches either alternative
// (each one a glob: wildcards and nested braces work inside). As in .gitignore, a pattern with no slash but a trailing
// one matches a name at any depth, a leading `/` (or `./`) anchors it to the config file's folder, a pattern matching
// a folder matches everything beneath it, and a trailing slash matches folders only. Any text compiles: a `{` without
// its `}` is a literal character, and an empty pattern matches nothing.

/** Regular-expression characters the translation does not produce itself. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The index of the `}` closing the `{` at `open`, counting nested pairs; -1 when it is never closed. */
function closingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    if (pattern[i] === '{') depth++;
    else if (pattern[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The alternatives of a brace body: split at its commas outside nested braces. */
function alternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{' && closingBrace(body, i) >= 0) depth++;
    else if (body[i] === '}' && depth > 0) depth--;
    else if (body[i] === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** Translates a glob, or one alternative of a brace, into regular-expression source. */
function translate(glob: string): string {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      const double = glob[i + 1] === '*';
      // `**` is "any folders" only as a whole segment; elsewhere it is a `*`, as in .gitignore.
      const wholeSegment = double && (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
      if (wholeSegment && glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else if (wholeSegment) {
        source += '.*';
        i += 1;
      } else {
        source += '[^/]*';
        while (glob[i + 1] === '*') i++;
      }
    } else if (char === '?') source += '[^/]';
    else if (char === '{' && closingBrace(glob, i) >= 0) {
      const close = closingBrace(glob, i);
      source += `(?:${alternatives(glob.slice(i + 1, close)).map(translate).join('|')})`;
      i = close;
    } else source += escape(char);
  }
  return source;
}

/** Compiles a glob to a regular expression over `/`-separated paths relative to the config file's folder. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.startsWith('./') ? glob.slice(2) : glob;
  const foldersOnly = pattern.endsWith('/');
  if (foldersOnly) pattern = pattern.replace(/\/+$/, '');
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.replace(/^\/+/, '');
  if (pattern === '') return /(?!)/;
  const body = translate(pattern);
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}${foldersOnly ? '/.*' : '(?:/.*)?'}$`);
}

export function matchesAny(path: string, globs: readonly RegExp[]): boolean {
  return globs.some((glob) => glob.test(path));
}
