// Property: on random small clusters the engine allows exactly what the brute-force reference evaluator allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '@kubereach/core';
import type { KubeObject } from '../reference/reference.js';
import { clusterArbitrary, DEFAULT_SHAPE, DISTINCT_LABELS_SHAPE, LARGE_CLASSES_SHAPE, SHARED_CLASSES_SHAPE, type ClusterShape } from './cluster-arbitraries.js';
import { compareWithReference, toYaml } from './compare-with-reference.js';

/** Runs can be raised for a longer soak: `PROPERTY_RUNS=5000 npx vitest run src/property --testTimeout=0`. */
const RUNS_OVERRIDE = Number(process.env['PROPERTY_RUNS'] ?? '0') || undefined;

function engineMatchesReference(objects: KubeObject[]): void {
  const { yaml, errors, disagreements } = compareWithReference(objects);
  if (errors.length > 0) throw new Error(`the loader reported errors on generated (valid) input:\n${errors.join('\n')}\n--- gen.yaml ---\n${yaml}`);
  if (disagreements.length > 0) {
    const shown = disagreements.slice(0, 12).join('\n');
    throw new Error(`${disagreements.length} disagreement(s):\n${shown}\n--- gen.yaml ---\n${yaml}`);
  }
}

function checkShape(shape: ClusterShape, numRuns: number): void {
  fc.assert(fc.property(clusterArbitrary(shape), engineMatchesReference), { numRuns: RUNS_OVERRIDE ?? numRuns });
}

describe('engine vs reference evaluator', () => {
  it('agree on small random clusters', () => {
    checkShape(DEFAULT_SHAPE, 500);
  });

  it('agree when many workloads share few labels (large equivalence classes)', () => {
    checkShape(SHARED_CLASSES_SHAPE, 100);
  });

  it('agree when classes hold several workloads each (few container port lists)', () => {
    checkShape(LARGE_CLASSES_SHAPE, 100);
  });

  it('agree when labels are mostly distinct (few shared classes)', () => {
    checkShape(DISTINCT_LABELS_SHAPE, 200);
  });

  it('generates clusters that exercise policies', () => {
    // Guards the generators: a property over clusters that compare nothing would pass vacuously.
    const samples = fc.sample(clusterArbitrary(DEFAULT_SHAPE), { numRuns: 200, seed: 1 });
    const withPolicies = samples.filter((objects) => objects.some((object) => object.kind === 'NetworkPolicy'));
    const comparedPairs = samples.map((objects) => compareWithReference(objects).pairs);
    expect(withPolicies.length).toBeGreaterThan(100);
    expect(comparedPairs.filter((pairs) => pairs > 0).length).toBeGreaterThan(150);
  });

  it('generates few large classes in one shape and many small ones in another', () => {
    // Guards the shapes: class-level output is only exercised when classes hold several workloads, and vice versa.
    const workloadsPerClass = (shape: ClusterShape) =>
      fc.sample(clusterArbitrary(shape), { numRuns: 50, seed: 3 }).map((objects) => {
        const { result } = analyze([{ path: 'gen.yaml', text: toYaml(objects) }]);
        return result.workloads.length / Math.max(1, result.classes.length);
      });
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(workloadsPerClass(LARGE_CLASSES_SHAPE))).toBeGreaterThan(2);
    expect(median(workloadsPerClass(DISTINCT_LABELS_SHAPE))).toBeLessThan(1.5);
  });
});
