// Ignore globs of .kubereach.yaml: `**` (any folders), `*` and `?` (within a name), `{a,b}`; shared by the CLI and the language server.

function escape(text: string): string {
  return text.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

/** Compiles a glob to a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.startsWith('./') ? glob.slice(2) : glob;
  // A pattern without a slash matches at any depth, like .gitignore; a trailing slash means everything below.
  if (!pattern.slice(0, -1).includes('/')) pattern = `**/${pattern}`;
  if (pattern.endsWith('/')) pattern = `${pattern}**`;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      const slashAfter = pattern[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) source += '\\{';
      else {
        source += `(?:${pattern.slice(i + 1, close).split(',').map(escape).join('|')})`;
        i = close;
      }
    } else source += escape(char);
  }
  return new RegExp(`^${source}$`);
}

export function matchesAny(path: string, globs: readonly RegExp[]): boolean {
  return globs.some((glob) => glob.test(path));
}
