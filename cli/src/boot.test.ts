import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A bundle in a fresh folder: `main` answers with its argument count plus `offset`; `later` imports, through the
 * loader, the ES module the build would put next to it (here a stand-in `lsp.mjs`).
 */
function bundle(offset: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-boot-'));
  const file = join(folder, 'kubereach.cjs');
  writeFileSync(
    file,
    `exports.main = async (argv) => argv.length + ${offset};\n` +
      `let importer;\n` +
      `exports.setModuleImporter = (next) => { importer = next; };\n` +
      `exports.later = () => importer('lsp').then((lsp) => lsp.name);\n`,
  );
  writeFileSync(join(folder, 'lsp.mjs'), `export const name = 'bundled next to it';\n`);
  return file;
}

/** The built loader (dist/boot.cjs), as the installed command runs it. */
const boot = fileURLToPath(new URL('../dist/boot.cjs', import.meta.url));

/**
 * Loads a bundle in a new process (V8 answers a second compilation of one source in a process from memory, without
 * reading any cache) and reports whether the cache was taken and what `main` and the dynamic import gave.
 */
function load(
  file: string,
  then: 'run' | 'write' = 'run',
): { accepted: boolean; main: number; later: string } {
  const script = `
    const loaded = require(${JSON.stringify(boot)}).loadCli(['lint'], ${JSON.stringify(file)});
    (async () => {
      const report = { accepted: loaded.cacheAccepted, main: await loaded.cli.main(['a']), later: await loaded.cli.later() };
      if (${JSON.stringify(then)} === 'write') loaded.writeCache();
      process.stdout.write(JSON.stringify(report));
    })();`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { accepted: boolean; main: number; later: string };
}

describe('loading the bundle with its code cache', () => {
  it('runs the bundle as a CommonJS module that imports ES modules through the loader, with no cache at first', () => {
    expect(load(bundle(10))).toEqual({ accepted: false, main: 11, later: 'bundled next to it' });
  });

  it('takes the cache made for the same bundle', () => {
    const file = bundle(20);
    load(file, 'write');
    expect(load(file)).toEqual({ accepted: true, main: 21, later: 'bundled next to it' });
  });

  it('ignores a cache made for another bundle of the same length', () => {
    const file = bundle(30);
    load(file, 'write');
    writeFileSync(file, readFileSync(file, 'utf8').replace('+ 30', '+ 31'));
    expect(load(file)).toEqual({ accepted: false, main: 32, later: 'bundled next to it' });
  });

  it('runs without a cache V8 rejects', () => {
    const file = bundle(40);
    load(file, 'write');
    const cache = readFileSync(`${file}.cache`);
    // The bundle's digest kept, V8's part spoiled.
    cache.fill(7, 32);
    writeFileSync(`${file}.cache`, cache);
    expect(load(file)).toEqual({ accepted: false, main: 41, later: 'bundled next to it' });
  });

  it('ships a cache that this Node takes for one-shot commands (the build makes it)', () => {
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `process.stdout.write(String(require(${JSON.stringify(boot)}).loadCli(['lint']).cacheAccepted))`,
      ],
      { encoding: 'utf8' },
    );
    expect([child.stdout, child.stderr]).toEqual(['true', '']);
  });
});
