import { describe, expect, it } from 'vitest';
import { ONE_SHOT_V8_FLAGS, tuneRuntime } from './runtime.js';

describe('runtime tuning', () => {
  it('sets the one-shot V8 flags for batch commands', () => {
    for (const argv of [['lint', 'examples'], ['matrix', '.'], []]) {
      const set: string[] = [];
      tuneRuntime(argv, (flag) => set.push(flag));
      expect(set).toEqual(ONE_SHOT_V8_FLAGS);
    }
  });
  it('leaves the language server as V8 defaults it', () => {
    const set: string[] = [];
    tuneRuntime(['lsp', '--stdio'], (flag) => set.push(flag));
    expect(set).toEqual([]);
  });
  it('names flags V8 accepts', async () => {
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(process.execPath, [...ONE_SHOT_V8_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect([child.status, child.stderr]).toEqual([0, '']);
  });
});
