// kubectl's reading of plain scalars, case by case against go-yaml v2's resolve() (resolve.go): its map of booleans,
// nulls and special floats, its hint on the first character, underscores dropped, Go's ParseInt base 0, yamlStyleFloat.
import { describe, expect, it } from 'vitest';
import { kubectlReadsAsNonString, readAsKubectl, type KubectlReading } from './kubectl-yaml.js';

const number = (value: string, yaml11Only = false, octal = false, float = false): KubectlReading => ({
  kind: 'number',
  value,
  octal,
  yaml11Only,
  float,
});
const float = (value: string, yaml11Only = false): KubectlReading => number(value, yaml11Only, false, true);
const boolean = (value: boolean, yaml11Only: boolean): KubectlReading => ({
  kind: 'boolean',
  value,
  yaml11Only,
});
const STRING: KubectlReading = { kind: 'string' };

describe('readAsKubectl', () => {
  it.each<[string, KubectlReading]>([
    // resolveMapList
    ['y', boolean(true, true)],
    ['Yes', boolean(true, true)],
    ['ON', boolean(true, true)],
    ['True', boolean(true, false)],
    ['N', boolean(false, true)],
    ['off', boolean(false, true)],
    ['FALSE', boolean(false, false)],
    ['~', { kind: 'null' }],
    ['Null', { kind: 'null' }],
    ['.NaN', float('NaN')],
    ['.inf', float('infinity')],
    ['+.Inf', float('infinity')],
    ['-.INF', float('-infinity')],
    // Not in the map, and no hint: strings.
    ['yes!', STRING],
    ['TRUE1', STRING],
    ['_1', STRING],
    // Integers: underscores dropped, then ParseInt with base 0 (capital prefixes too), then ParseUint.
    ['1_000', number('1000', true)],
    ['-_1', number('-1', true)],
    ['0x1F', number('31')],
    ['0X1F', number('31', true)],
    ['0o17', number('15')],
    ['0O17', number('15', true)],
    ['0b101', number('5')],
    ['-0B101', number('-5', true)],
    ['017', number('15', false, true)],
    ['18446744073709551615', number('18446744073709551615')],
    ['0x10000000000000000', STRING],
    // ParseUint takes no sign: a signed integer beyond int64 is a float.
    ['+18446744073709551615', float('18446744073709552000')],
    // Floats: yamlStyleFloat after underscores are dropped; a leading dot goes to ParseFloat as written.
    ['08', float('8')],
    ['1e3', float('1000')],
    ['1_0.5', float('10.5', true)],
    ['-.5', float('-0.5', true)],
    ['.5', float('0.5')],
    ['.5_0', STRING],
    ['1e400', STRING],
    // No sexagesimal numbers; timestamps stay strings when decoded into interface{}.
    ['1:20', STRING],
    ['2001-12-14', STRING],
    ['1.2.3', STRING],
  ])('%s', (text, reading) => {
    expect(readAsKubectl(text)).toEqual(reading);
  });
});

describe('kubectlReadsAsNonString', () => {
  it('holds for the js-yaml strings that kubectl reads otherwise', () => {
    expect(['yes', 'n', 'Off', '1_000', '0X1F', '+.5', '1_0.5'].filter(kubectlReadsAsNonString)).toEqual([
      'yes',
      'n',
      'Off',
      '1_000',
      '0X1F',
      '+.5',
      '1_0.5',
    ]);
    expect(
      ['web', '1.2.3', '1:20', '2001-12-14', 'v1_0', '.5_0', '7c5ddbdf54', 'a_b'].filter(
        kubectlReadsAsNonString,
      ),
    ).toEqual([]);
  });
});
