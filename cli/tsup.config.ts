import { defineConfig, type Options } from 'tsup';

// The command is one CommonJS bundle (core, js-yaml, zod and commander inlined) that dist/boot.cjs loads with V8's code
// cache (src/boot.ts): the cold start of `kubereach lint one-file.yaml` in a pre-commit hook stays short. The language
// server and the Kubernetes client are bundled apart as ES modules, imported by the commands that need them
// (src/import-module.ts). Every file is self-contained: a pre-commit install has dist/ and no node_modules.
const selfContained: Options = { platform: 'node', target: 'node20', noExternal: [/.*/], sourcemap: true, dts: false };

export default defineConfig([
  {
    ...selfContained,
    entry: { kubereach: 'src/main.ts', boot: 'src/boot.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    // Each configuration cleans its own files: tsup builds them at once.
    clean: ['kubereach.*', 'boot.*'],
  },
  {
    ...selfContained,
    entry: { lsp: 'src/lazy/lsp.ts', 'kubernetes-client': 'src/lazy/kubernetes-client.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    clean: ['lsp.*', 'kubernetes-client.*', 'chunk-*'],
    banner: {
      js: "import { createRequire as __kubereachCreateRequire } from 'node:module'; const require = __kubereachCreateRequire(import.meta.url);",
    },
  },
]);
