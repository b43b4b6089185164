import { defineConfig } from 'vitest/config';

// Tests here re-analyse workspaces and drive real editors: about a second each alone, several times that while CI
// runs every workspace at once.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, globalSetup: ['../scripts/vitest-temp-root.mjs'] },
});
