// Reads the objects kubereach analyses from a live cluster, read-only, into inputs the analysis consumes like files.
import type { RequestOptions } from 'node:http';
import type { InputIssue, SourceText } from '@kubereach/core';
import { getJson, type GetResult } from './http-get.js';
import { apiVersionOf, CLUSTER_RESOURCES, groupVersionPath, listPath, qualifiedName, type ClusterResource } from './resources.js';
import { cleanObject, clusterName, toSource } from './serialize.js';
import { importModule } from '../import-module.js';

export interface ClusterOptions {
  /** A kubeconfig file; the default is $KUBECONFIG, then ~/.kube/config, then the in-cluster service account. */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig; the default is its current context. */
  readonly context?: string;
  /** Time limit of each request, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Objects per list page. */
  readonly pageSize?: number;
}

export interface ClusterInputs {
  /** The context read, as inputs name it. */
  readonly context: string;
  /** One YAML input per object, named `cluster:<context>/<Kind>/<namespace>/<name>`. */
  readonly sources: readonly SourceText[];
  /** What could not be read: forbidden resources and timeouts are warnings; an unreachable cluster is an error. */
  readonly issues: readonly InputIssue[];
}

/** Where requests go and with what credentials: resolved from the kubeconfig by @kubernetes/client-node. */
interface Connection {
  readonly context: string;
  readonly server: URL;
  readonly options: RequestOptions;
}

const DEFAULT_PAGE_SIZE = 500;
/** Pages per list, against a server that never stops handing out continue tokens. */
const MAX_PAGES = 10_000;

/**
 * Lists namespaces, workloads, pods, services, ingresses and network policies (and Calico and admin network
 * policies where their APIs exist) with GET requests only. A resource that cannot be listed cluster-wide is listed
 * namespace by namespace; whatever stays forbidden is a warning naming the permission, and the rest is analysed.
 * This is what `matrix`, `lint`, `explain` and `diff` call for `--cluster`.
 */
export async function readClusterInputs(options: ClusterOptions): Promise<ClusterInputs> {
  const connection = await connect(options);
  if ('error' in connection) {
    return { context: options.context ?? '', sources: [], issues: [clusterIssue(options.context ?? '', 'error', connection.error)] };
  }
  const reader = new ClusterReader(connection, options);
  return reader.readAll();
}

async function connect(options: ClusterOptions): Promise<Connection | { error: string }> {
  // Loaded here, not at start-up: commands that read files never pay for the client library.
  const { KubeConfig } = await importModule('kubernetes-client');
  const config = new KubeConfig();
  try {
    if (options.kubeconfig === undefined) config.loadFromDefault();
    else config.loadFromFile(options.kubeconfig);
  } catch (error) {
    return { error: `cannot read the kubeconfig${options.kubeconfig === undefined ? '' : ` ${options.kubeconfig}`}: ${describe(error)}` };
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      const known = config.getContexts().map((c) => c.name);
      return { error: `no context "${options.context}" in the kubeconfig (it has: ${known.join(', ') || 'none'})` };
    }
    config.setCurrentContext(options.context);
  }
  const cluster = config.getCurrentCluster();
  if (cluster === null) return { error: 'the kubeconfig names no cluster for its current context (use --context)' };
  const requestOptions: RequestOptions = {};
  try {
    await config.applyToHTTPSOptions(requestOptions);
    return { context: config.getCurrentContext(), server: new URL(cluster.server), options: requestOptions };
  } catch (error) {
    return { error: `cannot use the credentials of context "${config.getCurrentContext()}": ${describe(error)}` };
  }
}

type ListOutcome =
  | { readonly kind: 'ok'; readonly items: readonly Record<string, unknown>[] }
  | { readonly kind: 'forbidden' | 'absent' | 'timeout' | 'failed'; readonly message: string };

class ClusterReader {
  private readonly sources: SourceText[] = [];
  private readonly issues: InputIssue[] = [];
  private namespaces: string[] | undefined;
  private unreachable = false;

  constructor(
    private readonly connection: Connection,
    private readonly options: ClusterOptions,
  ) {}

  async readAll(): Promise<ClusterInputs> {
    const served = new Map<string, boolean>();
    for (const resource of CLUSTER_RESOURCES) {
      if (this.unreachable) break;
      if (resource.optional) {
        const path = groupVersionPath(resource);
        if (!served.has(path)) served.set(path, await this.isServed(path));
        if (served.get(path) !== true) continue;
      }
      await this.readResource(resource);
    }
    return { context: this.connection.context, sources: this.sources, issues: this.issues };
  }

