// The server's file-system side: manifest files below a folder, and their texts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SKIPPED_DIRECTORIES } from '@kubereach/core';
import { isManifestPath } from './service/file-names.js';
import type { WorkspaceFileSystem } from './service/workspaces.js';

/** Bigger files are not manifests anyone edits; reading them would only slow every analysis. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Manifest files below a folder, sorted; unreadable entries are skipped. */
export function listManifestFiles(root: string): string[] {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (directory: string): void => {
    if (visited.has(directory)) return;
    visited.add(directory);
    let entries: string[];
    try {
      entries = readdirSync(directory).sort();
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(directory, entry);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry)) walk(path);
      } else if (isManifestPath(path)) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** A file's text, or undefined when it cannot be read, is too big, or is binary (holds NUL). */
export function readTextFile(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return undefined;
    const text = readFileSync(path, 'utf8');
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

function isKind(path: string, kind: 'file' | 'directory'): boolean {
  try {
    const stats = statSync(path);
    return kind === 'file' ? stats.isFile() : stats.isDirectory();
  } catch {
    return false;
  }
}

export const nodeFileSystem: WorkspaceFileSystem = {
  listManifestFiles,
  readTextFile,
  isFile: (path) => isKind(path, 'file'),
  isDirectory: (path) => isKind(path, 'directory'),
};
