// `--cluster` against a loopback API server serving recorded lists: the same answers as the same objects in files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { parseListPath, recordedLists, startFixtureServer, type FixtureOptions, type FixtureServer, type PolicyRule } from './fixture-server.js';
import { repoRoot } from '../cli/run-cli.js';
import { runCliAsync } from './run-cli-async.js';

/** The order kubereach lists resources in (cli/src/cluster/resources.ts), so the file holds them the same way. */
const LIST_ORDER = [
  '/api/v1/namespaces',
  '/apis/apps/v1/deployments',
  '/apis/apps/v1/statefulsets',
  '/apis/apps/v1/daemonsets',
  '/apis/apps/v1/replicasets',
  '/apis/batch/v1/cronjobs',
  '/apis/batch/v1/jobs',
  '/api/v1/replicationcontrollers',
  '/api/v1/pods',
  '/api/v1/serviceaccounts',
  '/api/v1/services',
  '/apis/discovery.k8s.io/v1/endpointslices',
  '/apis/networking.k8s.io/v1/ingressclasses',
  '/apis/networking.k8s.io/v1/ingresses',
  '/apis/networking.k8s.io/v1/networkpolicies',
  '/apis/crd.projectcalico.org/v1/tiers',
  '/apis/crd.projectcalico.org/v1/networkpolicies',
  '/apis/crd.projectcalico.org/v1/globalnetworkpolicies',
  '/apis/crd.projectcalico.org/v1/networksets',
  '/apis/crd.projectcalico.org/v1/globalnetworksets',
  '/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies',
  '/apis/policy.networking.k8s.io/v1alpha1/baselineadminnetworkpolicies',
  '/apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
];
const CALICO_LISTS = LIST_ORDER.filter((path) => path.startsWith('/apis/crd.projectcalico.org/'));
const CLUSTER_NETWORK_POLICIES = '/apis/policy.networking.k8s.io/v1beta1/clusternetworkpolicies';

type ListItem = { metadata: { namespace?: string; name?: string } } & Record<string, unknown>;

/** The recorded objects as one manifest file, as `kubectl get -o yaml` would give them; `keep` filters them and `edit` changes them. */
function asFile(
  folder: string,
  keep: (path: string, item: ListItem) => boolean = () => true,
  edit: (path: string, item: ListItem) => ListItem = (_path, item) => item,
): string {
  const lists = recordedLists();
  expect([...lists.keys()].sort()).toEqual([...LIST_ORDER].sort());
  const documents = LIST_ORDER.flatMap((path) => {
    const list = lists.get(path)!;
    return list.items
      .filter((item) => keep(path, item))
      .map((item) => edit(path, structuredClone(item) as ListItem))
      .map((item) => dump({ apiVersion: list.apiVersion, kind: list.kind.slice(0, -4), ...item }, { noRefs: true }));
  });
  const file = join(folder, 'cluster.yaml');
  writeFileSync(file, documents.join('---\n'));
  return file;
}

/** The list paths requested, in order, without query and with namespaced lists as their cluster-wide path. */
function listRequests(server: FixtureServer): string[] {
  return server.requests.flatMap((request) => {
    const path = new URL(request.slice('GET '.length), 'http://localhost').pathname.replace(/\/namespaces\/[^/]+(?=\/[^/]+$)/, '');
    // Discovery (`/apis`, `/apis/<group>/<version>`) is not a list.
    return path.split('/').length === (path.startsWith('/api/') ? 4 : 5) ? [path] : [];
  });
}

/** The resources listed, as RBAC names them (`pods`, `deployments.apps`). */
function listedResources(server: FixtureServer): string[] {
  return [...new Set(listRequests(server).map(parseListPath).map(({ group, resource }) => (group === '' ? resource : `${resource}.${group}`)))].sort();
}

