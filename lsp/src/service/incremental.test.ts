// The incremental workspace against a fresh one: after any sequence of edits, the same load and the same diagnostics.
import { CalicoConnectivityResult, type ConnectivityResult } from '@kubereach/core';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import { PublishedDiagnostics, workspaceDiagnostics, Workspace } from './index.js';

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {team: ${name}}\n`;
const deployment = (name: string, ns: string, port: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: c\n          image: x\n          ports:\n            - containerPort: ${port}\n`;
const policy = (name: string, ns: string, app: string, from: string, port: number) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels: {app: ${app}}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: ${from}}}\n      ports:\n        - port: ${port}\n  egress:\n    - to:\n        - namespaceSelector: {matchLabels: {team: pay}}\n`;
const service = (name: string, ns: string, port: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {app: ${name}}\n  ports:\n    - port: 80\n      targetPort: ${port}\n`;

const FILES: Readonly<Record<string, string>> = {
  'file:///ws/shop.yaml': [namespace('shop'), deployment('api', 'shop', 8080), deployment('web', 'shop', 80), service('api', 'shop', 8080)].join('---\n'),
  'file:///ws/pay.yaml': [namespace('pay'), deployment('pay', 'pay', 9090), service('pay', 'pay', 9090)].join('---\n'),
  'file:///ws/policies/shop.yaml': [policy('api-in', 'shop', 'api', 'web', 8080), policy('web-in', 'shop', 'web', 'api', 80)].join('---\n'),
  'file:///ws/policies/pay.yaml': policy('pay-in', 'pay', 'pay', 'api', 9090),
  'file:///ws/extra.yaml': deployment('batch', 'shop', 7070),
  // Calico's own and admin policies: the profile is detected as Calico, whose tiers read labels other than the
  // NetworkPolicies do (selector views, class signatures kept across analyses).
  'file:///ws/cluster.yaml': [
    `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: guard-api\nspec:\n  selector: app == 'api'\n  types: [Ingress]\n  ingress:\n    - action: Deny\n      source:\n        namespaceSelector: team == 'pay'\n    - action: Pass\n`,
    `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: batch-out\nspec:\n  priority: 5\n  subject:\n    pods:\n      namespaceSelector: {}\n      podSelector: {matchLabels: {app: batch}}\n  egress:\n    - name: no-pay\n      action: Deny\n      to: [{namespaces: {matchLabels: {team: pay}}}]\n`,
  ].join('---\n'),
};
const CONFIG_URI = 'file:///ws/.kubereach.yaml';
const CONFIGS: readonly (string | undefined)[] = [undefined, 'ignore: ["extra.yaml"]\n', 'rules:\n  missing-default-deny: off\n  port-not-served: error\n', 'rules: [\n'];

/** The workspace state the test tracks itself, to build a fresh Workspace from. */
interface State {
  readonly disk: Map<string, string>;
  readonly open: Map<string, string>;
  config: string | undefined;
}

function fresh(state: State): Workspace {
  const ws = new Workspace();
  if (state.config !== undefined) ws.setConfigFile({ uri: CONFIG_URI, text: state.config });
  for (const [uri, text] of state.disk) ws.setDiskFile(uri, text);
  for (const [uri, text] of state.open) ws.openDocument(uri, text);
  return ws;
}

/** Park-Miller: deterministic, so a failing seed can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

type Edit = (ws: Workspace, state: State, pick: <T>(items: readonly T[]) => T) => string;

/** Edits of every kind an editor and a file watcher produce; each applies itself to both and says what it did. */
const EDITS: readonly Edit[] = [
  function editPort(ws, state, pick) {
    const [uri, text] = pick([...state.open, ...state.disk]);
    const port = pick(['80', '8080', '9090', '7070']);
    const edited = text.replace(/port: \d+/, `port: ${port}`);
    ws.openDocument(uri, edited);
    state.open.set(uri, edited);
    return `port ${port} in ${uri}`;
  },
  function editLabels(ws, state, pick) {
    const [uri, text] = pick([...state.disk]);
    const [from, to] = pick([['app: api', 'app: apix'], ['app: apix', 'app: api'], ['app: web', 'app: pay'], ['team: pay', 'team: shop']] as const);
    const edited = text.replace(from, to);
    ws.setDiskFile(uri, edited);
    state.disk.set(uri, edited);
    return `${from} -> ${to} on disk in ${uri}`;
  },
  function breakSyntax(ws, state, pick) {
    const [uri, text] = pick([...state.disk]);
    const edited = pick([`${text}  bad: [unclosed\n`, text.replace('metadata:', 'metadata: {'), `${text}---\n{{ .Values.x }}\n`]);
    ws.openDocument(uri, edited);
    state.open.set(uri, edited);
    return `syntax error in ${uri}`;
  },
  function closeDocument(ws, state, pick) {
    if (state.open.size === 0) return 'nothing open';
    const uri = pick([...state.open.keys()]);
    ws.closeDocument(uri);
    state.open.delete(uri);
    return `close ${uri}`;
  },
  function deleteFile(ws, state, pick) {
    const uri = pick([...state.disk.keys()]);
    ws.deleteDiskFile(uri);
    state.disk.delete(uri);
    return `delete ${uri}`;
  },
  function restoreFile(ws, state, pick) {
    const [uri, text] = pick(Object.entries(FILES));
    ws.setDiskFile(uri, text);
    state.disk.set(uri, text);
    return `restore ${uri}`;
  },
  function renameAcrossFiles(ws, state, pick) {
    const [uri, text] = pick([...state.disk]);
    const [from, to] = pick([['name: batch', 'name: api'], ['name: api', 'name: batch'], ['name: pay-in', 'name: api-in'], ['name: api-in', 'name: web-in'], ['name: pay\n', 'name: shop\n']] as const);
    const edited = text.replace(from, to);
    ws.setDiskFile(uri, edited);
    state.disk.set(uri, edited);
    return `rename ${from.trim()} -> ${to.trim()} in ${uri}`;
  },
  function copyFile(ws, state, pick) {
    const [, text] = pick([...state.disk]);
    const uri = pick(['file:///ws/copy.yaml', 'file:///ws/a-copy.yaml']);
    ws.setDiskFile(uri, text);
    state.disk.set(uri, text);
    return `copy to ${uri}`;
  },
  function moveDocument(ws, state, pick) {
    const [from, text] = pick([...state.disk]);
    const [to, target] = pick([...state.disk]);
    const [moved, ...rest] = text.split('---\n');
    if (from === to || moved === undefined) return 'no move';
    ws.setDiskFile(from, rest.join('---\n'));
    state.disk.set(from, rest.join('---\n'));
    ws.setDiskFile(to, `${target}---\n${moved}`);
    state.disk.set(to, `${target}---\n${moved}`);
    return `move a document from ${from} to ${to}`;
  },
  function changeConfig(ws, state, pick) {
    state.config = pick(CONFIGS);
    ws.setConfigFile(state.config === undefined ? undefined : { uri: CONFIG_URI, text: state.config });
    return `config ${JSON.stringify(state.config)}`;
  },
];

