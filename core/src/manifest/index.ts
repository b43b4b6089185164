// The manifest loader: YAML/JSON texts in, documents with exact ranges and decoded Kubernetes objects out.
export { loadManifests } from './load.js';
export type { LoadManifestsOptions } from './load.js';
export { mergeLoadResults } from './merge.js';
export { DEFAULT_LOAD_LIMITS, LIMIT_FLAGS } from './limits.js';
export type { LoadLimits } from './limits.js';
export { fieldPathAt } from './field-path-at.js';
export { formatFieldPath } from './paths.js';
export { findNode, locationAt, rangeAt } from './paths.js';
export { parseYamlDocuments } from './yaml-documents.js';
export type * from './types.js';
export type * from './kubernetes-types.js';
export { TEMPLATED_WORKLOAD_KINDS } from './kubernetes-types.js';
