// The address cut is kept for lists of the same CIDRs, and made again for any other CIDR.
import { describe, expect, it } from 'vitest';
import { cutAddressSpace, formatIpRange, parseCidr, type IpRange } from '../semantics/ip.js';
import { addressCut } from './endpoints.js';

const cidrs = (...texts: string[]): IpRange[] => texts.map((text) => parseCidr(text)!);
const ids = (lists: IpRange[][]) => addressCut(lists).endpoints.map((e) => e.id);
const expected = (lists: IpRange[][]) => cutAddressSpace(lists.flat()).map((r) => r.start);

describe('addressCut', () => {
  it('equals cutAddressSpace of the lists, whatever was cut before', () => {
    const sequences = [
      [cidrs('10.0.0.0/8'), cidrs('192.168.0.0/16')],
      // Same shape, other values.
      [cidrs('10.0.0.0/16'), cidrs('192.168.0.0/16')],
      [cidrs('10.0.0.0/8'), cidrs('192.168.0.0/24')],
      [cidrs('10.0.0.0/8', '172.16.0.0/12'), cidrs('192.168.0.0/16')],
      [cidrs('10.0.0.0/8'), cidrs('fd00::/8')],
      [cidrs('10.0.0.0/8'), cidrs('192.168.0.0/16')],
      [],
    ];
    for (const lists of [...sequences, ...sequences.reverse()]) {
      expect(addressCut(lists).ranges.map((r) => r.start)).toEqual(expected(lists));
      expect(ids(lists)).toEqual(cutAddressSpace(lists.flat()).map(formatIpRange));
    }
  });

  it('keeps the endpoints of equal lists, as objects', () => {
    const lists = [cidrs('10.0.0.0/8'), cidrs('192.168.0.0/16')];
    const first = addressCut(lists).endpoints;
    addressCut([cidrs('10.1.0.0/16')]);
    expect(addressCut([cidrs('10.0.0.0/8'), cidrs('192.168.0.0/16')]).endpoints).toBe(first);
  });
});
