// The pure language service driven without a client: workspace state in, diagnostics, actions, hovers, lenses and locations out.
import { describe, expect, it, vi } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-types';
import { codeActions, codeLenses, definitions, explain, hover, matrix, references, workspaceDiagnostics, Workspace } from './index.js';
import { EGRESS, EGRESS_URI, POLICY, POLICY_URI, positionOf, rangeOf, WORKLOADS, WORKLOADS_URI } from '../testing/fixtures.js';

function workspace(): Workspace {
  const ws = new Workspace();
  ws.setDiskFile(WORKLOADS_URI, WORKLOADS);
  ws.openDocument(POLICY_URI, POLICY);
  ws.setDiskFile(EGRESS_URI, EGRESS);
  return ws;
}

const hoverText = (ws: Workspace, uri: string, text: string, needle: string, nth = 0) => {
  const result = hover(ws.snapshot(), uri, positionOf(text, needle, nth));
  return typeof result?.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
};

describe('diagnostics', () => {
  it('judges a policy against workloads in other files, at the exact field, with rule id, doc link and related places', () => {
    const diagnostics = workspaceDiagnostics(workspace().snapshot());
    const policy = diagnostics.get(POLICY_URI)!;
    const portNotServed = policy.find((d) => d.code === 'port-not-served');
    expect(portNotServed).toMatchObject({
      range: rangeOf(POLICY, 'port: 80'),
      severity: DiagnosticSeverity.Warning,
      source: 'kubereach',
      codeDescription: { href: expect.stringMatching(/rules\/port-not-served\.md$/) as unknown },
      message: expect.stringContaining('declared: TCP 8080') as unknown,
    });
    const halfOpen = diagnostics.get(EGRESS_URI)!.find((d) => d.code === 'half-open-path')!;
    expect(halfOpen.range.start).toEqual(positionOf(EGRESS, 'podSelector: {matchLabels: {app: api}}'));
    expect(halfOpen.relatedInformation).toEqual([
      { location: { uri: POLICY_URI, range: rangeOf(POLICY, 'api-ingress') }, message: expect.stringContaining('isolates the ingress') as unknown },
    ]);
    expect(diagnostics.get(WORKLOADS_URI)!.map((d) => d.code)).toContain('missing-default-deny');
  });

  it('re-analyzes after an edit of the unsaved text, and after a file changes on disk', () => {
    const ws = workspace();
    ws.openDocument(POLICY_URI, POLICY.replace('port: 80', 'port: 8080'));
    expect(workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.map((d) => d.code)).not.toContain('port-not-served');
    ws.setDiskFile(WORKLOADS_URI, WORKLOADS.replace('containerPort: 8080', 'containerPort: 9000'));
    expect(workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.map((d) => d.code)).toContain('port-not-served');
    ws.deleteDiskFile(WORKLOADS_URI);
    expect(workspaceDiagnostics(ws.snapshot()).has(WORKLOADS_URI)).toBe(false);
  });

  it('knows a file by its path however its URI is spelled: analyzed once, its diagnostics under one URI', () => {
    const ws = new Workspace();
    ws.setDiskFile('file:///ws/team@corp/policy.yaml', POLICY);
    ws.setDiskFile(WORKLOADS_URI, WORKLOADS);
    // As VS Code spells it: `@` is %40.
    ws.openDocument('file:///ws/team%40corp/policy.yaml', POLICY);
    const diagnostics = workspaceDiagnostics(ws.snapshot());
    expect([...diagnostics.keys()].sort()).toEqual(['file:///ws/team@corp/policy.yaml', WORKLOADS_URI]);
    expect(diagnostics.get('file:///ws/team@corp/policy.yaml')!.map((d) => d.code)).not.toContain('duplicate-policy-name');
    ws.closeDocument('file:///ws/team@corp/policy.yaml');
    ws.deleteDiskFile('file:///ws/team%40corp/policy.yaml');
    expect(ws.analyzedUris()).toEqual([WORKLOADS_URI]);
  });

  it('tags redundant and unused text as unnecessary', () => {
    const ws = workspace();
    ws.openDocument(POLICY_URI, POLICY.replace('  ingress:\n', '  ingress:\n    # kubereach-disable-next-line redundant-rule -- nothing here\n'));
    const unused = workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.find((d) => d.code === 'unused-suppression')!;
    expect(unused.tags).toEqual([DiagnosticTag.Unnecessary]);
    expect(unused.range.start).toEqual({ line: 10, character: 4 });
  });

  it('never throws on garbage, and the other files are still analyzed', () => {
    const ws = workspace();
    ws.setDiskFile('file:///ws/chart/templates/np.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}\n');
    ws.setDiskFile('file:///ws/half.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  labels: {');
    ws.setDiskFile('file:///ws/binary.yaml', '\u0000\u0001\u0002\uFFFD\u0007PNG\r\n');
    ws.setDiskFile('file:///ws/empty.yaml', '');
    const diagnostics = workspaceDiagnostics(ws.snapshot());
    expect(diagnostics.get('file:///ws/half.yaml')!.map((d) => d.code)).toContain('invalid-manifest');
    expect(diagnostics.get(POLICY_URI)!.map((d) => d.code)).toContain('port-not-served');
  });

  it('honours the config file: ignore globs, rule severities, its own mistakes at their place', () => {
    const ws = workspace();
    ws.setConfigFile({ uri: 'file:///ws/.kubereach.yaml', text: 'ignore: ["web-*.yaml"]\nrules:\n  port-not-served: error\n  no-such-rule: off\n' });
    const diagnostics = workspaceDiagnostics(ws.snapshot());
    expect(diagnostics.has(EGRESS_URI)).toBe(false);
    expect(diagnostics.get(POLICY_URI)!.find((d) => d.code === 'port-not-served')!.severity).toBe(DiagnosticSeverity.Error);
    expect(diagnostics.get('file:///ws/.kubereach.yaml')).toMatchObject([{ range: { start: { line: 3, character: 2 } }, message: expect.stringContaining('no-such-rule') as unknown }]);
  });

  it('applies editor settings and names the invalid ones', () => {
    const ws = workspace();
    expect(ws.setSettings({ rules: { 'port-not-served': 'off', 'nope': 'error', 'half-open-path': 'loud' }, profile: 'calico', configFile: 3 })).toEqual([
      'kubereach.rules: unknown rule "nope"',
      'kubereach.rules.half-open-path: expected off, info, warn or error',
      'kubereach.configFile must be a string',
    ]);
    expect(ws.settings.profile).toBe('calico');
    expect(workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.map((d) => d.code)).not.toContain('port-not-served');
    expect(ws.setSettings({ profile: 'no-such-plugin' })[0]).toMatch(/^kubereach\.profile: unknown network plugin/);
    expect(ws.setSettings('nonsense')).toEqual(['kubereach settings must be an object']);
  });
});

