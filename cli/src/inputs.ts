// Turns command-line paths into input texts: files, directories (recursive) and `-` for stdin.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isManifestFileName, SKIPPED_DIRECTORIES, type InputIssue, type SourceText } from '@kubereach/core';

export interface ReadInputs {
  readonly sources: SourceText[];
  readonly issues: InputIssue[];
}

const START = { start: 0, end: 0 };

function pathIssue(path: string, code: 'no-input' | 'unreadable' | 'invalid-encoding', message: string): InputIssue {
  return { code, severity: 'error', message, location: { file: path, range: START } };
}

/** The real path of a file, by which a file named twice (`a.yaml ./a.yaml`, a symlink, a folder and a file in it) is read once. */
function identity(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    // `<(helm template ...)` names a pipe, which has no real path: the path names it.
    return resolve(path);
  }
}

/**
 * Reads every input, each file once under the path that first names it; a path that cannot be read becomes an issue
 * and the others are still read.
 */
export function readInputs(paths: readonly string[], readStdin: () => string): ReadInputs {
  const sources: SourceText[] = [];
  const issues: InputIssue[] = [];
  const filesRead = new Set<string>();
  const readOnce = (file: string) => {
    const real = identity(file);
    if (filesRead.has(real)) return;
    filesRead.add(real);
    readOne(file, sources, issues);
  };
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (!stdinRead) {
        const text = readStdin();
        // As kubectl's "no objects passed to apply": nothing on stdin is most often a command before the pipe that failed.
        if (holdsNoDocument(text)) issues.push(pathIssue('-', 'no-input', 'no manifests on stdin (it is empty, or holds only comments): did the command before the pipe fail?'));
        else sources.push({ path: '-', text });
      }
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
      readOnce(path);
      continue;
    }
    const files = listManifestFiles(path, issues);
    if (files.length === 0) {
      issues.push(pathIssue(path, 'no-input', `no .yaml, .yml or .json files in directory ${path}`));
    }
    for (const file of files) readOnce(file);
  }
  return { sources, issues };
}

/** Whether a text holds no YAML document: blank lines, comments and document markers only (`helm template` of a chart rendering nothing). */
function holdsNoDocument(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .every((line) => /^\s*(?:#.*)?$|^(?:---|\.\.\.)\s*(?:#.*)?$/.test(line));
}

function readOne(path: string, sources: SourceText[], issues: InputIssue[]): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    issues.push(pathIssue(path, 'unreadable', describeFsError(error, path)));
    return;
  }
  const decoded = decodeText(bytes);
  if ('text' in decoded) sources.push({ path, text: decoded.text });
  else issues.push(pathIssue(path, 'invalid-encoding', `${decoded.problem}: ${path}`));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** How far into a file a NUL byte marks it as binary (git looks as far). */
const BINARY_PROBE = 8000;

/**
 * The text of a manifest file: UTF-8, with its byte order mark kept (so offsets, and fixes written back, match the
 * file), or UTF-16 when a byte order mark says so, as kubectl accepts. Binary files and invalid UTF-8 are refused.
 */
export function decodeText(bytes: Uint8Array): { text: string } | { problem: string } {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  if (utf16 !== undefined) {
    try {
      return { text: new TextDecoder(utf16, { fatal: true }).decode(bytes) };
    } catch {
      return { problem: `invalid ${utf16.toUpperCase()} text` };
    }
  }
  const nul = bytes.subarray(0, BINARY_PROBE).indexOf(0);
  if (nul !== -1) return { problem: `binary file (a NUL byte at offset ${nul}), not a YAML or JSON manifest` };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { problem: `invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}; save the file as UTF-8` };
  }
}

/** Offset of the first byte that breaks UTF-8 (a bad lead byte, a missing continuation, or a truncated sequence). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0) return at;
    const sequence = bytes.subarray(at, at + length);
    if (sequence.length < length) return at;
    try {
      UTF8.decode(sequence);
    } catch {
      return at;
    }
    at += length;
  }
  return bytes.length;
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
      const isManifest = isManifestFileName(entry);
      let stats;
      try {
        stats = statSync(path);
      } catch (error) {
        // A dangling symlink holds nothing to read; a symlink loop named like a manifest is worth saying.
        if (isManifest && (error as { code?: string }).code === 'ELOOP') issues.push(pathIssue(path, 'unreadable', describeFsError(error, path)));
        continue;
      }
      if (stats.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry)) walk(path);
      } else if (isManifest && stats.isFile()) {
        // Only regular files: a FIFO or device found by walking would block the read forever. Named on the
        // command line, one is read (`kubereach lint <(helm template ...)`).
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
