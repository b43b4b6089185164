// cleanObject and toSource: what of a live object becomes its input, and under which name.
import { describe, expect, it } from 'vitest';
import { cleanObject, parseClusterInputName, toSource } from './serialize.js';

describe('cleanObject', () => {
  it('keeps of a CustomResourceDefinition only what tells the network plugin: its group and names', () => {
    const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } };
    const item = {
      metadata: { name: 'networkpolicies.crd.projectcalico.org', uid: 'u', resourceVersion: '1' },
      spec: { group: 'crd.projectcalico.org', names: { kind: 'NetworkPolicy', plural: 'networkpolicies' }, scope: 'Namespaced', versions: [{ name: 'v1', schema }] },
      status: { storedVersions: ['v1'] },
    };
    expect(cleanObject(item, 'CustomResourceDefinition', 'apiextensions.k8s.io/v1')).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'networkpolicies.crd.projectcalico.org' },
      spec: { group: 'crd.projectcalico.org', names: { kind: 'NetworkPolicy', plural: 'networkpolicies' } },
    });
  });

  it("keeps of a status only a pod's addresses", () => {
    const status = { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] };
    expect(cleanObject({ metadata: { name: 'p' }, status }, 'Pod', 'v1').status).toEqual({ podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] });
    expect(cleanObject({ metadata: { name: 'p' }, status: { phase: 'Pending' } }, 'Pod', 'v1')).not.toHaveProperty('status');
    expect(cleanObject({ metadata: { name: 'd' }, status }, 'Deployment', 'apps/v1')).not.toHaveProperty('status');
  });
});

describe('toSource', () => {
  it('names the input after the object, which parseClusterInputName reads back, a kind qualified by its group too', () => {
    const object = { apiVersion: 'crd.projectcalico.org/v1', kind: 'NetworkPolicy', metadata: { name: 'allow', namespace: 'shop' } };
    const source = toSource('arn:aws:eks:eu-west-1:1:cluster/prod', 'NetworkPolicy.crd.projectcalico.org', object);
    expect(source.path).toBe('cluster:arn:aws:eks:eu-west-1:1:cluster/prod/NetworkPolicy.crd.projectcalico.org/shop/allow');
    expect(parseClusterInputName(source.path)).toEqual({
      context: 'arn:aws:eks:eu-west-1:1:cluster/prod',
      kind: 'NetworkPolicy.crd.projectcalico.org',
      namespace: 'shop',
      name: 'allow',
    });
    expect(source.text).toContain('kind: NetworkPolicy\n');
  });
});