describe('code actions', () => {
  it("offers the rule's fix and a suppression comment above the finding, indented like its line", () => {
    const snapshot = workspace().snapshot();
    const at = positionOf(POLICY, 'egress:');
    const actions = codeActions(snapshot, POLICY_URI, { start: at, end: at });
    expect(actions.map((a) => a.title)).toEqual(['Fix: add Egress to policyTypes', 'Suppress policy-types-ignore-rules on this line']);
    const afterIngress = positionOf(POLICY, ']');
    expect(actions[0]!.edit).toEqual({ changes: { [POLICY_URI]: [{ range: { start: afterIngress, end: afterIngress }, newText: ', Egress' }] } });
    expect(actions[1]!.edit).toEqual({
      changes: { [POLICY_URI]: [{ range: { start: { line: at.line, character: 0 }, end: { line: at.line, character: 0 } }, newText: '  # kubereach-disable-next-line policy-types-ignore-rules -- TODO: reason\n' }] },
    });
  });

  it('a suppression inserted by the action silences the finding', () => {
    const ws = workspace();
    const at = positionOf(POLICY, 'port: 80');
    const action = codeActions(ws.snapshot(), POLICY_URI, { start: at, end: at }).find((a) => a.title === 'Suppress port-not-served on this line')!;
    const edit = action.edit!.changes![POLICY_URI]![0]!;
    const lines = POLICY.split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.slice(0, -1));
    expect(edit.newText).toBe('        # kubereach-disable-next-line port-not-served -- TODO: reason\n');
    ws.openDocument(POLICY_URI, lines.join('\n'));
    const codes = workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.map((d) => d.code);
    expect(codes).not.toContain('port-not-served');
    expect(codes).not.toContain('unused-suppression');
  });
});

