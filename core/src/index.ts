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
export {
  DEFAULT_LOAD_LIMITS,
  fieldPathAt,
  findNode,
  formatFieldPath,
  LIMIT_FLAGS,
  loadManifests,
  mergeLoadResults,
  parseYamlDocuments,
  rangeAt,
} from './manifest/index.js';
export type { LoadLimits, LoadManifestsOptions } from './manifest/index.js';
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
export type { Connection, PairExplanation, RuleContribution, SideDenial, SideVerdict } from './engine/connectivity.js';
export type { Endpoint, ExternalEndpoint, WorkloadEndpoint } from './engine/endpoints.js';
export { buildMatrix, matrixGraph, streamMatrix } from './engine/matrix.js';
export type { Granularity, GraphEdgeAttributes, GraphNodeAttributes, Matrix, MatrixNode, MatrixRow, MatrixStream } from './engine/matrix.js';
export { analyze, analyzeLoaded } from './analyze.js';
export { AdminConnectivityResult } from './admin/evaluate.js';
export type { AdminChain, AdminPairExplanation, AdminSideVerdict, AdminStep } from './admin/evaluate.js';
export { compileAdminPolicies } from './admin/compile.js';
export type { AdminAction, AdminPolicy, AdminPolicyKind, AdminRule, AdminTier } from './admin/compile.js';
export { CalicoConnectivityResult } from './calico/evaluate.js';
export type { CalicoChain, CalicoPairExplanation, CalicoSideVerdict, CalicoStep } from './calico/evaluate.js';
export { describeSide } from './describe-side.js';
export type { DescribedSide, ExplainLine, ExplainSegment } from './describe-side.js';
export { compileCalicoPolicies } from './calico/compile.js';
export type { CalicoPolicies, CalicoPolicy, CalicoTierIR } from './calico/compile.js';
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
export { compareFindings, lint, UNUSED_SUPPRESSION_META, UNUSED_SUPPRESSION_RULE_ID } from './lint/lint.js';
export type { LintOptions, LintResult, RuleTiming } from './lint/lint.js';
export { EMPTY_CONFIG, parseConfig, resolveRules, unusedSuppressionSeverity } from './lint/config.js';
export type { KubereachConfig, ResolvedRule, RuleSettingInput, SeveritySetting } from './lint/config.js';
export { RULES } from './rules/index.js';
export { PROFILE_FAMILIES, GENERIC_PROFILE, resolveProfile } from './cni/index.js';
export type { Capabilities, Capability, Profile, ProfileFamily, Source } from './cni/profile.js';
export type { EffectKind, ProfileEffect } from './cni/effective.js';
export type { ProfileChoice } from './cni/choose.js';
export { compareProfiles } from './cni/compare.js';
export type { ProfileDifference } from './cni/compare.js';
export { diffConnectivity } from './diff/connectivity-diff.js';
export type { ChangeKind, ConnectivityChange, ConnectivityDiff, DiffCause, DiffEndpoint, Exposure, NamespaceChange, PolicyChange, WorkloadChange } from './diff/connectivity-diff.js';
export { checkExpectations, parseExpectations } from './expectations/expectations.js';
export type { Expectation, ExpectationOutcome, ExpectationsFile, PairFailure } from './expectations/expectations.js';
export { analyzeServices, ServiceLayer, UNKNOWN_POD } from './engine/services.js';
export type { BackendReach, CrossNamespaceAdmission, ServiceExposure, ExposureSources, HopVerdict, PathEndpoint, PathSide, ServiceViewRow } from './engine/services.js';
export type { PartyDecision, StepOrigin } from './engine/party.js';
export { buildServiceModel, componentSettingSchema, DEFAULT_CLUSTER_DNS, KNOWN_INGRESS_CONTROLLERS, resolveTargetPort } from './model/services.js';
export type {
  ClusterComponent,
  ClusterComponentSettings,
  ComponentSetting,
  IngressInfo,
  IngressRoute,
  ServiceBackend,
  ServiceInfo,
  ServiceModel,
  ServiceModelOptions,
  ServicePortInfo,
  ServiceType,
  VirtualEndpoint,
} from './model/services.js';
export { globToRegExp, matchesAny } from './lint/ignore-globs.js';
export { CONFIG_FILE_NAMES, isManifestFileName, SKIPPED_DIRECTORIES } from './lint/input-files.js';
