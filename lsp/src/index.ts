// Public API of @kubereach/lsp: the pure language service, the shared protocol, and the server entry.
export * from './service/index.js';
export * from './protocol.js';
export { startServer, startStdioServer } from './server.js';
