// A Service port as the API server stores it (SetDefaults_Service, pkg/apis/core/v1/defaults.go): protocol "" is TCP,
// targetPort 0 or "" is the port; a Service the server rejects is not in the model.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { buildServiceModel } from './services.js';

const text = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop, labels: {app: x}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n',
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: s, namespace: shop}',
    'spec:',
    '  selector: {app: x}',
    '  ports:',
    '  - {name: absent, port: 80}',
    '  - {name: zero, port: 81, targetPort: 0}',
    '  - {name: empty, port: 82, targetPort: ""}',
    '  - {name: written, port: 83, targetPort: 80}',
    '  - {name: no-protocol, port: 84, protocol: ""}',
    '',
  ].join('\n'),
  // Rejected: "8080" in quotes is a port name, and a port name needs a letter.
  'apiVersion: v1\nkind: Service\nmetadata: {name: quoted, namespace: shop}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: "8080"}]}\n',
].join('---\n');

const analysis = analyze([{ path: 't.yaml', text }]);
const { services } = buildServiceModel(analysis.load.objects, analysis.model);

/** The text a location points at. */
const at = (range: { start: number; end: number }) => text.slice(range.start, range.end);

describe('Service port defaults', () => {
  it('reads targetPort 0 or "" as the port, pointing at it, and protocol "" as TCP', () => {
    expect(services.map((s) => s.id)).toEqual(['shop/s']);
    expect(
      services[0]!.ports.map((p) => [p.name, p.protocol, p.port, p.targetPort, at(p.targetPortLocation.range), p.backends.map((b) => b.targetPort)]),
    ).toEqual([
      ['absent', 'TCP', 80, 80, '80', [80]],
      ['zero', 'TCP', 81, 81, '81', [81]],
      ['empty', 'TCP', 82, 82, '82', [82]],
      ['written', 'TCP', 83, 80, '80', [80]],
      ['no-protocol', 'TCP', 84, 84, '84', [84]],
    ]);
  });

  it('leaves out a Service the API server rejects', () => {
    expect(analysis.load.objects.filter((o) => o.kind === 'Service').map((o) => [o.name, o.rejected])).toEqual([
      ['s', false],
      ['quoted', true],
    ]);
  });
});
