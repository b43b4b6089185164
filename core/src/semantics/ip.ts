// IPv4/IPv6 addresses and CIDRs as integer ranges, and the cutting of the address space into uniform ranges.
import { parseCidrSloppy, parseIpSloppy } from './cidr-syntax.js';

export type IpFamily = 4 | 6;

/** A closed range of addresses of one family, as integers. */
export interface IpRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

export interface Cidr extends IpRange {
  /** As written in the manifest. */
  readonly text: string;
  readonly prefixLength: number;
  /** True when bits beyond the prefix are set (`10.0.0.1/24`): the range is still the network's. */
  readonly hasHostBits: boolean;
}

const BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };

export function familyMax(family: IpFamily): bigint {
  return (1n << BigInt(BITS[family])) - 1n;
}

/** Address ranges and the ranges taken out of them: an ipBlock's cidr and excepts, Calico's nets and notNets. */
export interface AddressBlock {
  /** Undefined stands for every address (Calico rules without nets). */
  readonly ranges: readonly IpRange[] | undefined;
  readonly excluded: readonly IpRange[];
}

/**
 * Whether the union of `blocks` surely holds an address not known yet (a pod template's) of one of `families`, the
 * families pods of the cluster have (podAddressFamilies). Only blocks that together cover a whole family surely hold
 * it: `0.0.0.0/0`, or `0.0.0.0/1` beside `128.0.0.0/1`. `0.0.0.0/0` except the private ranges ("the internet") most
 * likely leaves the pods out, since their addresses are private, and `::/0` holds no address of an IPv4 cluster's pods.
 */
export function holdsUnknownAddress(blocks: readonly AddressBlock[], families: readonly IpFamily[]): boolean {
  return families.some((family) => coversFamily(blocks, family));
}

/** Whether the blocks' ranges minus their exclusions, all blocks together, cover every address of the family. */
function coversFamily(blocks: readonly AddressBlock[], family: IpFamily): boolean {
  const held: IpRange[] = [];
  for (const { ranges, excluded } of blocks) {
    const own = ranges === undefined ? [fullRange(family)] : ranges.filter((r) => r.family === family);
    held.push(...subtractRanges(own, excluded.filter((r) => r.family === family)));
  }
  held.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  // Covered up to `next` (excluded): every address below it is held.
  let next = 0n;
  for (const range of held) {
    if (range.start > next) return false;
    if (range.end + 1n > next) next = range.end + 1n;
  }
  return next > familyMax(family);
}

/** `ranges` minus `excluded` (all of one family), as disjoint ranges. */
function subtractRanges(ranges: readonly IpRange[], excluded: readonly IpRange[]): IpRange[] {
  let left = [...ranges];
  for (const cut of excluded) {
    left = left.flatMap((r) => {
      if (cut.end < r.start || cut.start > r.end) return [r];
      const pieces: IpRange[] = [];
      if (cut.start > r.start) pieces.push({ family: r.family, start: r.start, end: cut.start - 1n });
      if (cut.end < r.end) pieces.push({ family: r.family, start: cut.end + 1n, end: r.end });
      return pieces;
    });
  }
  return left;
}

export function fullRange(family: IpFamily): IpRange {
  return { family, start: 0n, end: familyMax(family) };
}

/** Bytes (big-endian) as an integer. */
function bytesToBigint(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

const IPV4_MAPPED_PREFIX_LENGTH = 96;

/**
 * Parses an address the way the API server does (Go's lenient parser: leading zeros are decimal).
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address, as Go compares them.
 */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const parsed = parseIpSloppy(text);
  if (parsed === undefined) return undefined;
  const value = bytesToBigint(parsed.bytes);
  if (parsed.bytes.length === 4) return { family: 4, value };
  if (value >> 32n === 0xffffn) return { family: 4, value: value & 0xffffffffn };
  return { family: 6, value };
}

/**
 * Parses `a.b.c.d/n` or `x::/n` exactly as the loader validates it (one parser decides what a
 * valid CIDR is); undefined when the API server would reject it.
 */
export function parseCidr(text: string): Cidr | undefined {
  const parsed = parseCidrSloppy(text);
  if (parsed === undefined) return undefined;
  let family: IpFamily = parsed.ip.length === 4 ? 4 : 6;
  let prefixLength = parsed.prefixLength;
  let network = bytesToBigint(parsed.network);
  // Go's IPNet.Contains compares IPv4-mapped networks as IPv4.
  if (parsed.ipv4Mapped && prefixLength >= IPV4_MAPPED_PREFIX_LENGTH) {
    family = 4;
    prefixLength -= IPV4_MAPPED_PREFIX_LENGTH;
    network &= 0xffffffffn;
  }
  const hostMask = (1n << BigInt(BITS[family] - prefixLength)) - 1n;
  return {
    family,
    start: network,
    end: network | hostMask,
    text,
    prefixLength,
    hasHostBits: parsed.ip.some((byte, index) => byte !== parsed.network[index]),
  };
}

export function rangeContains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** `10.0.0.0-10.255.255.255`: the connlist notation for an address range. */
export function formatIpRange(range: IpRange): string {
  return `${formatIp(range.family, range.start)}-${formatIp(range.family, range.end)}`;
}

/**
 * Cuts the whole address space of each family into the coarsest ranges such that every given
 * CIDR is a union of whole ranges: inside one range, every address is matched by exactly the
 * same CIDRs. IPv4 is always cut; IPv6 only when some CIDR is IPv6.
 */
export function cutAddressSpace(cidrs: readonly IpRange[]): IpRange[] {
  const ranges: IpRange[] = [];
  const families: IpFamily[] = cidrs.some((c) => c.family === 6) ? [4, 6] : [4];
  for (const family of families) {
    const max = familyMax(family);
    const boundaries = new Set<bigint>([0n]);
    for (const cidr of cidrs) {
      if (cidr.family !== family) continue;
      boundaries.add(cidr.start);
      if (cidr.end < max) boundaries.add(cidr.end + 1n);
    }
    const starts = [...boundaries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    starts.forEach((start, k) => {
      const next = starts[k + 1];
      ranges.push({ family, start, end: next === undefined ? max : next - 1n });
    });
  }
  return ranges;
}
