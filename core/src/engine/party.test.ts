import { describe, expect, it } from 'vitest';
import { ConnectionSet } from '../semantics/connection-set.js';
import { compileSelector } from '../semantics/label-selector.js';
import type { SourceLocation } from '../source/source.js';
import {
  exactLabels,
  foldUncertain,
  selectorTruth,
  unknownNamespaceLabels,
  UNKNOWN_LABELS,
  type UncertainStep,
  type UncertainTier,
} from './party.js';

describe('Kubernetes label selectors over labels known in part', () => {
  const truth = (
    selector: Parameters<typeof compileSelector>[0],
    labels: Parameters<typeof selectorTruth>[1],
  ) => selectorTruth(compileSelector(selector), labels);

  it('decides as selectorMatches on labels known whole', () => {
    expect(truth({ matchLabels: { app: 'a' } }, exactLabels({ app: 'a' }))).toBe(true);
    expect(
      truth({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, exactLabels({ app: 'a' })),
    ).toBe(true);
    expect(
      truth(
        { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] },
        exactLabels({ app: 'a' }),
      ),
    ).toBe(false);
  });

  it('leaves every requirement on an unknown key undecided, but those no label set can satisfy or fail', () => {
    expect(truth({}, UNKNOWN_LABELS)).toBe(true);
    expect(truth({ matchLabels: { app: 'a' } }, UNKNOWN_LABELS)).toBe('maybe');
    // NotIn and DoesNotExist hold for a pod lacking the key, and fail for one that has it.
    expect(
      truth({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, UNKNOWN_LABELS),
    ).toBe('maybe');
    expect(truth({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, UNKNOWN_LABELS)).toBe(
      'maybe',
    );
    // One requirement surely failing decides the selector.
    expect(
      truth(
        { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'x', operator: 'In', values: [] }] },
        UNKNOWN_LABELS,
      ),
    ).toBe(false);
  });

  it('knows that a namespace not known carries its name label, with none of the names it is known not to have', () => {
    const outside = unknownNamespaceLabels(['shop']);
    const name = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values: string[] = []) =>
      truth({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator, values }] }, outside);
    expect(name('Exists')).toBe(true);
    expect(name('DoesNotExist')).toBe(false);
    expect(name('In', ['shop'])).toBe(false);
    expect(name('NotIn', ['shop'])).toBe(true);
    expect(name('In', ['shop', 'other'])).toBe('maybe');
    expect(truth({ matchLabels: { env: 'prod' } }, outside)).toBe('maybe');
  });
});

describe('the three-valued tier walk', () => {
  const at: SourceLocation = { file: 't.yaml', range: { start: 0, end: 0 } };
  const tcp = (port: number) => ConnectionSet.ports('TCP', port);
  const step = (
    action: UncertainStep['action'],
    connections: ConnectionSet,
    surely: boolean,
    rule = 0,
  ): UncertainStep => ({
    action,
    sure: surely ? connections : ConnectionSet.NONE,
    possible: connections,
    origin: { policy: 'p', rule, location: at },
  });
  const tier = (defaultPass: boolean, ...steps: UncertainStep[]): UncertainTier => ({
    name: 't',
    defaultPass,
    policies: [{ id: 'p', location: at }],
    steps,
  });
  const bounds = (...tiers: UncertainTier[]) => {
    const { sure, possible } = foldUncertain(tiers);
    return { sure: sure.toString(), possible: possible.toString() };
  };

  it('allows everything without tiers, and follows sure matches as a first-match walk does', () => {
    expect(bounds()).toEqual({ sure: 'All Connections', possible: 'All Connections' });
    expect(bounds(tier(false, step('allow', tcp(80), true)))).toEqual({ sure: 'TCP 80', possible: 'TCP 80' });
    expect(bounds(tier(true, step('deny', tcp(80), true)))).toEqual({
      sure: ConnectionSet.ALL.subtract(tcp(80)).toString(),
      possible: ConnectionSet.ALL.subtract(tcp(80)).toString(),
    });
  });

  it('takes a rule that may match as allowing or denying in some placements only', () => {
    // A deny that may match: the port is possibly, not surely, allowed.
    expect(bounds(tier(false, step('deny', tcp(53), false), step('allow', tcp(53), true)))).toEqual({
      sure: 'No Connections',
      possible: 'TCP 53',
    });
    // An allow that may match before a dropping default: the same bounds.
    expect(bounds(tier(false, step('allow', tcp(53), false)))).toEqual({
      sure: 'No Connections',
      possible: 'TCP 53',
    });
    // A sure allow decides before a deny that may match.
    expect(bounds(tier(false, step('allow', tcp(53), true), step('deny', tcp(53), false)))).toEqual({
      sure: 'TCP 53',
      possible: 'TCP 53',
    });
  });

  it('passes what a pass rule may decide to the next tier, and records what decided', () => {
    const verdict = foldUncertain([
      tier(false, step('pass', tcp(53), false, 0), step('allow', tcp(53), true, 1)),
      tier(false, step('deny', tcp(53), true, 2)),
    ]);
    expect({ sure: verdict.sure.toString(), possible: verdict.possible.toString() }).toEqual({
      sure: 'No Connections',
      possible: 'TCP 53',
    });
    expect(
      verdict.decisions.map((d) => [d.origin?.rule, d.action, d.connections.toString(), d.certain]),
    ).toEqual([
      // The allow and the deny decide TCP 53 only where the pass did not, or did: neither is certain.
      [0, 'pass', 'TCP 53', false],
      [1, 'allow', 'TCP 53', false],
      [undefined, 'end-of-tier-deny', ConnectionSet.ALL.subtract(tcp(53)).toString(), true],
      [2, 'deny', 'TCP 53', false],
    ]);
    // A sure pass: the next tier's deny is certain; a default reached only in some outcomes is not.
    const sure = foldUncertain([
      tier(false, step('pass', tcp(53), true, 0)),
      tier(false, step('deny', tcp(53), true, 1)),
    ]);
    expect(sure.decisions.map((d) => [d.origin?.rule, d.action, d.certain])).toEqual([
      [0, 'pass', true],
      [undefined, 'end-of-tier-deny', true],
      [1, 'deny', true],
    ]);
    const maybe = foldUncertain([tier(false, step('allow', tcp(53), false, 0))]);
    expect(maybe.decisions.map((d) => [d.action, d.connections.toString(), d.certain])).toEqual([
      ['allow', 'TCP 53', false],
      ['end-of-tier-deny', 'All Connections', false],
    ]);
  });
});
