import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { buildMatrix, streamMatrix } from './matrix.js';

const pod = (namespace: string, name: string, labels: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {${labels}}}\nspec: {containers: [{name: c, image: x}]}\n`;
const text = [
  pod('shop', 'web-1', 'app: web, pod: one'),
  pod('shop', 'web-2', 'app: web, pod: two'),
  pod('shop', 'db', 'app: db'),
  pod('shop', 'cache', 'app: cache'),
  pod('ops', 'probe', 'app: probe'),
  // Only `app: db` is named, so web, cache and probe differ in a value no selector tells apart.
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchExpressions: [{key: app, operator: Exists}]}}], ports: [{port: 5432}]}]\n',
].join('---\n');
const result = analyze([{ path: 'x.yaml', text }]).result;
const lines = (granularity: 'workload' | 'class' | 'namespace') =>
  buildMatrix(result, granularity).rows.map(
    (r) => `${r.source.id} => ${r.destination.id} : ${r.connections.toString()}`,
  );

describe('matrix granularities', () => {
  it('names classes by namespace and the labels selectors tell apart, and lists their members', () => {
    const nodes = buildMatrix(result, 'class').nodes.filter((n) => n.kind === 'class');
    expect(nodes.map((n) => [n.id, n.members])).toEqual([
      ['ops/{app=*}', ['ops/probe[Pod]']],
      ['shop/{app=*}', ['shop/cache[Pod]', 'shop/web-1[Pod]', 'shop/web-2[Pod]']],
      ['shop/{app=db}', ['shop/db[Pod]']],
    ]);
  });

  it('lists a class to itself when two members may talk, a lone member never', () => {
    expect(lines('class')).toContain('shop/{app=*} => shop/{app=*} : All Connections');
    expect(lines('class').some((l) => l.startsWith('shop/{app=db} => shop/{app=db}'))).toBe(false);
    expect(lines('class')).toContain('shop/{app=*} => shop/{app=db} : TCP 5432');
  });

  it('expands class rows to exactly the workload rows', () => {
    const byClass = buildMatrix(result, 'class');
    const expanded = byClass.rows.flatMap((row) =>
      (row.source.members ?? [row.source.id]).flatMap((s) =>
        (row.destination.members ?? [row.destination.id])
          .filter((d) => d !== s)
          .map((d) => `${s} => ${d} : ${row.connections.toString()}`),
      ),
    );
    expect(expanded.sort()).toEqual(lines('workload').sort());
    expect(lines('workload')).toEqual(
      [...result.connections()]
        .map((c) => `${c.source.id} => ${c.destination.id} : ${c.connections.toString()}`)
        .sort(),
    );
  });

  it('streams rows anew on every iteration, sorted by source then destination', () => {
    const stream = streamMatrix(result, 'namespace');
    const first = [...stream.rows].map((r) => `${r.source.id} => ${r.destination.id}`);
    expect([...stream.rows].map((r) => `${r.source.id} => ${r.destination.id}`)).toEqual(first);
    expect(first).toEqual([...first].sort());
    expect(first).toContain('shop => shop');
  });

  it('keeps apart workloads that only a layered (admin) policy tells apart', () => {
    const admin = `${text}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-to-web-1}
spec:
  priority: 1
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {pod: one}}}}
  ingress: [{action: Deny, from: [{namespaces: {}}]}]
`;
    const layered = analyze([{ path: 'x.yaml', text: admin }]).result;
    const pairs: string[] = [];
    for (const source of layered.endpoints) {
      for (const destination of layered.endpoints) {
        if (source === destination) continue;
        const connections = layered.allowed(source, destination);
        if (!connections.isEmpty) pairs.push(`${source.id} => ${destination.id} : ${connections.toString()}`);
      }
    }
    const rows = buildMatrix(layered).rows.map(
      (r) => `${r.source.id} => ${r.destination.id} : ${r.connections.toString()}`,
    );
    expect(rows).toEqual(pairs.sort());
    expect(rows.some((r) => r.includes('=> shop/web-1[Pod]') && !r.startsWith('0.'))).toBe(false);
    const classOfWeb1 = buildMatrix(layered, 'class').nodes.find((n) =>
      n.members?.includes('shop/web-1[Pod]'),
    );
    expect(classOfWeb1?.members).toEqual(['shop/web-1[Pod]']);
  });
});
