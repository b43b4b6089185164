// The README is the user's first contact: its console examples and its rules table must match what the tool does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './cli/run-cli.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Each ```console block: the command after `$ npx kubereach`, the pipe after it, and the lines it shows (`…` elides). */
const examples = [...readme.matchAll(/```console\n\$ npx kubereach ([^\n|]*)(\|[^\n]*)?\n([\s\S]*?)```/g)].map((match) => ({
  args: match[1]!.trim().split(/\s+/),
  pipe: match[2]?.slice(1).trim(),
  shown: match[3]!.split('\n').filter((line) => line !== '' && line !== '…'),
}));

/** The lines a `| head -N` or `| grep '<pattern>'` after the command keeps: all of them must be shown; undefined for other pipes. */
function keptByPipe(pipe: string | undefined, lines: readonly string[]): readonly string[] | undefined {
  const head = /^head -(\d+)$/.exec(pipe ?? '');
  if (head !== null) return lines.slice(0, Number(head[1]));
  const grep = /^grep '([^']*)'$/.exec(pipe ?? '');
  if (grep !== null) return lines.filter((line) => new RegExp(grep[1]!).test(line));
  return undefined;
}

describe('README', () => {
  it('has console examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((e) => [e.args.join(' '), e] as const))('shows real output of kubereach %s', (_name, example) => {
    const run = runCli(example.args);
    const actual = run.stdout.split('\n');
    const kept = keptByPipe(example.pipe, actual);
    if (kept !== undefined) expect(example.shown).toEqual(kept);
    else for (const line of example.shown) expect(actual).toContain(line);
  });

  it('lists exactly the rules of `kubereach rules -f md`', () => {
    expect(readme).toContain(runCli(['rules', '-f', 'md']).stdout);
  });
});
