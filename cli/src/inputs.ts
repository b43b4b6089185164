// Turns command-line paths into input texts: files, directories (recursive) and `-` for stdin.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputIssue, SourceText } from '@kubereach/core';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Directories never holding the user's manifests, skipped while walking. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface ReadInputs {
  readonly sources: SourceText[];
  readonly issues: InputIssue[];
}

const START = { start: 0, end: 0 };

function pathIssue(path: string, code: 'no-input' | 'unreadable', message: string): InputIssue {
  return { code, severity: 'error', message, location: { file: path, range: START } };
}

/** Reads every input; a path that cannot be read becomes an issue and the others are still read. */
export function readInputs(paths: readonly string[], readStdin: () => string): ReadInputs {
  const sources: SourceText[] = [];
  const issues: InputIssue[] = [];
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (!stdinRead) sources.push({ path: '-', text: readStdin() });
      stdinRead = true;
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      issues.push(pathIssue(path, 'unreadable', describeFsError(error, path)));
      continue;
    }
    if (!isDirectory) {
      readOne(path, sources, issues);
      continue;
    }
    const files = listManifestFiles(path, issues);
    if (files.length === 0) {
      issues.push(pathIssue(path, 'no-input', `no .yaml, .yml or .json files in directory ${path}`));
    }
    for (const file of files) readOne(file, sources, issues);
  }
  return { sources, issues };
}

function readOne(path: string, sources: SourceText[], issues: InputIssue[]): void {
  try {
    sources.push({ path, text: readFileSync(path, 'utf8') });
  } catch (error) {
    issues.push(pathIssue(path, 'unreadable', describeFsError(error, path)));
  }
}

/** Manifest files below a directory, in a stable order; symlinked directories are followed once. */
function listManifestFiles(root: string, issues: InputIssue[]): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (directory: string): void => {
    let real: string;
    try {
      real = realpathSync(directory);
    } catch (error) {
      issues.push(pathIssue(directory, 'unreadable', describeFsError(error, directory)));
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch (error) {
      issues.push(pathIssue(directory, 'unreadable', describeFsError(error, directory)));
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue; // a dangling symlink: nothing to read
      }
      if (stats.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry)) walk(path);
      } else if (MANIFEST_EXTENSIONS.some((extension) => entry.toLowerCase().endsWith(extension))) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files;
}

function describeFsError(error: unknown, path: string): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `no such file or directory: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${path}`;
    case 'ELOOP':
      return `too many levels of symbolic links: ${path}`;
    default:
      return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
