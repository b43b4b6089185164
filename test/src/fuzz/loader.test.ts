// Fuzzing the loader: no input throws or hangs, every issue lies inside its file, one broken document hides no other.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, loadManifests, type InputIssue, type LoadResult } from '@kubereach/core';
import { CASE_TIME_LIMIT_MS, CORPUS, issueProblems, PROPERTY_TIMEOUT_MS, RUNS } from './fuzz-settings.js';
import { mutatedManifest, yamlSoup } from './yaml-arbitraries.js';

/** Loads and analyses one file, checking the contract; returns the load result. */
function checkedLoad(text: string): LoadResult {
  const started = performance.now();
  const analysis = analyze([{ path: 'fuzz.yaml', text }]);
  const elapsed = performance.now() - started;
  expect(elapsed).toBeLessThan(CASE_TIME_LIMIT_MS);
  expect(issueProblems(analysis.issues, new Map([['fuzz.yaml', text]]))).toEqual([]);
  return analysis.load;
}

const key = (issue: InputIssue): string => `${issue.code}@${issue.location.range.start}-${issue.location.range.end}`;

describe('fuzz: loader', () => {
  it('takes every corpus file without throwing, with every issue inside the file', () => {
    for (const text of CORPUS.values()) checkedLoad(text);
  });

  it(
    'survives token soups',
    () => {
      fc.assert(fc.property(yamlSoup, (text) => void checkedLoad(text)), { numRuns: RUNS });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'survives mutated real-world manifests',
    () => {
      fc.assert(fc.property(mutatedManifest, (text) => void checkedLoad(text)), { numRuns: RUNS });
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a broken document after a good one hides none of its objects and issues',
    () => {
      const good = [...CORPUS.values()].filter((text) => !text.includes('{{'));
      // Templates are the one exception by design: an unrendered template makes the whole file one issue.
      const broken = fc.oneof(yamlSoup, mutatedManifest).filter((text) => !text.includes('{{'));
      fc.assert(
        fc.property(fc.constantFrom(...good), broken, (first, second) => {
          const alone = loadManifests([{ path: 'f.yaml', text: first }]);
          const separator = first.endsWith('\n') ? '---\n' : '\n---\n';
          const together = loadManifests([{ path: 'f.yaml', text: `${first}${separator}${second}` }]);
          const ownObjects = together.objects.filter((o) => o.document.range.start < first.length);
          expect(ownObjects.map((o) => [o.kind, o.name])).toEqual(alone.objects.map((o) => [o.kind, o.name]));
          const togetherKeys = new Set(together.issues.map(key));
          expect(alone.issues.map(key).filter((k) => !togetherKeys.has(k))).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a broken file hides nothing of another file',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...CORPUS.values()), fc.oneof(yamlSoup, mutatedManifest), (good, broken) => {
          const alone = loadManifests([{ path: 'good.yaml', text: good }]);
          const together = loadManifests([
            { path: 'broken.yaml', text: broken },
            { path: 'good.yaml', text: good },
          ]);
          const fromGood = together.issues.filter((issue) => issue.location.file === 'good.yaml' && issue.code !== 'duplicate-name');
          expect(fromGood.map(key)).toEqual(alone.issues.filter((issue) => issue.code !== 'duplicate-name').map(key));
        }),
        { numRuns: RUNS },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
