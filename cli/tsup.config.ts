import { defineConfig } from 'tsup';

// One bundled file (core, js-yaml, zod and commander inlined) keeps the cold
// start of `kubereach lint one-file.yaml` in a pre-commit hook short.
export default defineConfig({
  entry: { kubereach: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  noExternal: [/.*/],
  sourcemap: true,
  clean: true,
  dts: false,
  banner: { js: "import { createRequire as __kubereachCreateRequire } from 'node:module'; const require = __kubereachCreateRequire(import.meta.url);" },
});