describe('code actions in other files', () => {
  const at = positionOf(POLICY, 'port: 80');
  const titles = (ws: Workspace, uri: string, languageId?: string) => codeActions(ws.snapshot(), uri, { start: at, end: at }, languageId).map((a) => a.title);

  it('offers no suppression comment in JSON, which has none, by extension or by language id', () => {
    const ws = workspace();
    ws.openDocument('file:///ws/policy.json', POLICY.replace('api-ingress', 'api-ingress-json'));
    ws.openDocument('untitled:Untitled-1', POLICY.replace('api-ingress', 'api-ingress-2'));
    expect(titles(ws, POLICY_URI)).toContain('Suppress port-not-served on this line');
    expect(titles(ws, 'file:///ws/policy.json').filter((t) => t.startsWith('Suppress'))).toEqual([]);
    expect(titles(ws, 'untitled:Untitled-1', 'json').filter((t) => t.startsWith('Suppress'))).toEqual([]);
    expect(titles(ws, 'untitled:Untitled-1', 'yaml')).toContain('Suppress port-not-served on this line');
  });

  it("ends the suppression comment with the file's own line break, so a CRLF file stays CRLF and the finding goes", () => {
    const ws = workspace();
    const crlf = POLICY.replaceAll('\n', '\r\n');
    ws.openDocument(POLICY_URI, crlf);
    const action = codeActions(ws.snapshot(), POLICY_URI, { start: at, end: at }).find((a) => a.title === 'Suppress port-not-served on this line')!;
    const edited = TextDocument.applyEdits(TextDocument.create(POLICY_URI, 'yaml', 1, crlf), action.edit!.changes![POLICY_URI]!);
    expect(edited.replaceAll('\r\n', '')).not.toContain('\n');
    ws.openDocument(POLICY_URI, edited);
    const codes = workspaceDiagnostics(ws.snapshot()).get(POLICY_URI)!.map((d) => d.code);
    expect(codes).not.toContain('port-not-served');
    expect(codes).not.toContain('unused-suppression');
  });

  it("lints the document's own file for its actions, not the workspace", () => {
    const snapshot = workspace().snapshot();
    const whole = vi.spyOn(snapshot, 'findings', 'get');
    expect(codeActions(snapshot, POLICY_URI, { start: at, end: at }).length).toBeGreaterThan(0);
    expect(whole).not.toHaveBeenCalled();
  });
});

describe('positions', () => {
  it('reads a character past the end of its line as the end of that line, never a place on a later line (LSP 3.17)', () => {
    const snapshot = workspace().snapshot();
    const line = positionOf(WORKLOADS, 'name: api').line;
    const text = hover(snapshot, WORKLOADS_URI, { line, character: 300 });
    expect(typeof text?.contents === 'object' && 'value' in text.contents ? text.contents.value : '').toMatch(/^\*\*shop\/api\[Deployment\]\*\*/);
    const { positions } = snapshot;
    const file = snapshot.fileOf(WORKLOADS_URI);
    expect(positions.offset(file, { line, character: 300 })).toBe(WORKLOADS.indexOf('name: api') + 'name: api'.length);
    expect(positions.offset(file, { line: 10_000, character: 3 })).toBe(WORKLOADS.length);
    expect(positions.offset(file, { line: -1, character: -1 })).toBe(0);
    // A CRLF line ends before its \r.
    const crlf = 'a: 1\r\nb: 2\r\n';
    const ws = new Workspace();
    ws.openDocument('untitled:crlf', crlf);
    expect(ws.snapshot().positions.offset('untitled:crlf', { line: 0, character: 99 })).toBe(4);
  });
});