  private async readResource(resource: ClusterResource): Promise<void> {
    const outcome = await this.list(resource);
    if (outcome.kind === 'ok') {
      this.add(resource, outcome.items);
      if (resource.kind === 'Namespace') this.namespaces = outcome.items.map((item) => String((item.metadata as { name?: unknown } | undefined)?.name));
      return;
    }
    if (outcome.kind === 'forbidden' && resource.namespaced && this.namespaces !== undefined) {
      // Namespace-scoped RBAC (RoleBindings) allows what a ClusterRoleBinding does not: ask each namespace.
      for (const namespace of this.namespaces) {
        const one = await this.list(resource, namespace);
        if (one.kind === 'ok') this.add(resource, one.items);
        else this.warn(one, resource, namespace);
        if (this.unreachable) return;
      }
      return;
    }
    this.warn(outcome, resource);
  }

  private add(resource: ClusterResource, items: readonly Record<string, unknown>[]): void {
    for (const item of items) this.sources.push(toSource(this.connection.context, cleanObject(item, resource.kind, apiVersionOf(resource))));
  }

  private warn(outcome: Exclude<ListOutcome, { kind: 'ok' }>, resource: ClusterResource, namespace?: string): void {
    const where = namespace === undefined ? (resource.namespaced ? ' in any namespace' : '') : ` in namespace "${namespace}"`;
    const what = `${qualifiedName(resource)}${where}`;
    let message: string;
    switch (outcome.kind) {
      case 'forbidden':
        message = `forbidden to list ${what} (missing permission: list ${qualifiedName(resource)}${namespace === undefined ? '' : ` in ${namespace}`}): left out of the analysis`;
        break;
      case 'timeout':
        message = `listing ${what} timed out after ${this.options.requestTimeoutMs / 1000}s (--request-timeout raises the limit): left out of the analysis`;
        break;
      case 'absent':
        message = `the API server does not serve ${qualifiedName(resource)}/${resource.version}: left out of the analysis`;
        break;
      case 'failed':
        message = `cannot list ${what}: ${outcome.message}`;
        break;
    }
    this.issues.push(clusterIssue(this.connection.context, outcome.kind === 'failed' ? 'error' : 'warning', message));
  }

  /** Every page of a list, following `continue` tokens. */
  private async list(resource: ClusterResource, namespace?: string): Promise<ListOutcome> {
    const items: Record<string, unknown>[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.url(listPath(resource, namespace));
      url.searchParams.set('limit', String(this.options.pageSize ?? DEFAULT_PAGE_SIZE));
      if (token !== undefined) url.searchParams.set('continue', token);
      const result = await getJson(url, this.connection.options, this.options.requestTimeoutMs);
      if (result.kind !== 'ok') return this.failure(result);
      const body = result.body as { items?: unknown; metadata?: { continue?: unknown } };
      if (!Array.isArray(body.items)) return { kind: 'failed', message: 'the response is not a list' };
      for (const item of body.items as unknown[]) if (typeof item === 'object' && item !== null) items.push(item as Record<string, unknown>);
      const next = body.metadata?.continue;
      if (typeof next !== 'string' || next === '') return { kind: 'ok', items };
      token = next;
    }
    return { kind: 'failed', message: `more than ${MAX_PAGES} pages` };
  }

  private failure(result: Exclude<GetResult, { kind: 'ok' }>): Exclude<ListOutcome, { kind: 'ok' }> {
    if (result.kind === 'timeout') return { kind: 'timeout', message: '' };
    if (result.kind === 'network') {
      this.unreachable = true;
      return { kind: 'failed', message: `cannot reach the API server at ${this.connection.server.origin}: ${result.message}` };
    }
    if (result.status === 403) return { kind: 'forbidden', message: result.message };
    if (result.status === 404) return { kind: 'absent', message: result.message };
    if (result.status === 401) this.unreachable = true;
    return { kind: 'failed', message: `HTTP ${result.status}${result.message === '' ? '' : `: ${result.message}`}` };
  }

  /** Whether the API server serves a group version (custom resources, alpha APIs): discovery answers 404 when not. */
  private async isServed(path: string): Promise<boolean> {
    const result = await getJson(this.url(path), this.connection.options, this.options.requestTimeoutMs);
    return result.kind === 'ok';
  }

  /** An API path under the server URL, which may itself have a path (a proxy, Rancher). */
  private url(path: string): URL {
    const url = new URL(this.connection.server);
    url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
    return url;
  }
}

function clusterIssue(context: string, severity: 'error' | 'warning', message: string): InputIssue {
  return { code: 'unreadable', severity, message, location: { file: clusterName(context), range: { start: 0, end: 0 } } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
