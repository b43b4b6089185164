// Bundled on its own as dist/kubernetes-client.mjs (tsup.config.ts), imported by commands reading a live cluster only.
export * from '@kubernetes/client-node';