describe('hover', () => {
  it('on a policy: the workloads it selects and what it allows', () => {
    const text = hoverText(workspace(), POLICY_URI, POLICY, 'api-ingress');
    expect(text).toContain('**NetworkPolicy shop/api-ingress** selects 1 workload:\n\n- `shop/api[Deployment]`');
    expect(text).toContain('rule 1: from 1 peer on TCP 80');
    expect(text).toContain('admits 1 path on its side');
  });

  it('on selectors, rules and peers: what they match', () => {
    const ws = workspace();
    expect(hoverText(ws, POLICY_URI, POLICY, 'matchLabels: {app: api}')).toContain('**podSelector** of shop/api-ingress selects 1 workload:\n\n- `shop/api[Deployment]`');
    expect(hoverText(ws, POLICY_URI, POLICY, 'podSelector: {matchLabels: {app: web}}')).toContain('**peer** matches 1 workload:\n\n- `shop/web[Deployment]`');
    expect(hoverText(ws, POLICY_URI, POLICY, 'ports:')).toContain('**ingress rule 1** of shop/api-ingress: from 1 endpoint on TCP 80');
  });

  it('on a workload: who reaches it and whom it reaches; on a Service: the workloads it selects', () => {
    const ws = workspace();
    const api = hoverText(ws, WORKLOADS_URI, WORKLOADS, 'name: api');
    expect(api).toContain('ingress: `shop/api-ingress`; egress: not isolated');
    expect(api).toContain('**reached by** 0 endpoints');
    const web = hoverText(ws, WORKLOADS_URI, WORKLOADS, 'name: web');
    expect(web).toContain('**reached by** 2 endpoints:\n\n- `shop/api[Deployment]`: All Connections\n- `0.0.0.0-255.255.255.255`: All Connections');
    expect(web).toContain('**reaches** 0 endpoints:\n\n- none');
    expect(hoverText(ws, WORKLOADS_URI, WORKLOADS, 'targetPort')).toContain('**Service shop/api** selects 1 workload:\n\n- `shop/api[Deployment]`');
    expect(hover(ws.snapshot(), WORKLOADS_URI, { line: 500, character: 0 })).toBeUndefined();
  });
});

