// `lint --fix`: applies the edits of the findings' fixes to their files, each file written atomically.
import { closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding, SourceText, TextEdit } from '@kubereach/core';
import { decodeText } from './inputs.js';

export interface FixOutcome {
  /** Findings whose every edit was written. */
  readonly fixed: ReadonlySet<Finding>;
  /** Files rewritten. */
  readonly files: readonly string[];
  /** Why some fixes were not applied (stdin, live objects, a file changed since it was read, a write error). */
  readonly problems: readonly string[];
}

/**
 * Applies every fix it can. A finding's edits are applied together or not at all; a fix that overlaps one applied
 * before it is left for the next run. A file is written only when its bytes still decode to the text that was
 * analysed, and then through a temporary file in the same folder, flushed and renamed over it, so an interruption
 * leaves the old file or the new one, never half of each. Text outside the edits is kept byte for byte.
 */
export function applyFixes(findings: readonly Finding[], sources: ReadonlyMap<string, SourceText>): FixOutcome {
  const byFile = new Map<string, { finding: Finding; edits: TextEdit[] }[]>();
  const problems: string[] = [];
  for (const finding of findings) {
    const edits = finding.fix?.edits ?? [];
    if (edits.length === 0) continue;
    const files = new Set(edits.map((edit) => edit.file));
    if (files.size !== 1) {
      problems.push(`${finding.ruleId}: a fix that edits several files is not applied`);
      continue;
    }
    const file = edits[0]!.file;
    if (file === '-' || file.startsWith('cluster:')) {
      problems.push(`${file === '-' ? 'stdin' : file}: cannot be fixed in place (not a file)`);
      continue;
    }
    const list = byFile.get(file) ?? [];
    list.push({ finding, edits: [...edits] });
    byFile.set(file, list);
  }

  const fixed = new Set<Finding>();
  const written: string[] = [];
  for (const [file, fixes] of byFile) {
    const source = sources.get(file);
    if (source === undefined) continue;
    const applied: TextEdit[] = [];
    const accepted: Finding[] = [];
    for (const { finding, edits } of fixes) {
      const overlaps = edits.some((edit) => applied.some((other) => edit.range.start < other.range.end && other.range.start < edit.range.end));
      if (overlaps) continue;
      applied.push(...edits);
      accepted.push(finding);
    }
    const text = applyEdits(source.text, applied);
    if (text === source.text) continue;
    const problem = writeIfUnchanged(file, source.text, text);
    if (problem !== undefined) {
      problems.push(problem);
      continue;
    }
    written.push(file);
    for (const finding of accepted) fixed.add(finding);
  }
  return { fixed, files: written, problems };
}

/** The text with non-overlapping edits applied (from the end, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}

function writeIfUnchanged(file: string, analysed: string, text: string): string | undefined {
  let current: Buffer;
  try {
    current = readFileSync(file);
  } catch (error) {
    return `${file}: not fixed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const decoded = decodeText(current);
  if (!('text' in decoded) || decoded.text !== analysed) return `${file}: not fixed: it changed while kubereach ran`;
  if (current[0] !== 0xef && (current[0] === 0xff || current[0] === 0xfe)) return `${file}: not fixed: only UTF-8 files are rewritten`;
  try {
    writeAtomically(file, text);
    return undefined;
  } catch (error) {
    return `${file}: not fixed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Writes through `.<name>.kubereach-<pid>.tmp` beside the file, flushed to disk, then renamed over it, keeping its
 * mode. A symlink stays a symlink: its target is rewritten.
 */
export function writeAtomically(path: string, text: string): void {
  const file = realpathSync(path);
  const temporary = join(dirname(file), `.${basename(file)}.kubereach-${process.pid}.tmp`);
  const mode = statSync(file).mode & 0o7777;
  const descriptor = openSync(temporary, 'wx', mode);
  try {
    try {
      writeSync(descriptor, text);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, file);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already gone
    }
    throw error;
  }
}
