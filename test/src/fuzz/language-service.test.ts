// Fuzzing the language service: garbage open next to a good file throws nothing, hangs nothing, and changes nothing of the good file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { workspaceDiagnostics, Workspace } from '@kubereach/lsp';
import { CASE_TIME_LIMIT_MS, locationProblem, PROPERTY_TIMEOUT_MS, RUNS } from './fuzz-settings.js';
import { mutatedManifest, yamlSoup } from './yaml-arbitraries.js';

const GOOD_URI = 'file:///ws/good.yaml';
const GARBAGE_URI = 'file:///ws/garbage.yaml';

/** Objects in a namespace of their own, with no policy: nothing the garbage declares can select or name them. */
const GOOD = `apiVersion: v1
kind: Namespace
metadata:
  name: fuzz-good
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: fuzz-good
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web
          ports: [{containerPort: 8080, name: http}]
`;

type Diagnostics = ReturnType<typeof workspaceDiagnostics>;

/** Applies one edit, then analyses within the time limit and checks every range; returns the diagnostics. */
function checkedDiagnostics(ws: Workspace, edit: () => void): Diagnostics {
  const started = performance.now();
  edit();
  const snapshot = ws.snapshot();
  const diagnostics = workspaceDiagnostics(snapshot);
  expect(performance.now() - started).toBeLessThan(CASE_TIME_LIMIT_MS);

  const texts = new Map(ws.analyzedUris().map((uri) => [uri, ws.textOf(uri) ?? '']));
  // Core's offsets, before the conversion clamps them into the text.
  const locations = snapshot.findings.flatMap((finding) => [finding.location, ...finding.related.map((r) => r.location)]);
  expect(locations.flatMap((location) => locationProblem(location, texts) ?? [])).toEqual([]);
  for (const [uri, list] of diagnostics) {
    const text = texts.get(uri);
    expect(text, `diagnostics for ${uri}, which is not in the workspace`).toBeDefined();
    for (const diagnostic of list) {
      for (const range of [diagnostic.range, ...(diagnostic.relatedInformation ?? []).map((r) => r.location.range)]) {
        expect(rangeProblem(range, text ?? '')).toBeUndefined();
      }
    }
  }
  return diagnostics;
}

/**
 * A problem, or undefined: the range is ordered and both ends lie on a line of the text, in UTF-16 code units.
 * Lines end at \n, as the service counts them (a CRLF's \r counts as the line's last character, which clients clamp).
 */
function rangeProblem(range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): string | undefined {
  const lines = text.split('\n').map((line) => line.length);
  const inside = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line < lines.length && p.character <= lines[p.line]!;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return inside(range.start) && inside(range.end) && ordered ? undefined : `range ${JSON.stringify(range)} outside the document (line lengths ${lines.join(',')})`;
}

function goodWorkspace(): Workspace {
  const ws = new Workspace();
  ws.setDiskFile(GOOD_URI, GOOD);
  return ws;
}

const garbage = fc.oneof(yamlSoup, mutatedManifest);

describe('fuzz: language service', () => {
  const alone = checkedDiagnostics(goodWorkspace(), () => undefined).get(GOOD_URI);

  it('analyses the good file on its own', () => {
    expect(alone?.map((d) => d.code)).toContain('missing-default-deny');
  });

  it(
    'an open document of garbage, edited and closed, throws nothing, stays in its bounds and changes none of the good file’s diagnostics',
    () => {
      fc.assert(
        fc.property(garbage, garbage, (opened, changed) => {
          const ws = goodWorkspace();
          const afterOpen = checkedDiagnostics(ws, () => ws.openDocument(GARBAGE_URI, opened));
          expect(afterOpen.has(GARBAGE_URI)).toBe(true);
          expect(afterOpen.get(GOOD_URI)).toEqual(alone);
          const afterChange = checkedDiagnostics(ws, () => ws.openDocument(GARBAGE_URI, changed));
          expect(afterChange.get(GOOD_URI)).toEqual(alone);
          const afterClose = checkedDiagnostics(ws, () => ws.closeDocument(GARBAGE_URI));
          expect(afterClose.has(GARBAGE_URI)).toBe(false);
          expect(afterClose.get(GOOD_URI)).toEqual(alone);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
