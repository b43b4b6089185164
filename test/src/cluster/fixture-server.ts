// A Kubernetes API server stand-in on loopback: serves recorded list responses and discovery, with paging, RBAC, 403s
// and a hung path.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURE_TOKEN = 'fixture-token';
const listsFolder = fileURLToPath(new URL('../../fixtures-cluster/lists/', import.meta.url));

interface ListBody {
  readonly kind: string;
  readonly apiVersion: string;
  readonly items: readonly { readonly metadata: { readonly namespace?: string } }[];
}

/**
 * Recorded lists of custom resources whose CRD serves several versions: the server serves the same objects in each
 * (a CRD stores one version and converts), listing the versions by Kubernetes' version priority.
 */
const CRD_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '/apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies': ['v1beta1', 'v1alpha2'],
};

/** The recorded lists by path (`/apis/apps/v1/deployments`). */
export function recordedLists(): ReadonlyMap<string, ListBody> {
  return new Map(
    readdirSync(listsFolder)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [`/${name.slice(0, -5).replaceAll('_', '/')}`, JSON.parse(readFileSync(join(listsFolder, name), 'utf8')) as ListBody]),
  );
}

/** One rule of an RBAC ClusterRole, granted cluster-wide. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface FixtureOptions {
  /** For a recorded list path, the versions of its group it is served in instead (none: its API is not installed). */
  readonly servedVersions?: Readonly<Record<string, readonly string[]>>;
  /** Recorded list paths served with no items. */
  readonly emptyLists?: readonly string[];
  /** When given, only what these rules grant is listed; any other list is answered 403, discovery stays open. */
  readonly rbac?: readonly PolicyRule[];
  /** List paths answered 403 cluster-wide (the per-namespace paths still answer, unless listed below). */
  readonly forbiddenClusterWide?: readonly string[];
  /** `namespace:resource path` pairs answered 403 for that namespace. */
  readonly forbiddenInNamespace?: readonly { readonly namespace: string; readonly path: string }[];
  /** Paths that never answer. */
  readonly hung?: readonly string[];
  /** Items per page, whatever `limit` asks (real servers may return fewer). */
  readonly pageSize?: number;
}

export interface FixtureServer {
  readonly url: string;
  /** Every request: method and URL. */
  readonly requests: readonly string[];
  /** Writes a kubeconfig pointing at the server into `folder` and returns its path. */
  kubeconfig(folder: string, token?: string): string;
  close(): Promise<void>;
}

/** A list path's parts: `/apis/<group>/<version>/<resource>` or `/api/<version>/<resource>`. */
export function parseListPath(path: string): { readonly group: string; readonly version: string; readonly resource: string } {
  const [, root, ...rest] = path.split('/');
  const [group, version, resource] = root === 'api' ? ['', ...rest] : rest;
  return { group: group!, version: version!, resource: resource! };
}

