import { describe, expect, it } from 'vitest';
import { ONE_SHOT_V8_FLAGS, TUNED_NODE_MAJORS, tuneRuntime } from './runtime.js';

const applied = (argv: readonly string[], nodeVersion = `${TUNED_NODE_MAJORS[0]}.0.0`): string[] => {
  const set: string[] = [];
  tuneRuntime(argv, (flag) => set.push(flag), nodeVersion);
  return set;
};

describe('runtime tuning', () => {
  it('sets the one-shot V8 flags for batch commands', () => {
    for (const argv of [['lint', 'examples'], ['matrix', '.'], []]) expect(applied(argv)).toEqual(ONE_SHOT_V8_FLAGS);
  });
  it('leaves the language server as V8 defaults it', () => {
    expect(applied(['lsp', '--stdio'])).toEqual([]);
  });
  it('leaves Node versions the flags were not measured on alone', () => {
    expect(applied(['lint', 'examples'], '99.1.0')).toEqual([]);
  });
  it('names flags the V8 of this Node accepts', async () => {
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(process.execPath, [...ONE_SHOT_V8_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect([child.status, child.stderr]).toEqual([0, '']);
  });
  it('is applied on the Node version CI runs', () => {
    expect(TUNED_NODE_MAJORS).toContain(Number(process.versions.node.split('.')[0]));
  });
});
