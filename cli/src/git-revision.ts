// Reads manifests as they were at a git revision (through `git ls-tree` and `git show`, never the work tree). Imported
// by `kubereach diff` when it reads a revision: other commands do not load child_process.
import { execFileSync } from 'node:child_process';
import { isManifestFileName, SKIPPED_DIRECTORIES, type InputIssue, type SourceText } from '@kubereach/core';

export interface RevisionInputs {
  readonly sources: SourceText[];
  readonly issues: InputIssue[];
}

const START = { start: 0, end: 0 };

/** The files `readInputs` would read in a folder. */
function isManifestPath(path: string): boolean {
  const names = path.split('/');
  return isManifestFileName(names.at(-1)!) && !names.slice(0, -1).some((name) => SKIPPED_DIRECTORIES.has(name));
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitError(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim() : error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!;
}

/**
 * The manifest files under `paths` (relative to `cwd`) at `revision`. Each source is named
 * `revision:path`, so findings and explanations say which side they come from. A path that does
 * not exist at the revision is a warning (a folder added since is normal in a diff).
 */
export function readAtRevision(revision: string, paths: readonly string[], cwd: string): RevisionInputs {
  const sources: SourceText[] = [];
  const issues: InputIssue[] = [];
  try {
    git(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], cwd);
  } catch (error) {
    const detail = (error as { status?: number }).status === 1 ? 'unknown revision' : gitError(error);
    issues.push({ code: 'unreadable', severity: 'error', message: `cannot read git revision "${revision}": ${detail}`, location: { file: revision, range: START } });
    return { sources, issues };
  }
  for (const path of paths) {
    let names: string[];
    try {
      // Without --full-name, ls-tree takes and prints paths relative to cwd.
      names = git(['ls-tree', '-r', '--name-only', '-z', revision, '--', path], cwd)
        .split('\0')
        .filter((name) => name !== '' && isManifestPath(name));
    } catch (error) {
      issues.push({ code: 'unreadable', severity: 'error', message: gitError(error), location: { file: `${revision}:${path}`, range: START } });
      continue;
    }
    if (names.length === 0) {
      issues.push({
        code: 'no-input',
        severity: 'warning',
        message: `no .yaml, .yml or .json files at ${revision}:${path}`,
        location: { file: `${revision}:${path}`, range: START },
      });
    }
    for (const name of names) {
      // `rev:./path` resolves the path against cwd, like ls-tree printed it.
      sources.push({ path: `${revision}:${name}`, text: git(['show', `${revision}:./${name}`], cwd) });
    }
  }
  return { sources, issues };
}