/** The minimal ClusterRole of a Markdown file (README.md, docs/…): its YAML block's text and its rules. */
function documentedClusterRole(file: string): { readonly text: string; readonly rules: readonly PolicyRule[] } {
  const markdown = readFileSync(join(repoRoot, file), 'utf8');
  const text = /```yaml\n(apiVersion: rbac\.authorization\.k8s\.io\/v1\nkind: ClusterRole\n[\s\S]*?)```/.exec(markdown)?.[1];
  expect(text, `${file} shows the ClusterRole`).toBeDefined();
  const role = loadAll(text!)[0] as { rules: PolicyRule[] };
  return { text: text!, rules: role.rules };
}

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FixtureOptions = {}): Promise<{ server: FixtureServer; folder: string; kubeconfig: string }> {
  server = await startFixtureServer(options);
  const folder = mkdtempSync(join(tmpdir(), 'kubereach-cluster-'));
  return { server, folder, kubeconfig: server.kubeconfig(folder) };
}

describe('kubereach --cluster', () => {
  it.each(['connlist', 'table', 'csv', 'md'])('matrix -o %s equals the matrix of the same objects as files, paging through lists', async (format) => {
    const { server, folder, kubeconfig } = await start({ pageSize: 2 });
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '-o', format]);
    const files = await runCliAsync(['matrix', asFile(folder), '-o', format]);
    expect(live.stderr).toBe(files.stderr);
    expect(live.status).toBe(0);
    expect(live.stdout).toBe(files.stdout);
    expect(live.stdout).toContain('shop/frontend');
    // Paged (the fixture gives two items per page), read-only, and no other host contacted.
    expect(server.requests.some((request) => request.includes('continue='))).toBe(true);
    expect(server.requests.every((request) => request.startsWith('GET '))).toBe(true);
  });

  it('lists namespace by namespace when cluster-wide listing is forbidden, warns per forbidden namespace, and gives up on a hung request', async () => {
    const policies = '/apis/networking.k8s.io/v1/networkpolicies';
    const ingresses = '/apis/networking.k8s.io/v1/ingresses';
    const { folder, kubeconfig } = await start({
      forbiddenClusterWide: [policies],
      forbiddenInNamespace: [{ namespace: 'restricted', path: policies }],
      hung: [ingresses],
    });
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '1', '-o', 'connlist']);
    expect(live.elapsedMs).toBeLessThan(20_000);
    expect(live.stderr.split('\n').filter((line) => line.includes('warning'))).toEqual([
      'cluster fixture: warning listing ingresses.networking.k8s.io in any namespace timed out after 1s (--request-timeout raises the limit): left out of the analysis [unreadable]',
      'cluster fixture: warning forbidden to list networkpolicies.networking.k8s.io in namespace "restricted" (missing permission: list networkpolicies.networking.k8s.io in restricted): left out of the analysis [unreadable]',
    ]);
    expect(live.status).toBe(0);
    const file = asFile(folder, (path, item) => path !== ingresses && !(path === policies && item.metadata.namespace === 'restricted'));
    const files = await runCliAsync(['matrix', file, '-o', 'connlist']);
    expect(live.stdout).toBe(files.stdout);
    // The lockdown policy of `restricted` was not read, so its workloads show as open.
    expect(live.stdout).toContain('restricted/vault[Deployment]');
  });

  it('points lint findings at Kind/namespace/name and the field path', async () => {
    const { kubeconfig } = await start();
    const run = await runCliAsync(['lint', '--cluster', '--kubeconfig', kubeconfig, '-f', 'compact', '--rule', 'cni-profile=off']);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Za-z]+(\.[a-z0-9.-]+)?\/[a-z0-9.-]+(\/[a-z0-9-]+)?( [\w.[\]]+)?: /);
    expect(lines).toContainEqual(expect.stringMatching(/^NetworkPolicy\/shop\/worker-egress spec\.policyTypes\[0\]: error egress-blocks-dns /));
  });

  it('names live objects and field paths in the stylish and JSON reports too, with no file lines', async () => {
    const { kubeconfig } = await start();
    const stylish = await runCliAsync(['lint', '--cluster', '--kubeconfig', kubeconfig, '--rule', 'cni-profile=off', '--no-color']);
    expect(stylish.stdout).toMatch(/\nNetworkPolicy\/shop\/worker-egress\n {2}spec\.policyTypes\[0\] {2}error {2}.* {2}egress-blocks-dns\n/);
    expect(stylish.stdout).not.toContain('cluster:');
    const json = await runCliAsync(['lint', '--cluster', '--kubeconfig', kubeconfig, '--rule', 'cni-profile=off', '-f', 'json']);
    const findings = (JSON.parse(json.stdout) as { findings: Record<string, unknown>[] }).findings;
    expect(findings).toContainEqual(
      expect.objectContaining({ ruleId: 'egress-blocks-dns', object: 'NetworkPolicy/shop/worker-egress', fieldPath: 'spec.policyTypes[0]' }),
    );
    expect(findings.every((f) => !('line' in f))).toBe(true);
  });

  it('explains a pair with the policies of the live cluster, naming a Calico NetworkPolicy apart from a Kubernetes one', async () => {
    const { kubeconfig } = await start();
    const run = await runCliAsync(['explain', 'shop/frontend', 'shop/api', '--port', '8080', '--cluster', '--kubeconfig', kubeconfig]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Kubernetes NetworkPolicy 'shop\/api-ingress' allows TCP 8080 \(ingress rule 1 at NetworkPolicy\/shop\/api-ingress spec\.ingress\[0\]/);
    expect(run.stdout).toContain('(the tier applies through GlobalNetworkPolicy/security.deny-blocked at GlobalNetworkPolicy/security.deny-blocked metadata.name)');
    // Both are NetworkPolicy shop/worker-egress: the Calico one is named by its group too.
    const worker = await runCliAsync(['explain', 'shop/worker', '192.0.2.1', '--cluster', '--kubeconfig', kubeconfig]);
    expect(worker.stdout).toMatch(/NetworkPolicy 'worker-egress' allows TCP 443 \(egress rule 1 at NetworkPolicy\.crd\.projectcalico\.org\/shop\/worker-egress spec\.egress\[0\]/);
  });

  it('follows a Service without a selector to the address of its EndpointSlice, as for the same objects as files', async () => {
    const { folder, kubeconfig } = await start();
    const query = ['explain', 'shop/worker', 'svc/shop/payments:443'];
    const live = await runCliAsync([...query, '--cluster', '--kubeconfig', kubeconfig]);
    const files = await runCliAsync([...query, asFile(folder)]);
    // Locations differ (a live object has no file); the hops are the same.
    const hops = (text: string) => text.split('\n').filter((line) => line.startsWith('hop ') || !line.startsWith(' '));
    expect(hops(live.stdout)).toEqual(hops(files.stdout));
    // The worker's egress blocks cluster DNS (hop 1), while it allows the address itself (hop 3).
    expect(live.status, live.stdout + live.stderr).toBe(1);
    expect(live.stdout.split('\n')[0]).toBe('shop/worker[Deployment] => Service shop/payments port 443/TCP: DENIED');
    expect(live.stdout).toContain('hop 2: Service shop/payments port 443/TCP -> DNAT to the endpoint port: 203.0.113.10 TCP 443');
    expect(live.stdout).toMatch(/hop 3: shop\/worker\[Deployment\] => 203\.0\.113\.10 on TCP 443 \(an address outside the cluster's workloads: 203\.0\.113\.0-203\.0\.113\.255\): ALLOWED/);
  });

  it('fails with exit 2 and a clear error when the credentials are refused or the cluster is unreachable', async () => {
    const { server, folder } = await start();
    const refused = await runCliAsync(['matrix', '--cluster', '--kubeconfig', server.kubeconfig(folder, 'wrong-token')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('cluster fixture: error cannot list namespaces: HTTP 401: Unauthorized');
    const kubeconfig = server.kubeconfig(folder);
    await server.close();
    const unreachable = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig]);
    expect(unreachable.status).toBe(2);
    expect(unreachable.stderr).toMatch(/error cannot list namespaces: cannot reach the API server at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('names a missing context', async () => {
    const { kubeconfig } = await start();
    const run = await runCliAsync(['lint', '--cluster', '--kubeconfig', kubeconfig, '--context', 'prod']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no context "prod" in the kubeconfig (it has: fixture)');
  });

  it('diff --cluster compares the live cluster (before) with the files (after): nothing for the same objects, exactly the edit for a changed copy', async () => {
    const { folder, kubeconfig } = await start();
    const file = asFile(folder);
    const same = await runCliAsync(['diff', '--cluster', '--kubeconfig', kubeconfig, file, '-o', 'connlist', '--fail-on', 'added,removed,changed']);
    // The live side reports what the file side does (kinds skipped, say), and nothing more.
    expect(same.stderr).toBe((await runCliAsync(['diff', file, file, '-o', 'connlist'])).stderr);
    expect(same.stdout).toBe('');
    expect(same.status).toBe(0);

    // The worker's egress moves from TCP 443 to TCP 8443.
    const edited = asFile(folder, undefined, (path, item) =>
      item.metadata.name === 'worker-egress' ? JSON.parse(JSON.stringify(item).replace('"port":443', '"port":8443')) as ListItem : item,
    );
    const changed = await runCliAsync(['diff', '--cluster', '--kubeconfig', kubeconfig, edited, '-o', 'connlist', '--fail-on', 'changed']);
    expect(changed.stdout).toBe(
      'diff-type: changed, source: shop/worker[Deployment], destination: 203.0.113.0-203.0.113.255, ref1: TCP 443, ref2: TCP 8443\n',
    );
    expect(changed.status).toBe(1);
    const text = await runCliAsync(['diff', '--cluster', '--kubeconfig', kubeconfig, edited]);
    expect(text.stdout).toContain('connectivity diff cluster fixture -> ');
    expect(text.stdout).toContain('because policy shop/worker-egress (egress) changed at ');
  });

  it('diff refuses --cluster together with --base', async () => {
    const { kubeconfig } = await start();
    const run = await runCliAsync(['diff', '--cluster', '--kubeconfig', kubeconfig, '--base', 'HEAD']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('give --base <rev> or --cluster, not both');
  });

  it('reads every kind the manifest loader reads, each list once and in order, with the answers of the same objects as files', async () => {
    const { server, folder, kubeconfig } = await start();
    const file = asFile(folder);
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '-o', 'connlist']);
    const files = await runCliAsync(['matrix', file, '-o', 'connlist']);
    expect(live.stderr).toBe(files.stderr);
    expect(live.stdout).toBe(files.stdout);
    expect(listRequests(server)).toEqual(LIST_ORDER);
    // A Calico policy selecting by a ServiceAccount's labels allows a NetworkSet.
    expect(live.stdout).toContain('shop/worker[Deployment] => 192.0.2.0-192.0.2.255 : TCP 443');
    // A GlobalNetworkPolicy in its own Tier denies a GlobalNetworkSet.
    expect(live.stdout).toContain('monitoring/prometheus[Deployment] => 198.51.101.0-203.0.112.255 : All Connections');
    expect(live.stdout).not.toContain('monitoring/prometheus[Deployment] => 198.51.100.0-198.51.100.255');
    // A ClusterNetworkPolicy admits what a NetworkPolicy of the namespace denies.
    expect(live.stdout).toContain('monitoring/prometheus[Deployment] => restricted/vault[Deployment] : TCP 8200');
    // The IngressClass tells which controller serves the Ingress.
    const exposure = await runCliAsync(['exposure', '--cluster', '--kubeconfig', kubeconfig]);
    expect(exposure.stdout).toContain('from every client of the ingress controller ingress/ingress-nginx-controller[Deployment]\n');
  });

  it.each([
    { served: ['v1beta1', 'v1alpha2'], read: 'v1beta1' },
    { served: ['v1alpha2'], read: 'v1alpha2' },
    { served: ['v1beta1'], read: 'v1beta1' },
  ])('reads ClusterNetworkPolicies once, in $read, from a server serving $served', async ({ served, read }) => {
    const { server, folder, kubeconfig } = await start({ servedVersions: { [CLUSTER_NETWORK_POLICIES]: served } });
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '-o', 'connlist']);
    const apiVersion = `policy.networking.k8s.io/${read}`;
    const file = asFile(folder, undefined, (path, item) => (path === CLUSTER_NETWORK_POLICIES ? { ...item, apiVersion } : item));
    const files = await runCliAsync(['matrix', file, '-o', 'connlist']);
    expect(live.stderr).toBe(files.stderr);
    expect(live.stdout).toBe(files.stdout);
    expect(live.stdout).toContain('monitoring/prometheus[Deployment] => restricted/vault[Deployment] : TCP 8200');
    expect(listRequests(server).filter((path) => path.endsWith('/clusternetworkpolicies'))).toEqual([`/apis/${apiVersion}/clusternetworkpolicies`]);
  });

  it('skips the APIs the server does not serve without a word, and recognises the network plugin from its CRDs', async () => {
    const adminPolicies = LIST_ORDER.filter((path) => path.startsWith('/apis/policy.networking.k8s.io/'));
    const { server, folder, kubeconfig } = await start({
      emptyLists: CALICO_LISTS,
      servedVersions: Object.fromEntries(adminPolicies.map((path) => [path, []])),
    });
    const live = await runCliAsync(['exposure', '--cluster', '--kubeconfig', kubeconfig]);
    const files = await runCliAsync(['exposure', asFile(folder, (path) => !CALICO_LISTS.includes(path) && !adminPolicies.includes(path))]);
    expect(live.stderr).toBe(files.stderr);
    expect(live.stdout).toBe(files.stdout);
    expect(listRequests(server).filter((path) => adminPolicies.includes(path))).toEqual([]);
    const lint = await runCliAsync(['lint', '--cluster', '--kubeconfig', kubeconfig, '-f', 'compact']);
    expect(lint.stdout).toContain(
      'CustomResourceDefinition/globalnetworkpolicies.crd.projectcalico.org spec.group: info cni-profile network plugin recognised as Calico from CustomResourceDefinition globalnetworkpolicies.crd.projectcalico.org',
    );
  });

  it('warns when discovery does not answer, and analyses the rest', async () => {
    const { folder, kubeconfig } = await start({ hung: ['/apis'] });
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '1', '-o', 'connlist']);
    expect(live.stderr.split('\n').filter((line) => line.includes('warning'))).toEqual([
      'cluster fixture: warning reading the discovery document /apis timed out after 1s (--request-timeout raises the limit): the optional resources it tells of are left out of the analysis [unreadable]',
    ]);
    expect(live.status).toBe(0);
    const optional = (path: string): boolean => CALICO_LISTS.includes(path) || path.startsWith('/apis/policy.networking.k8s.io/');
    const files = await runCliAsync(['matrix', asFile(folder, (path) => !optional(path)), '-o', 'connlist']);
    expect(live.stdout).toBe(files.stdout);
  });

  it('needs exactly the documented minimal ClusterRole: it lists every resource the role grants, and nothing else', async () => {
    const readme = documentedClusterRole('README.md');
    expect(documentedClusterRole('docs/live-cluster-and-limits.md').text).toBe(readme.text);
    const { server, kubeconfig } = await start({ rbac: readme.rules });
    const live = await runCliAsync(['matrix', '--cluster', '--kubeconfig', kubeconfig, '-o', 'connlist']);
    expect(live.stderr).not.toContain('forbidden');
    expect(live.status).toBe(0);
    const granted = readme.rules.flatMap((rule) => rule.apiGroups.flatMap((group) => rule.resources.map((resource) => (group === '' ? resource : `${resource}.${group}`))));
    expect(listedResources(server)).toEqual([...granted].sort());
    expect(readme.rules.every((rule) => rule.verbs.length === 1 && rule.verbs[0] === 'list')).toBe(true);
  });

  it.each(['text', 'json'])('exposure --cluster -o %s equals exposure of the same objects as files', async (format) => {
    const { folder, kubeconfig } = await start();
    const live = await runCliAsync(['exposure', '--cluster', '--kubeconfig', kubeconfig, '-o', format]);
    const files = await runCliAsync(['exposure', asFile(folder), '-o', format]);
    expect(live.stderr).toBe(files.stderr);
    expect(live.status).toBe(0);
    expect(live.stdout).toBe(files.stdout);
    expect(live.stdout).toContain('shop/');
  });
});
