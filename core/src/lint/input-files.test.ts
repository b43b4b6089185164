// Which file names a folder scan reads as manifests.
import { describe, expect, it } from 'vitest';
import { isManifestFileName } from './input-files.js';

describe('isManifestFileName', () => {
  it('reads .yaml, .yml and .json files whatever their case, and leaves the config file out', () => {
    expect(['a.yaml', 'a.YML', 'a.json'].map(isManifestFileName)).toEqual([true, true, true]);
    expect(['.kubereach.yaml', '.kubereach.yml', 'a.txt'].map(isManifestFileName)).toEqual([false, false, false]);
  });
});
