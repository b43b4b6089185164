// Reads the objects kubereach analyses from a live cluster, read-only, into inputs the analysis consumes like files.
import type { RequestOptions } from 'node:http';
import type { InputIssue, SourceText } from '@kubereach/core';
import { getJson, type GetResult } from './http-get.js';
import {
  apiVersionOf,
  CLUSTER_RESOURCES,
  groupVersionPath,
  listPath,
  objectKind,
  qualifiedName,
  type ClusterResource,
  type ListedResource,
} from './resources.js';
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
 * Lists every kind the manifest loader reads: namespaces, workloads, pods, service accounts, services, ingresses,
 * network policies and CRDs, and Calico and admin network policies where their APIs are served; GET requests only. A
 * resource that cannot be listed cluster-wide is listed namespace by namespace; whatever stays forbidden is a warning
 * naming the permission, and the rest is analysed.
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

/** What a discovery document says, once read; undefined where it says nothing (not served, or unreadable). */
type Discovered<T> = Promise<T | undefined>;

class ClusterReader {
  private readonly sources: SourceText[] = [];
  private readonly issues: InputIssue[] = [];
  private namespaces: string[] | undefined;
  private unreachable = false;
  /** Each API group's versions, the server's preferred first (GET /apis, asked once). */
  private apiGroups: Discovered<ReadonlyMap<string, readonly string[]>> | undefined;
  /** The resources of each group version asked about, by discovery path. */
  private readonly groupResources = new Map<string, Discovered<ReadonlySet<string>>>();

  constructor(
    private readonly connection: Connection,
    private readonly options: ClusterOptions,
  ) {}

  async readAll(): Promise<ClusterInputs> {
    for (const resource of CLUSTER_RESOURCES) {
      if (this.unreachable) break;
      const version = resource.optional ? await this.servedVersion(resource) : resource.versions[0];
      if (this.unreachable) break;
      if (version !== undefined) await this.readResource({ ...resource, version });
    }
    return { context: this.connection.context, sources: this.sources, issues: this.issues };
  }

  /**
   * The version to list an optional resource in: of the group's versions the server serves, in its order of
   * preference, the first that kubereach reads and whose discovery document lists the resource. Undefined when none
   * does: the API is not installed, and the resource is skipped without a word.
   */
  private async servedVersion(resource: ClusterResource): Promise<string | undefined> {
    this.apiGroups ??= this.discover('/apis', groupVersionsOf);
    for (const version of (await this.apiGroups)?.get(resource.group) ?? []) {
      if (!resource.versions.includes(version)) continue;
      const path = groupVersionPath(resource.group, version);
      if (!this.groupResources.has(path)) this.groupResources.set(path, this.discover(path, resourceNamesOf));
      if ((await this.groupResources.get(path))?.has(resource.resource) === true) return version;
    }
    return undefined;
  }

  /**
   * A discovery document (GET /apis, /apis/<group>/<version>), which the default `system:discovery` role lets every
   * authenticated user read. A 404 means nothing is served there; any other failure is reported, and the optional
   * resources the document would tell of are left out.
   */
  private async discover<T>(path: string, read: (body: unknown) => T | undefined): Discovered<T> {
    const result = await getJson(this.url(path), this.connection.options, this.options.requestTimeoutMs);
    const outcome = result.kind === 'ok' ? read(result.body) : undefined;
    if (result.kind === 'ok' && outcome !== undefined) return outcome;
    const failure: Exclude<ListOutcome, { kind: 'ok' }> =
      result.kind === 'ok' ? { kind: 'failed', message: 'the response is not a discovery document' } : this.failure(result);
    const leftOut = 'the optional resources it tells of are left out of the analysis';
    let message: string;
    switch (failure.kind) {
      case 'absent':
        return undefined;
      case 'timeout':
        message = `reading the discovery document ${path} timed out after ${this.options.requestTimeoutMs / 1000}s (--request-timeout raises the limit): ${leftOut}`;
        break;
      case 'forbidden':
        message = `forbidden to read the discovery document ${path} (${failure.message}): ${leftOut}`;
        break;
      case 'failed':
        message = `cannot read the discovery document ${path}: ${failure.message}; ${leftOut}`;
        break;
    }
    this.issues.push(clusterIssue(this.connection.context, failure.kind === 'failed' ? 'error' : 'warning', message));
    return undefined;
  }

  private async readResource(resource: ListedResource): Promise<void> {
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

  private add(resource: ListedResource, items: readonly Record<string, unknown>[]): void {
    const kind = objectKind(resource);
    for (const item of items) this.sources.push(toSource(this.connection.context, kind, cleanObject(item, resource.kind, apiVersionOf(resource))));
  }

  private warn(outcome: Exclude<ListOutcome, { kind: 'ok' }>, resource: ListedResource, namespace?: string): void {
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
  private async list(resource: ListedResource, namespace?: string): Promise<ListOutcome> {
    const items: Record<string, unknown>[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.url(listPath(resource, namespace));
      url.searchParams.set('limit', String(Math.min(this.options.pageSize ?? DEFAULT_PAGE_SIZE, resource.pageSize ?? DEFAULT_PAGE_SIZE)));
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

  /** An API path under the server URL, which may itself have a path (a proxy, Rancher). */
  private url(path: string): URL {
    const url = new URL(this.connection.server);
    url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
    return url;
  }
}

/** An APIGroupList's groups, each with its versions: the preferred one first, the others in the server's order. */
function groupVersionsOf(body: unknown): ReadonlyMap<string, readonly string[]> | undefined {
  const groups = field(body, 'groups');
  if (!Array.isArray(groups)) return undefined;
  const versions = new Map<string, readonly string[]>();
  for (const group of groups) {
    const name = field(group, 'name');
    if (typeof name !== 'string') continue;
    const served = stringsAt(field(group, 'versions'), 'version');
    const preferred = field(field(group, 'preferredVersion'), 'version');
    versions.set(name, typeof preferred === 'string' ? [preferred, ...served.filter((v) => v !== preferred)] : served);
  }
  return versions;
}

/** The names of an APIResourceList's resources (subresources such as `pods/status` included, and never asked for). */
function resourceNamesOf(body: unknown): ReadonlySet<string> | undefined {
  const resources = field(body, 'resources');
  return Array.isArray(resources) ? new Set(stringsAt(resources, 'name')) : undefined;
}

/** `value[key]` of an object; discovery documents come from the server, so their shape is checked, not assumed. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The string `key` of each object in a list. */
function stringsAt(list: unknown, key: string): string[] {
  return (Array.isArray(list) ? list : []).map((entry) => field(entry, key)).filter((value): value is string => typeof value === 'string');
}

function clusterIssue(context: string, severity: 'error' | 'warning', message: string): InputIssue {
  return { code: 'unreadable', severity, message, location: { file: clusterName(context), range: { start: 0, end: 0 } } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
