// The public API of @kubereach/core: load manifests, build the cluster model, compute and explain reachability.
export type { Range, SourceLocation, SourceText, LineColumn } from './source/source.js';
export { LineIndex } from './source/source.js';
export type {
  FieldPath,
  InputIssue,
  InputIssueCode,
  LoadResult,
  ManifestObject,
  Severity,
  YamlDocument,
  YamlNode,
} from './manifest/types.js';
export type * from './manifest/kubernetes-types.js';
export { loadManifests, rangeAt, findNode, parseYamlDocuments } from './manifest/index.js';
export type { ClusterModel, ContainerPort, ModelOptions, NamespaceInfo, Workload } from './model/cluster.js';
export { buildClusterModel, NAMESPACE_NAME_LABEL } from './model/cluster.js';
export { ConnectionSet, PORT_PROTOCOLS, MIN_PORT, MAX_PORT, isPortProtocol } from './semantics/connection-set.js';
export type { ConnectionSetJson, PortProtocol } from './semantics/connection-set.js';
export { IntervalSet } from './semantics/interval-set.js';
export type { Interval } from './semantics/interval-set.js';
export { formatIp, formatIpRange, parseCidr, parseIp } from './semantics/ip.js';
export type { Cidr, IpFamily, IpRange } from './semantics/ip.js';
export { compileSelector, formatSelector, selectorMatches } from './semantics/label-selector.js';
export type { Labels, Requirement, Selector } from './semantics/label-selector.js';
export type {
  CompiledPolicy,
  Direction,
  NamespaceScope,
  Peer,
  Peers,
  PolicyDirection,
  PolicyRule,
  PortMatch,
  PortSpec,
  Ports,
} from './semantics/policy-ir.js';
export { analyzeConnectivity, ConnectivityResult } from './engine/connectivity.js';
export type { Connection, PairExplanation, RuleContribution, SideVerdict } from './engine/connectivity.js';
export type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from './engine/endpoints.js';
export { buildMatrix, matrixGraph } from './engine/matrix.js';
export type { Granularity, GraphEdgeAttributes, GraphNodeAttributes, Matrix, MatrixNode, MatrixRow } from './engine/matrix.js';
export { analyze } from './analyze.js';
export type { Analysis, AnalyzeOptions } from './analyze.js';
export { createRule, formatMessage, ruleDocsUrl, RULE_DOCS_BASE_URL } from './lint/types.js';
export type {
  Finding,
  FindingSeverity,
  Fix,
  RelatedLocation,
  ReportDescriptor,
  Rule,
  RuleCategory,
  RuleContext,
  RuleMeta,
  TextEdit,
} from './lint/types.js';
export { lint, UNUSED_SUPPRESSION_META, UNUSED_SUPPRESSION_RULE_ID } from './lint/lint.js';
export type { LintOptions, LintResult } from './lint/lint.js';
export { EMPTY_CONFIG, parseConfig, resolveRules, unusedSuppressionSeverity } from './lint/config.js';
export type { KubereachConfig, ResolvedRule, RuleSettingInput, SeveritySetting } from './lint/config.js';
export { RULES } from './rules/index.js';
