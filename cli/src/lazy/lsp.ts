// Bundled on its own as dist/lsp.mjs (tsup.config.ts), imported by `kubereach lsp` only.
export * from '@kubereach/lsp';
