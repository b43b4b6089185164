// One analysis of the workspace: merged load, cluster model, connectivity, lint findings, and lookups by place.
import {
  analyzeLoaded,
  compareFindings,
  CalicoConnectivityResult,
  type CalicoPolicies,
  type CalicoPolicy,
  EMPTY_CONFIG,
  lint,
  resolveRules,
  RULES,
  unusedSuppressionSeverity,
  type Analysis,
  type CompiledPolicy,
  type Finding,
  type FindingSeverity,
  type ResolvedRule,
  type LoadResult,
  type ManifestObject,
  type Workload,
} from '@kubereach/core';
import { FileNames } from './file-names.js';
import { Positions, type LineIndexes } from './positions.js';
import type { ResolvedSettings } from './settings.js';
import type { ConfigState } from './workspace.js';

export class Snapshot {
  readonly analysis: Analysis;
  readonly positions: Positions;
  /** The analyzed files as core names them (`location.file`), and their URIs in the same order. */
  readonly files: readonly string[];
  readonly uris: readonly string[];
  private readonly rules: readonly ResolvedRule[];
  private readonly unusedSuppressions: FindingSeverity | 'off';
  private allFindings: readonly Finding[] | undefined;
  /** Findings by file, for the files linted alone so far (`findingsIn`). */
  private readonly linted = new Map<string, Finding[]>();

  /**
   * `load` is one consistent load of every analyzed file, as loadManifests gives it, under the names `names` gives;
   * `lineIndexes` may outlive the snapshot.
   */
  constructor(
    load: LoadResult,
    readonly config: ConfigState | undefined,
    readonly settings: ResolvedSettings,
    lineIndexes?: LineIndexes,
    readonly names: FileNames = FileNames.uris(),
  ) {
    const configValue = config?.config ?? EMPTY_CONFIG;
    // The editor's profile setting wins over `.kubereach.yaml`'s, as `--cni` does on the command line.
    this.analysis = analyzeLoaded(load, { defaultNamespace: configValue.namespace ?? 'default', cni: settings.profile ?? configValue.cni });
    this.rules = resolveRules(RULES, configValue, settings.ruleOverrides);
    this.unusedSuppressions = unusedSuppressionSeverity(configValue, settings.ruleOverrides);
    this.files = [...load.sources.keys()];
    this.uris = this.files.map((file) => names.uriOf(file));
    this.positions = new Positions(
      (file) => (file === config?.source.path ? config.source.text : load.sources.get(file)?.text),
      lineIndexes,
      (file) => names.uriOf(file),
    );
  }

  /** The name core gives the document at a URI, however the client spells it. */
  fileOf(uri: string): string {
    return this.names.nameOf(uri);
  }

  uriOf(file: string): string {
    return this.names.uriOf(file);
  }

  /**
   * Every file's lint findings, computed on first use: those of the files linted alone already and a lint of the
   * others (a lint of some files gives exactly the whole lint's findings there).
   */
  get findings(): readonly Finding[] {
    this.allFindings ??= this.findingsIn(new Set(this.files));
    return this.allFindings;
  }

  /**
   * The findings located in some files (by name): those of `findings` there, computed for those files alone unless known
   * already (after an edit, the edited files' findings come first, then the others' a few files at a time).
   */
  findingsIn(files: ReadonlySet<string>): readonly Finding[] {
    if (this.allFindings !== undefined) return this.allFindings.filter((f) => files.has(f.location.file));
    const missing = new Set([...files].filter((file) => !this.linted.has(file)));
    if (missing.size > 0) {
      for (const file of missing) this.linted.set(file, []);
      for (const finding of lint(this.analysis, this.rules, { unusedSuppressions: this.unusedSuppressions, files: missing }).findings) {
        this.linted.get(finding.location.file)!.push(finding);
      }
    }
    return [...files].flatMap((file) => this.linted.get(file) ?? []).sort(compareFindings);
  }

  /** The innermost object of a file whose range holds the offset (a List item before its List). */
  objectAt(file: string, offset: number): ManifestObject | undefined {
    let best: ManifestObject | undefined;
    for (const object of this.analysis.load.objects) {
      if (object.document.file !== file || !contains(object.range, offset)) continue;
      if (best === undefined || object.range.end - object.range.start < best.range.end - best.range.start) best = object;
    }
    return best;
  }

  /** The compiled policy read from an object (none for a rejected one). */
  policyOf(object: ManifestObject): CompiledPolicy | undefined {
    return this.analysis.model.policies.find((p) => p.location.file === object.document.file && contains(object.range, p.location.range.start));
  }

  /** The workloads read from an object: one for a Pod or controller. */
  workloadOf(object: ManifestObject): Workload | undefined {
    return this.analysis.model.workloads.find((w) => w.location.file === object.document.file && contains(object.range, w.location.range.start));
  }

  policiesIn(file: string): CompiledPolicy[] {
    return this.analysis.model.policies.filter((p) => p.location.file === file);
  }

  /** Calico's NetworkPolicies and GlobalNetworkPolicies of the workspace, as the analysis read them. */
  get calico(): CalicoPolicies {
    return this.analysis.calico;
  }

  /** The Calico policy read from an object. */
  calicoPolicyOf(object: ManifestObject): CalicoPolicy | undefined {
    return this.calico.policies.find((p) => p.location.file === object.document.file && contains(object.range, p.location.range.start));
  }

  calicoPoliciesIn(file: string): CalicoPolicy[] {
    return this.calico.policies.filter((p) => p.location.file === file);
  }

  /** The workloads a Calico policy applies to: none where the network plugin ignores Calico policies. */
  calicoApplies(policy: CalicoPolicy): Workload[] {
    const { result } = this.analysis;
    if (!(result instanceof CalicoConnectivityResult)) return [];
    // A class representative answers for its members (classes keep apart what Calico selectors read).
    const applying = new Set(result.classesApplying(policy));
    return this.analysis.model.workloads.filter((w) => applying.has(result.classOfWorkload(w)));
  }
}

export function contains(range: { readonly start: number; readonly end: number }, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}
