// The server's file-system side: manifest files under the workspace folders and the config file in effect.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
export const CONFIG_FILE_NAMES = ['.kubereach.yaml', '.kubereach.yml'];
/** Bigger files are not manifests anyone edits; reading them would only slow every analysis. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

export function isManifestPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension)) && !CONFIG_FILE_NAMES.some((name) => lower.endsWith(`/${name}`) || lower === name);
}

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

/** The config file: the setting (absolute, or relative to the first folder), else the nearest one at or above a folder. */
export function findConfigFile(folders: readonly string[], setting: string | undefined): string | undefined {
  if (setting !== undefined) return isAbsolute(setting) ? setting : resolve(folders[0] ?? process.cwd(), setting);
  for (const folder of folders) {
    let current = resolve(folder);
    for (;;) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = join(current, name);
        if (existsSync(candidate)) return candidate;
      }
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  return undefined;
}
