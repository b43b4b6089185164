// Modules commands import on demand (the language server, the Kubernetes client), so that the others never load them.
import type * as LanguageServer from '@kubereach/lsp';
import type * as KubernetesClient from '@kubernetes/client-node';

export interface LazyModules {
  readonly lsp: typeof LanguageServer;
  readonly 'kubernetes-client': typeof KubernetesClient;
}

export type LazyModuleName = keyof LazyModules;

/** The package behind each name: what a run from the sources imports; the build bundles each as dist/<name>.mjs. */
export const LAZY_PACKAGES: Readonly<Record<LazyModuleName, string>> = {
  lsp: '@kubereach/lsp',
  'kubernetes-client': '@kubernetes/client-node',
};

type Importer = (name: LazyModuleName) => Promise<unknown>;

let importer: Importer = (name) => import(LAZY_PACKAGES[name]);

/**
 * The installed command runs its bundle through vm.Script (boot.ts), where Node 20 allows no import() without an
 * experimental flag: the loader, a module of its own, imports the bundled modules for it.
 */
export function setModuleImporter(next: Importer): void {
  importer = next;
}

export function importModule<N extends LazyModuleName>(name: N): Promise<LazyModules[N]> {
  return importer(name) as Promise<LazyModules[N]>;
}
