// Network plugin capability profiles: what a plugin enforces of networking.k8s.io/v1 NetworkPolicy, with sources.

/** How much of NetworkPolicy the plugin enforces at all. */
export type Enforcement = 'none' | 'ingress-only' | 'full';

/**
 * What the plugin does with one feature. `unknown`: no primary source says; the matrix assumes
 * upstream semantics and an info finding says so.
 */
export type EndPortSupport = 'supported' | 'port-only' | 'policy-dropped' | 'unknown';
export type PolicyFeatureSupport = 'supported' | 'policy-dropped' | 'unknown';
export type ExceptSupport = 'supported' | 'policy-dropped' | 'ipblock-ignored' | 'unknown';
export type SctpSupport = 'supported' | 'policy-dropped' | 'needs-configuration' | 'unknown';
/**
 * Which rules a plugin reads for the features it rejects a whole policy over (`policy-dropped`), beside the policy's
 * own podSelector, which both read. `every-rule`: every ingress and egress rule as written, also those of a direction
 * policyTypes leaves out. `translated-rules`: only the directions policyTypes lists (after defaulting), and no rule of
 * a direction that has a rule with no ports and no peers (that direction is allowed as a whole first).
 */
export type RejectionScope = 'every-rule' | 'translated-rules';
/**
 * Rules of a direction a policy's policyTypes leaves out: `ignored`, as the API says (they have no effect), or
 * `allowed`: the plugin applies them as allow rules for the pods the policy selects, without isolating them.
 */
export type InactiveRules = 'ignored' | 'allowed';
/** Whether the plugin enforces a policy.networking.k8s.io kind; `unsupported`: objects of it are ignored. */
export type AdminPolicySupport = 'supported' | 'unsupported' | 'unknown';

export interface Capabilities {
  readonly enforcement: Enforcement;
  /** `port-only`: the range is silently reduced to its first port; `policy-dropped`: the whole policy is rejected. */
  readonly endPort: EndPortSupport;
  /** `policy-dropped`: the whole policy is rejected (fails open). */
  readonly namedPorts: PolicyFeatureSupport;
  readonly ipBlockExcept: ExceptSupport;
  readonly sctp: SctpSupport;
  /** NotIn and DoesNotExist selector operators. */
  readonly negativeSelectors: PolicyFeatureSupport;
  /** Read only where some feature is `policy-dropped`. */
  readonly rejectionScope: RejectionScope;
  readonly inactiveRules: InactiveRules;
  /** Whether ipBlocks match pod and node addresses (matters for live clusters, where pods have IPs). */
  readonly ipBlockMatchesInCluster: boolean | 'unknown';
  /** AdminNetworkPolicy, policy.networking.k8s.io/v1alpha1. */
  readonly adminNetworkPolicy: AdminPolicySupport;
  /** BaselineAdminNetworkPolicy, policy.networking.k8s.io/v1alpha1. */
  readonly baselineAdminNetworkPolicy: AdminPolicySupport;
  /** ClusterNetworkPolicy, policy.networking.k8s.io/v1alpha2 and v1beta1. */
  readonly clusterNetworkPolicy: AdminPolicySupport;
  /** Calico's NetworkPolicy, GlobalNetworkPolicy and tiers (projectcalico.org/v3): only the Calico family enforces them. */
  readonly calicoPolicies: AdminPolicySupport;
}

export type Capability = keyof Capabilities;

/** A primary source for a capability value: a URL, and whether the reference file marked it confirmed. */
export interface Source {
  readonly url: string;
  readonly confirmed: boolean;
}

export interface ProfileFamily {
  /** `calico`, `cilium`, ... */
  readonly name: string;
  readonly displayName: string;
  /** Capabilities at a version (undefined: the latest); families without versions ignore it. */
  capabilities(version: Version | undefined): Capabilities;
  /** The source behind each capability that differs from upstream or is notable. */
  readonly sources: Readonly<Partial<Record<Capability, Source>>>;
  /** Versions users may name (documentation and validation of `name@version`). */
  readonly versionNotes?: string;
}

export type Version = readonly number[];

export function parseVersion(text: string): Version | undefined {
  if (!/^v?\d+(\.\d+){0,3}$/.test(text)) return undefined;
  return text.replace(/^v/, '').split('.').map(Number);
}

/** True when `version` is at least `minimum` (missing parts count as 0). */
export function atLeast(version: Version | undefined, minimum: Version): boolean {
  if (version === undefined) return true;
  for (let k = 0; k < Math.max(version.length, minimum.length); k++) {
    const a = version[k] ?? 0;
    const b = minimum[k] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Upstream semantics: everything enforced as the Kubernetes documentation says. */
export const UPSTREAM: Capabilities = {
  enforcement: 'full',
  endPort: 'supported',
  namedPorts: 'supported',
  ipBlockExcept: 'supported',
  sctp: 'supported',
  negativeSelectors: 'supported',
  // No plugin that enforces every feature rejects a policy; one that rejects says which rules it reads.
  rejectionScope: 'every-rule',
  inactiveRules: 'ignored',
  ipBlockMatchesInCluster: 'unknown',
  // The network-policy-api kinds are CRDs outside Kubernetes itself: a plugin enforces them only when it says so.
  adminNetworkPolicy: 'unsupported',
  baselineAdminNetworkPolicy: 'unsupported',
  clusterNetworkPolicy: 'unsupported',
  calicoPolicies: 'unsupported',
};

/** Every policy.networking.k8s.io kind enforced (the generic profile). */
export const ALL_ADMIN_POLICIES = {
  adminNetworkPolicy: 'supported',
  baselineAdminNetworkPolicy: 'supported',
  clusterNetworkPolicy: 'supported',
} as const satisfies Partial<Capabilities>;

export interface Profile {
  /** As the user wrote it: `cilium@1.15`. */
  readonly id: string;
  readonly family: ProfileFamily;
  readonly version: Version | undefined;
  readonly capabilities: Capabilities;
}

/** What kubenet and Flannel do: accept policies and enforce none of them. */
export const ENFORCES_NOTHING: Capabilities = { ...UPSTREAM, enforcement: 'none' };

export const confirmed = (url: string): Source => ({ url, confirmed: true });
export const unverified = (url: string): Source => ({ url, confirmed: false });

/** Capabilities that do not depend on the version. */
export const fixed =
  (capabilities: Capabilities) =>
  (): Capabilities =>
    capabilities;
