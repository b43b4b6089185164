// A Kubernetes API server stand-in on loopback: serves recorded list responses, with paging, 403s and a hung path.
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

/** The recorded lists by path (`/apis/apps/v1/deployments`). */
export function recordedLists(): ReadonlyMap<string, ListBody> {
  return new Map(
    readdirSync(listsFolder)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => [`/${name.slice(0, -5).replaceAll('_', '/')}`, JSON.parse(readFileSync(join(listsFolder, name), 'utf8')) as ListBody]),
  );
}

export interface FixtureFaults {
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

export async function startFixtureServer(faults: FixtureFaults = {}): Promise<FixtureServer> {
  const lists = recordedLists();
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  const groupVersions = new Set([...lists.keys()].map((path) => path.slice(0, path.lastIndexOf('/'))));

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
    if (faults.hung?.includes(url.pathname) === true) {
      hanging.add(response);
      return;
    }
    if (groupVersions.has(url.pathname)) return send(200, { kind: 'APIResourceList', groupVersion: url.pathname });

    // `/api/v1/namespaces/<ns>/<resource>` lists one namespace of `/api/v1/<resource>`.
    const scoped = /^(\/apis?(?:\/[^/]+)?\/v[^/]+)\/namespaces\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const path = scoped === null ? url.pathname : `${scoped[1]}/${scoped[3]}`;
    const namespace = scoped === null ? undefined : decodeURIComponent(scoped[2]!);
    const list = lists.get(path);
    if (list === undefined) return status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const resource = path.slice(path.lastIndexOf('/') + 1);
    if (namespace === undefined && faults.forbiddenClusterWide?.includes(path) === true) {
      return status(403, 'Forbidden', `${resource} is forbidden: User "reader" cannot list resource "${resource}" at the cluster scope`);
    }
    if (namespace !== undefined && faults.forbiddenInNamespace?.some((f) => f.namespace === namespace && f.path === path) === true) {
      return status(403, 'Forbidden', `${resource} is forbidden: User "reader" cannot list resource "${resource}" in the namespace "${namespace}"`);
    }
    const items = namespace === undefined ? list.items : list.items.filter((item) => item.metadata.namespace === namespace);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? items.length) || items.length, faults.pageSize ?? Number.POSITIVE_INFINITY);
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
