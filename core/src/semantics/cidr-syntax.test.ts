import { describe, expect, it } from 'vitest';
import { cidrContains, formatNetwork, parseCidrSloppy } from './cidr-syntax.js';

describe('parseCidrSloppy (Go ParseCIDRSloppy)', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['10.1.2.3/16', '10.1.0.0/16', false],
    ['0.0.0.0/0', '0.0.0.0/0', false],
    ['010.001.0.0/16', '10.1.0.0/16', true],
    ['10.0.0.0/08', '10.0.0.0/8', true],
    ['2001:db8::/32', '2001:db8::/32', false],
    ['2001:DB8:0:0:0:0:0:1/128', '2001:db8::1/128', false],
    ['::/0', '::/0', false],
    ['fe80::1:2/64', 'fe80::/64', false],
    ['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104', false],
    ['1:0:0:1:0:0:0:1/128', '1:0:0:1::1/128', false],
    ['00001::/16', '1::/16', true],
  ])('%s is the network %s', (text, network, leadingZeros) => {
    const cidr = parseCidrSloppy(text);
    expect(cidr && formatNetwork(cidr)).toBe(network);
    expect(cidr?.leadingZeros).toBe(leadingZeros);
  });

  it.each([
    '10.0.0.0',
    '10.0.0.0/33',
    '10.0.0/8',
    '256.0.0.0/8',
    '10.0.0.0/-1',
    '10.0.0.0/8 ',
    '2001:db8::/129',
    '2001:db8:::/32',
    '1::2::3/64',
    '1:2:3:4:5:6:7:8:9/64',
    '1:2:3:4:5:6:7::8/64',
    'fe80::1%eth0/64',
    '/8',
    '',
  ])('rejects %j', (text) => {
    expect(parseCidrSloppy(text)).toBeUndefined();
  });

  it('flags IPv4-mapped IPv6 addresses', () => {
    expect(parseCidrSloppy('::ffff:10.0.0.0/104')?.ipv4Mapped).toBe(true);
    expect(parseCidrSloppy('::10.0.0.0/104')?.ipv4Mapped).toBe(false);
  });
});

describe('cidrContains (Go IPNet.Contains)', () => {
  const net = (text: string) => parseCidrSloppy(text)!;
  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.255.0.0/16', true],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '2001:db8::/64', false],
    ['2001:db8::/32', '2001:db8:ffff::/48', true],
    ['2001:db8::/32', '10.0.0.0/8', false],
    ['10.0.0.0/8', '::ffff:10.1.0.0/112', true],
  ])('%s contains the network of %s: %s', (outer, inner, expected) => {
    expect(cidrContains(net(outer), net(inner).network)).toBe(expected);
  });
});