describe('code lens, navigation, reports', () => {
  it('puts a lens on each policy', () => {
    expect(codeLenses(workspace().snapshot(), POLICY_URI)).toEqual([
      { range: rangeOf(POLICY, 'api-ingress'), command: { title: 'selects 1 workload, admits 1 path', command: '' } },
    ]);
  });

  it('hovers and lenses Calico policies: where they sit, what they apply to, and when the plugin ignores them', () => {
    const uri = 'file:///ws/calico.yaml';
    const calico = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: guard-api}\nspec:\n  order: 10\n  selector: app == 'api'\n  ingress:\n  - {action: Deny, protocol: UDP}\n  - {action: Pass}\n";
    const ws = workspace();
    ws.openDocument(uri, calico);
    const text = hoverText(ws, uri, calico, 'guard-api');
    expect(text).toContain('**GlobalNetworkPolicy/guard-api** (tier `default`, order 10) applies to 1 workload:\n\n- `shop/api[Deployment]`');
    expect(text).toContain("**ingress**: 1. Deny, 2. Pass; then the tier's default action (Deny)");
    expect(codeLenses(ws.snapshot(), uri)).toEqual([{ range: rangeOf(calico, 'guard-api'), command: { title: 'applies to 1 workload (tier default)', command: '' } }]);
    expect(ws.setSettings({ profile: 'cilium' })).toEqual([]);
    expect(hoverText(ws, uri, calico, 'guard-api')).toBe('**GlobalNetworkPolicy/guard-api** (tier `default`, order 10) is ignored: Cilium does not enforce Calico policies');
    expect(codeLenses(ws.snapshot(), uri)[0]!.command!.title).toBe('ignored by the network plugin');
  });

  it("takes the network plugin of .kubereach.yaml, the editor's profile setting winning over it", () => {
    const ws = workspace();
    expect(ws.snapshot().analysis.cni.profile.id).toBe('generic');
    ws.setConfigFile({ uri: 'file:///ws/.kubereach.yaml', text: 'cni: kubenet\n' });
    expect(ws.snapshot().analysis.cni.profile.id).toBe('kubenet');
    expect(ws.setSettings({ profile: 'cilium' })).toEqual([]);
    expect(ws.snapshot().analysis.cni.profile.id).toBe('cilium');
  });

  it('goes from a selector to the matched workloads, and from a workload back to the selectors', () => {
    const snapshot = workspace().snapshot();
    const apiName = { uri: WORKLOADS_URI, range: rangeOf(WORKLOADS, 'api', 1) };
    expect(definitions(snapshot, POLICY_URI, positionOf(POLICY, 'matchLabels: {app: api}'))).toEqual([apiName]);
    expect(definitions(snapshot, WORKLOADS_URI, positionOf(WORKLOADS, 'selector: {app: api}'))).toEqual([apiName]);
    expect(references(snapshot, WORKLOADS_URI, positionOf(WORKLOADS, 'name: api'))).toEqual([
      { uri: POLICY_URI, range: { start: positionOf(POLICY, 'matchLabels: {app: api}'), end: { line: 7, character: 27 } } },
      { uri: EGRESS_URI, range: { start: positionOf(EGRESS, 'podSelector: {matchLabels: {app: api}}'), end: { line: 11, character: 48 } } },
    ]);
  });

  it('answers the matrix and explains a path with places', () => {
    const snapshot = workspace().snapshot();
    const result = matrix(snapshot, {});
    expect(result.nodes.map((n) => n.id)).toEqual(['0.0.0.0-255.255.255.255', 'shop/api[Deployment]', 'shop/web[Deployment]']);
    expect(result.rows).toContainEqual({ source: 'shop/api[Deployment]', destination: '0.0.0.0-255.255.255.255', connections: 'All Connections' });
    expect(matrix(snapshot, { granularity: 'namespace' }).nodes.map((n) => n.id)).toEqual(['0.0.0.0-255.255.255.255', 'shop']);
    const explained = explain(snapshot, { source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]' });
    expect(explained).toMatchObject({ found: true, verdict: 'shop/web[Deployment] => shop/api[Deployment]: DENIED' });
    // The CLI's words, each line linked to its place: the policy's isolating direction, the rule.
    expect(explained.found && explained.lines).toEqual([
      { text: 'egress of shop/web[Deployment]: isolated by 1 policy: allows TCP 8080' },
      { text: '  policy shop/web-egress (policyTypes lists Egress)', location: { uri: EGRESS_URI, ...positionOf(EGRESS, 'Egress]') } },
      { text: '    egress rule 1 allows TCP 8080', location: { uri: EGRESS_URI, ...positionOf(EGRESS, 'to:') } },
      { text: 'ingress of shop/api[Deployment]: isolated by 1 policy: allows TCP 80' },
      { text: '  policy shop/api-ingress (policyTypes lists Ingress)', location: { uri: POLICY_URI, ...positionOf(POLICY, 'Ingress]') } },
      { text: '    ingress rule 1 allows TCP 80', location: { uri: POLICY_URI, ...positionOf(POLICY, 'from:') } },
    ]);
    expect(explain(snapshot, { source: 'nope', destination: 'shop/api[Deployment]' })).toEqual({ found: false, message: 'no endpoint nope in the workspace' });
  });

  it("explains a path through Calico's tiers, as the CLI does", () => {
    const ws = workspace();
    const gnp = "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: deny-web}\nspec:\n  order: 10\n  selector: app == 'api'\n  types: [Ingress]\n  ingress: [{action: Deny, source: {selector: app == 'web'}}]\n";
    const uri = 'file:///ws/calico.yaml';
    ws.setDiskFile(uri, gnp);
    const explained = explain(ws.snapshot(), { source: 'shop/web[Deployment]', destination: 'shop/api[Deployment]' });
    const lines = explained.found ? explained.lines : [];
    expect(lines.slice(lines.findIndex((l) => l.text.startsWith('ingress of')))).toEqual([
      { text: 'ingress of shop/api[Deployment]: Calico tiers decide: allows No Connections' },
      { text: "  tier 'default': GlobalNetworkPolicy 'deny-web' denies All Connections (ingress rule 1)", location: { uri, ...positionOf(gnp, '{action: Deny') } },
    ]);
  });
});
