// The resources read from a live cluster: names that tell their objects apart, versions that discovery chooses among.
import { describe, expect, it } from 'vitest';
import { CLUSTER_RESOURCES, objectKind } from './resources.js';

describe('CLUSTER_RESOURCES', () => {
  it('qualify a custom kind by its group where a built-in kind has its name, so that no two live objects share a name', () => {
    const names = CLUSTER_RESOURCES.map(objectKind);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('NetworkPolicy');
    expect(names).toContain('NetworkPolicy.crd.projectcalico.org');
    expect(names).toContain('GlobalNetworkPolicy');
  });

  it('read a required resource in its one version, and look optional ones up in named groups, where discovery finds them', () => {
    expect(CLUSTER_RESOURCES.filter((resource) => !resource.optional && resource.versions.length !== 1)).toEqual([]);
    expect(CLUSTER_RESOURCES.filter((resource) => resource.optional && resource.group === '')).toEqual([]);
  });
});
