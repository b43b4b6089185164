// The repository root, and paths relative to it (code scanning and workflow annotations name files so).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The closest folder at or above `from` holding `.git` (a folder, or a file for worktrees); undefined outside a repository. */
export function repositoryRoot(from: string): string | undefined {
  let folder = resolve(from);
  while (true) {
    if (existsSync(join(folder, '.git'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/**
 * A file's path relative to the repository holding the working directory (or to the working
 * directory outside a repository), with `/` separators; undefined for stdin and files outside it.
 * Code scanning and workflow annotations need these paths.
 */
export function repositoryPath(file: string, cwd: string = process.cwd()): string | undefined {
  if (file === '-') return undefined;
  const root = repositoryRoot(cwd) ?? resolve(cwd);
  const path = relative(root, resolve(cwd, file));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}
