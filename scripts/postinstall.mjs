// Builds every workspace after `npm ci` / `npm install` in a checkout, so `npx kubereach` works.
// Installed from its packed tarball (as pre-commit does), kubereach is already built: nothing to do.
// (A `prepare` script would also run during `npm pack` and print its banner on stdout, where
// pre-commit reads the tarball's name.)
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync(new URL('../turbo.json', import.meta.url))) {
  execSync('turbo run build --output-logs=errors-only', { stdio: 'inherit' });
}
