// Build step: runs the bundled command over the repository's example as a one-shot command (lint, then the matrix),
// then writes the V8 code cache of everything those runs compiled next to the bundle (dist/kubereach.cjs.cache).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const example = fileURLToPath(new URL('../../examples/shop', import.meta.url));
const quiet = { stdout: () => {}, stderr: () => {}, readStdin: () => '' };
const { loadCli } = createRequire(import.meta.url)('../dist/boot.cjs');
const loaded = loadCli(['lint']);
for (const argv of [
  ['lint', example, '-f', 'json'],
  ['lint', example],
  ['matrix', example],
]) {
  // Lint exits 1 on the example's deliberate mistakes; anything but 0 or 1 is a broken build.
  const code = await loaded.cli.main(argv, quiet);
  if (code > 1) throw new Error(`kubereach ${argv.join(' ')} exited ${code} while making the code cache`);
}
loaded.writeCache();