function listPathOf(group: string, version: string, resource: string): string {
  return group === '' ? `/api/${version}/${resource}` : `/apis/${group}/${version}/${resource}`;
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first (v1 v1beta2 v1beta1 v1alpha1). */
function byVersionPriority(a: string, b: string): number {
  const rank = (version: string): number[] => {
    const [, major, stability, minor] = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version) ?? [];
    return [stability === undefined ? 2 : stability === 'beta' ? 1 : 0, Number(major), Number(minor ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
}

export async function startFixtureServer(options: FixtureOptions = {}): Promise<FixtureServer> {
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  // What is served where: each recorded list under each version it is served in, with that apiVersion.
  const lists = new Map<string, ListBody>();
  for (const [recordedPath, list] of recordedLists()) {
    const { group, version, resource } = parseListPath(recordedPath);
    const items = options.emptyLists?.includes(recordedPath) === true ? [] : list.items;
    for (const served of options.servedVersions?.[recordedPath] ?? CRD_VERSIONS[recordedPath] ?? [version]) {
      lists.set(listPathOf(group, served, resource), { ...list, apiVersion: group === '' ? served : `${group}/${served}`, items });
    }
  }
  const parsed = [...lists.keys()].map(parseListPath);
  const groupVersionPaths = new Set([...lists.keys()].map((path) => path.slice(0, path.lastIndexOf('/'))));
  const apiGroups = {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...new Set(parsed.filter((p) => p.group !== '').map((p) => p.group))].map((name) => {
      const versions = [...new Set(parsed.filter((p) => p.group === name).map((p) => p.version))].sort(byVersionPriority);
      const entry = (version: string) => ({ groupVersion: `${name}/${version}`, version });
      return { name, versions: versions.map(entry), preferredVersion: entry(versions[0]!) };
    }),
  };
  const resourceList = (groupVersionPath: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionPath.replace(/^\/apis?\//, ''),
    resources: [...lists.entries()]
      .filter(([path]) => path.startsWith(`${groupVersionPath}/`))
      .map(([path, list]) => ({ name: parseListPath(path).resource, kind: list.kind.slice(0, -'List'.length), verbs: ['get', 'list', 'watch'] })),
  });
  const granted = (path: string): boolean => {
    const { group, resource } = parseListPath(path);
    return options.rbac?.some((rule) => rule.apiGroups.includes(group) && rule.resources.includes(resource) && rule.verbs.includes('list')) ?? true;
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    requests.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string): void =>
      send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });
    if (request.method !== 'GET') return status(405, 'MethodNotAllowed', 'read-only fixture');
    if (request.headers.authorization !== `Bearer ${FIXTURE_TOKEN}`) return status(401, 'Unauthorized', 'Unauthorized');
    if (options.hung?.includes(url.pathname) === true) {
      hanging.add(response);
      return;
    }
    if (url.pathname === '/apis') return send(200, apiGroups);
    if (groupVersionPaths.has(url.pathname)) return send(200, resourceList(url.pathname));

    // `/api/v1/namespaces/<ns>/<resource>` lists one namespace of `/api/v1/<resource>`.
    const scoped = /^(\/apis?(?:\/[^/]+)?\/v[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const path = scoped === null ? url.pathname : `${scoped[1]}/${scoped[3]}`;
    const namespace = scoped === null ? undefined : decodeURIComponent(scoped[2]!);
    const list = lists.get(path);
    if (list === undefined) return status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const resource = path.slice(path.lastIndexOf('/') + 1);
    if (!granted(path) || (namespace === undefined && options.forbiddenClusterWide?.includes(path) === true)) {
      return status(403, 'Forbidden', `${resource} is forbidden: User "reader" cannot list resource "${resource}" at the cluster scope`);
    }
    if (namespace !== undefined && (!granted(path) || options.forbiddenInNamespace?.some((f) => f.namespace === namespace && f.path === path) === true)) {
      return status(403, 'Forbidden', `${resource} is forbidden: User "reader" cannot list resource "${resource}" in the namespace "${namespace}"`);
    }
    const items = namespace === undefined ? list.items : list.items.filter((item) => item.metadata.namespace === namespace);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? items.length) || items.length, options.pageSize ?? Number.POSITIVE_INFINITY);
    const offset = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64url').toString() || '0');
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
    send(200, { kind: list.kind, apiVersion: list.apiVersion, metadata: { resourceVersion: '4711', ...(next === undefined ? {} : { continue: next }) }, items: page });
  };

  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    kubeconfig(folder, token = FIXTURE_TOKEN) {
      const path = join(folder, 'kubeconfig.yaml');
      writeFileSync(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          `  - name: fixture`,
          `    cluster: {server: "${url}", insecure-skip-tls-verify: true}`,
          'users:',
          `  - name: reader`,
          `    user: {token: ${token}}`,
          'contexts:',
          '  - name: fixture',
          '    context: {cluster: fixture, user: reader}',
          'current-context: fixture',
          '',
        ].join('\n'),
      );
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
