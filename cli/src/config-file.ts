// Finds and reads `.kubereach.yaml`: `--config`, else walking up from the first input's folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, parseConfig, RULES, type InputIssue, type KubereachConfig, type SourceText } from '@kubereach/core';

export interface LoadedConfig {
  readonly config: KubereachConfig;
  /** Folder the ignore globs are relative to. */
  readonly folder: string;
  readonly source: SourceText | undefined;
  readonly issues: InputIssue[];
}

export function findConfigFile(start: string): string | undefined {
  let folder = resolve(start);
  try {
    if (!statSync(folder).isDirectory()) folder = dirname(folder);
  } catch {
    folder = dirname(folder);
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(folder, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

export function loadConfig(explicit: string | undefined, inputs: readonly string[]): LoadedConfig {
  const firstPath = inputs.find((p) => p !== '-') ?? '.';
  const path = explicit ?? findConfigFile(firstPath);
  if (path === undefined) return { config: EMPTY_CONFIG, folder: process.cwd(), source: undefined, issues: [] };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {
      config: EMPTY_CONFIG,
      folder: process.cwd(),
      source: undefined,
      issues: [{ code: 'unreadable', severity: 'error', message: `cannot read config file ${path}`, location: { file: path, range: { start: 0, end: 0 } } }],
    };
  }
  const source = { path, text };
  const { config, issues } = parseConfig(source, RULES);
  return { config, folder: dirname(resolve(path)), source, issues };
}
