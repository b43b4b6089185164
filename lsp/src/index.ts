// Public API of @kubereach/lsp: the pure service and the server entry.
export { diagnoseDocument } from './service.js';
export type { Position, ServiceDiagnostic } from './service.js';
export { startServer } from './server.js';
