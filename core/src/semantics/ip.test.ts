import { describe, expect, it } from 'vitest';
import { cutAddressSpace, formatIp, formatIpRange, parseCidr, parseIp } from './ip.js';

describe('addresses', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['2001:db8::ffff:192.0.2.1', 6, (0x20010db8n << 96n) | 0xffffc0000201n],
  ])('parses %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });
  it.each(['10.0.0', '10.0.0.256', '1::2::3', '1234567::', 'x', '10.0.0.1/8'])('rejects %s', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });
  it('reads leading zeros as decimal and IPv4-mapped addresses as IPv4, like the API server', () => {
    expect(parseIp('010.001.0.9')).toEqual({ family: 4, value: 0x0a010009n });
    expect(parseIp('::ffff:10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
  });
  it('formats IPv6 compressed (RFC 5952)', () => {
    expect(formatIp(6, 0x20010db8000000000000000000000001n)).toBe('2001:db8::1');
    expect(formatIp(6, 0n)).toBe('::');
    expect(formatIp(6, (1n << 128n) - 1n)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(formatIp(6, 0x00010000000100000000000000000001n)).toBe('1:0:1::1');
  });
});

describe('CIDRs', () => {
  it('computes the network range and notes host bits', () => {
    const cidr = parseCidr('10.1.2.3/16')!;
    expect(formatIpRange(cidr)).toBe('10.1.0.0-10.1.255.255');
    expect(cidr.hasHostBits).toBe(true);
    expect(parseCidr('0.0.0.0/0')!.end).toBe(0xffffffffn);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(formatIpRange(parseCidr('::ffff:10.0.0.0/104')!)).toBe('10.0.0.0-10.255.255.255');
    expect(formatIpRange(parseCidr('2001:db8::/32')!)).toBe('2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
  });
  it('cuts the address space at every boundary without merging', () => {
    const ranges = cutAddressSpace([parseCidr('10.0.0.0/8')!, parseCidr('10.1.0.0/16')!]).map(formatIpRange);
    expect(ranges).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.255.255',
      '10.1.0.0-10.1.255.255',
      '10.2.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
  });
  it('leaves IPv6 out unless a CIDR is IPv6, and never cuts past the end', () => {
    expect(cutAddressSpace([]).map(formatIpRange)).toEqual(['0.0.0.0-255.255.255.255']);
    expect(cutAddressSpace([parseCidr('0.0.0.0/0')!, parseCidr('255.255.255.255/32')!]).map(formatIpRange)).toEqual([
      '0.0.0.0-255.255.255.254',
      '255.255.255.255-255.255.255.255',
    ]);
    expect(cutAddressSpace([parseCidr('::/1')!]).map(formatIpRange)).toEqual([
      '0.0.0.0-255.255.255.255',
      '::-7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '8000::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });
});