/** Every ordered pair of endpoints with what it allows, by id. */
function matrix(result: ConnectivityResult): string[] {
  const endpoints = result.endpoints;
  return endpoints.flatMap((source) => endpoints.map((destination) => `${source.id} -> ${destination.id}: ${result.allowed(source, destination).toString()}`));
}

/** What a client shows after applying every published change: the non-empty lists. */
function shown(client: ReadonlyMap<string, Diagnostic[]>): Map<string, Diagnostic[]> {
  return new Map([...client].filter(([, list]) => list.length > 0));
}

describe('incremental analysis', () => {
  it('after random edits, gives the load and diagnostics of a fresh workspace, and the client shows them', () => {
    // As the server publishes: the edited files' diagnostics first, then (unless the next edit comes first) all.
    let layered = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const random = seeded(seed);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const state: State = { disk: new Map(Object.entries(FILES)), open: new Map(), config: undefined };
      const ws = fresh(state);
      const published = new PublishedDiagnostics();
      const client = new Map<string, Diagnostic[]>();
      const history: string[] = [];
      for (let step = 0; step < 25; step++) {
        history.push(pick(EDITS)(ws, state, pick));
        const where = `seed ${seed}: ${history.join('; ')}`;
        const touched = ws.takeTouched();
        const snapshot = ws.snapshot();
        const expected = fresh(state).snapshot();
        if (expected.analysis.result instanceof CalicoConnectivityResult) layered++;
        // The same verdicts for every pair: what the engine keeps across analyses must not change them.
        expect(matrix(snapshot.analysis.result), where).toEqual(matrix(expected.analysis.result));
        expect(snapshot.analysis.load, where).toEqual(expected.analysis.load);
        // The edited files' lists, linted for those files alone (before the whole lint), are the whole lint's there.
        const first = workspaceDiagnostics(snapshot, touched);
        const diagnostics = workspaceDiagnostics(expected);
        expect([...first.keys()].sort(), where).toEqual([...touched].sort());
        for (const [uri, list] of first) expect(list, `${where}: ${uri} first`).toEqual(diagnostics.get(uri) ?? []);
        for (const [uri, list] of published.changes(first, (uri) => state.open.has(uri), { partial: true })) client.set(uri, list);
        for (const uri of touched) expect(client.get(uri) ?? [], `${where}: ${uri} shown first`).toEqual(diagnostics.get(uri) ?? []);
        // The other files two at a time, as the server sends them; the next edit may come before the end.
        const others = snapshot.uris.filter((uri) => !touched.has(uri));
        const stop = random() < 0.3 ? Math.floor(random() * (others.length + 1)) : undefined;
        for (let from = 0; from < (stop ?? others.length); from += 2) {
          const batch = workspaceDiagnostics(snapshot, new Set(others.slice(from, from + 2)));
          for (const [uri, list] of batch) expect(list, `${where}: ${uri} in a batch`).toEqual(diagnostics.get(uri) ?? []);
          for (const [uri, list] of published.changes(batch, (uri) => state.open.has(uri), { partial: true })) client.set(uri, list);
        }
        if (stop !== undefined) continue;
        expect(workspaceDiagnostics(snapshot), where).toEqual(diagnostics);
        for (const [uri, list] of published.changes(workspaceDiagnostics(snapshot), (uri) => state.open.has(uri))) client.set(uri, list);
        expect(shown(client), where).toEqual(shown(diagnostics));
      }
    }
    // Many steps ran under Calico's tiers (the file holding its policies is deleted or broken in the others).
    expect(layered).toBeGreaterThan(50);
  });
});
