// The pure language service: workspace state in, LSP results out; no connection and no I/O, so tests drive it directly.
export { Workspace } from './workspace.js';
export type { ConfigState } from './workspace.js';
export { Workspaces } from './workspaces.js';
export type { FileChange, WorkspaceFileSystem } from './workspaces.js';
export { canonicalUri, FileNames } from './file-names.js';
export { Snapshot } from './snapshot.js';
export { PublishedDiagnostics, workspaceDiagnostics } from './diagnostics.js';
export { codeActions, suppressionComment } from './code-actions.js';
export { hover } from './hover.js';
export { codeLenses } from './code-lens.js';
export { definitions, references } from './navigation.js';
export { explain, matrix } from './reports.js';
export { resolveSettings } from './settings.js';
export type { ResolvedSettings } from './settings.js';
