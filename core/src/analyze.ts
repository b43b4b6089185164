// One call from input texts to the engine's result, shared by the CLI, the language server and tests.
import { loadManifests } from './manifest/index.js';
import type { InputIssue, LoadResult } from './manifest/types.js';
import { buildClusterModel, type ClusterModel, type ModelOptions } from './model/cluster.js';
import { analyzeConnectivity, type ConnectivityResult } from './engine/connectivity.js';
import type { SourceText } from './source/source.js';

export type AnalyzeOptions = ModelOptions;

export interface Analysis {
  readonly load: LoadResult;
  readonly model: ClusterModel;
  readonly result: ConnectivityResult;
  readonly issues: readonly InputIssue[];
}

export function analyze(inputs: readonly SourceText[], options: AnalyzeOptions = {}): Analysis {
  const load = loadManifests(inputs);
  const model = buildClusterModel(load.objects, options);
  return { load, model, result: analyzeConnectivity(model), issues: load.issues };
}
