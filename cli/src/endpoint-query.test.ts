import { describe, expect, it } from 'vitest';
import { analyze } from '@kubereach/core';
import { findEndpoint } from './endpoint-query.js';

const pod = (namespace: string, name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {containers: [{name: c, image: x}]}\n`;
const deployment = (namespace: string, name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}\n`;
const policy = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]\n`;

const { result } = analyze([
  { path: 'x.yaml', text: [pod('default', 'web'), pod('shop', 'web'), deployment('shop', 'api'), pod('shop', 'api'), policy].join('---\n') },
]);
const found = (query: string) => {
  const lookup = findEndpoint(result, query, 'default');
  return 'endpoint' in lookup ? lookup.endpoint.id : `error: ${lookup.error}`;
};

describe('findEndpoint', () => {
  it.each([
    ['shop/api[Deployment]', 'shop/api[Deployment]'],
    ['shop/api[pod]', 'shop/api[Pod]'],
    ['deployment/api', 'shop/api[Deployment]'],
    ['shop/web', 'shop/web[Pod]'],
    ['web', 'default/web[Pod]'],
    ['10.2.3.4', '10.0.0.0-10.255.255.255'],
    ['8.8.8.8', '0.0.0.0-9.255.255.255'],
  ])('%s is %s', (query, id) => {
    expect(found(query)).toBe(id);
  });

  it("reads a pod's address (status.podIP) as that pod, and an address several pods share as ambiguous", () => {
    const withIp = (name: string, status: string, spec = '') =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop}\nspec: {${spec}containers: [{name: c, image: x}]}\nstatus: ${status}\n`;
    const addressed = analyze([
      {
        path: 'x.yaml',
        text: [withIp('db', '{podIP: 10.1.2.3}'), withIp('n1', '{podIP: 192.168.0.5}', 'hostNetwork: true, '), withIp('n2', '{podIP: 192.168.0.5}', 'hostNetwork: true, '), policy].join('---\n'),
      },
    ]).result;
    expect(findEndpoint(addressed, '10.1.2.3', 'default')).toMatchObject({ endpoint: { id: 'shop/db[Pod]' }, note: '10.1.2.3 is the address of shop/db[Pod] (its status.podIP)' });
    expect(findEndpoint(addressed, '10.1.2.4', 'default')).toMatchObject({ endpoint: { id: '10.0.0.0-10.255.255.255' } });
    expect(findEndpoint(addressed, '192.168.0.5', 'default')).toEqual({ error: '192.168.0.5 is the address of several pods: shop/n1[Pod], shop/n2[Pod]' });
  });

  it('says when a name is ambiguous, unknown or unreadable', () => {
    expect(found('shop/api')).toBe('error: "shop/api" is ambiguous: shop/api[Deployment], shop/api[Pod]');
    expect(found('ap')).toBe('error: no workload matches "ap"; did you mean shop/api[Deployment], shop/api[Pod]?');
    expect(found('a/b/c')).toMatch(/^error: cannot read endpoint/);
    expect(found('2001:db8::1')).toMatch(/^error: no external range holds 2001:db8::1/);
  });
});
