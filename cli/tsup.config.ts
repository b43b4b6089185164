import { defineConfig } from 'tsup';

// The command is one CommonJS bundle (core, js-yaml, zod and commander inlined) that dist/boot.cjs loads with V8's code
// cache (src/boot.ts): the cold start of `kubereach lint one-file.yaml` in a pre-commit hook stays short. The language
// server and the Kubernetes client are bundled apart as ES modules, imported by the commands that need them
// (src/import-module.ts). Every file is self-contained: a pre-commit install has dist/ and no node_modules.
export default defineConfig([
  {
    entry: { kubereach: 'src/main.ts', boot: 'src/boot.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    sourcemap: true,
    // Each configuration cleans its own files: tsup builds them at once.
    clean: ['kubereach.*', 'boot.*'],
    dts: false,
  },
  {
    entry: { lsp: 'src/lazy/lsp.ts', 'kubernetes-client': 'src/lazy/kubernetes-client.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    sourcemap: true,
    clean: ['lsp.*', 'kubernetes-client.*', 'chunk-*'],
    dts: false,
    banner: {
      js: "import { createRequire as __kubereachCreateRequire } from 'node:module'; const require = __kubereachCreateRequire(import.meta.url);",
    },
  },
]);
