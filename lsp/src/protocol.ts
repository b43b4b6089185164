// The kubereach messages beyond standard LSP, typed once: the server implements them, the VS Code client sends them.

/** `workspace/configuration` section and `initializationOptions` shape, as the editors send it. */
export interface KubereachSettings {
  /** Network plugin profile: `calico`, `cilium@1.15`, ...; detected from the manifests when absent. */
  readonly profile?: string;
  /** Rule severities, winning over the config file: `{ "redundant-rule": "off" }`. */
  readonly rules?: Readonly<Record<string, string>>;
  /** A `.kubereach.yaml` to use instead of the nearest one, for every folder (absolute, or relative to the first folder). */
  readonly configFile?: string;
}

export const SETTINGS_SECTION = 'kubereach';

export const MATRIX_REQUEST = 'kubereach/matrix';

export interface MatrixParams {
  /** `workload` (default) or `namespace`. */
  readonly granularity?: 'workload' | 'namespace';
  /** A document whose analysis (its workspace folder's) to answer from; the first folder's when absent or not analyzed. */
  readonly uri?: string;
}

export interface MatrixNodeJson {
  readonly id: string;
  readonly kind: 'workload' | 'namespace' | 'external';
  readonly namespace: string | null;
}

export interface MatrixRowJson {
  readonly source: string;
  readonly destination: string;
  /** The connlist notation: `All Connections`, `TCP 80,UDP 53`. */
  readonly connections: string;
}

export interface MatrixResult {
  readonly granularity: 'workload' | 'namespace';
  readonly nodes: readonly MatrixNodeJson[];
  readonly rows: readonly MatrixRowJson[];
}

export const EXPLAIN_REQUEST = 'kubereach/explain';

export interface ExplainParams {
  /** Endpoint ids as the matrix names them: `shop/api[Deployment]`, or an address range. */
  readonly source: string;
  readonly destination: string;
  /** A document whose analysis (its workspace folder's) to answer from; the first folder's when absent or not analyzed. */
  readonly uri?: string;
}

export interface ExplainLocation {
  readonly uri: string;
  /** 0-based, as LSP counts. */
  readonly line: number;
  readonly character: number;
}

export interface ExplainLine {
  readonly text: string;
  readonly location?: ExplainLocation;
}

export type ExplainResult =
  | { readonly found: true; readonly verdict: string; readonly lines: readonly ExplainLine[] }
  | { readonly found: false; readonly message: string };
