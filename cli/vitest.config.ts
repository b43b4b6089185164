import { defineConfig } from 'vitest/config';

// Some tests build many workspaces or spawn the CLI: far under the limit alone, slower while CI runs every workspace.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, globalSetup: ['../scripts/vitest-temp-root.mjs'] },
});
