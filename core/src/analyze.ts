// One call from input texts to the engine's result, shared by the CLI, the language server and tests.
import { loadManifests, type LoadManifestsOptions } from './manifest/index.js';
import type { InputIssue, LoadResult } from './manifest/types.js';
import { buildClusterModel, type ClusterModel, type ModelOptions } from './model/cluster.js';
import { analyzeConnectivity, type ConnectivityResult } from './engine/connectivity.js';
import { AdminConnectivityResult, enforcedAdminPolicies } from './admin/evaluate.js';
import { adminCidrs, compileAdminPolicies } from './admin/compile.js';
import { compileCalicoPolicies, type CalicoPolicies } from './calico/compile.js';
import { calicoCidrs, CalicoConnectivityResult } from './calico/evaluate.js';
import { layeredClassDistinction } from './calico/distinction.js';
import { chooseProfile, type ProfileChoice } from './cni/choose.js';
import { applyProfile, type ProfileEffect } from './cni/effective.js';
import type { SourceText } from './source/source.js';

export interface AnalyzeOptions extends ModelOptions, LoadManifestsOptions {
  /** Network plugin profile (`calico`, `cilium@1.15`, ...); validated by the caller with resolveProfile. */
  readonly cni?: string;
}

export interface Analysis {
  readonly load: LoadResult;
  /** The cluster as declared in the manifests. */
  readonly model: ClusterModel;
  /** The network plugin profile, how it was chosen, and what it changes. */
  readonly cni: ProfileChoice & { readonly effects: readonly ProfileEffect[] };
  /** Reachability under what the plugin really enforces. */
  readonly result: ConnectivityResult;
  /** Calico's policies, tiers and network sets as read, whether or not the plugin enforces them. */
  readonly calico: CalicoPolicies;
  readonly issues: readonly InputIssue[];
}

export function analyze(inputs: readonly SourceText[], options: AnalyzeOptions = {}): Analysis {
  return analyzeLoaded(loadManifests(inputs, { limits: options.limits }), options);
}

/**
 * The analysis of an input already loaded: callers that keep per-file load results (the language server after an
 * edit) re-run only what follows loading. `load` must be one consistent LoadResult, as loadManifests returns for the whole input.
 */
export function analyzeLoaded(load: LoadResult, options: AnalyzeOptions = {}): Analysis {
  const model = buildClusterModel(load.objects, { ...options, sources: load.sources });
  const choice = chooseProfile(options.cni, load.objects);
  const effective = applyProfile(model, choice.profile);
  const { capabilities } = choice.profile;
  // Admin policies (policy.networking.k8s.io) and Calico's own policies layer on the NetworkPolicy result where the
  // plugin enforces them; workloads their selectors tell apart are never put in one class.
  const admin = enforcedAdminPolicies(compileAdminPolicies(load.objects).policies, capabilities);
  const calico = compileCalicoPolicies(load.objects, options.defaultNamespace);
  const calicoApplies = capabilities.calicoPolicies === 'supported' && calico.policies.length > 0;
  const networkPolicies = analyzeConnectivity(effective.model, {
    // Only where the plugin is known to match pod addresses with ipBlocks; otherwise they match external ranges only.
    ipBlocksMatchPods: capabilities.ipBlockMatchesInCluster === true,
    inactiveRulesAllow: capabilities.inactiveRules === 'allowed',
    distinguish: layeredClassDistinction(admin, calicoApplies ? calico : undefined),
    // The layers' own CIDRs cut its external ranges further, inside this result's: IPv6 ones need IPv6 ranges here. So
    // does an IPv6 address written as the endpoint of a Service without a selector (calico.services holds them whatever
    // the plugin): it is judged as the external range holding it.
    ipv6:
      [...adminCidrs(admin), ...(calicoApplies ? calicoCidrs(calico) : [])].some((cidr) => cidr.family === 6) ||
      [...calico.services.values()].some((service) => service.written?.some(({ address }) => address.family === 6) === true),
  });
  const result = calicoApplies
    ? new CalicoConnectivityResult(networkPolicies, calico, admin)
    : admin.length > 0
      ? new AdminConnectivityResult(networkPolicies, admin)
      : networkPolicies;
  return {
    load,
    model,
    cni: { ...choice, effects: effective.effects },
    result,
    calico,
    issues: load.issues,
  };
}
