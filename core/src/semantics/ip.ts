// IPv4/IPv6 addresses and CIDRs as integer ranges, and the cutting of the address space into uniform ranges.

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

export function fullRange(family: IpFamily): IpRange {
  return { family, start: 0n, end: familyMax(family) };
}

/** Parses a dotted IPv4 address; undefined when it is not one (no leading zeros, like Go's netip). */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** Parses an IPv6 address (with `::` compression and an optional trailing dotted IPv4). */
export function parseIPv6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIPv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const left = parseGroups(halves[0]!);
  const right = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const groupCount = left.length + right.length;
  if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return undefined;
  const groups = [...left, ...new Array<number>(8 - groupCount).fill(0), ...right];
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `a.b.c.d/n` or `x::/n`; undefined when it is not a CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9][0-9]*)$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  const bits = BITS[address.family];
  if (prefixLength > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  const start = address.value & ~hostMask & familyMax(address.family);
  return {
    family: address.family,
    start,
    end: start | hostMask,
    text,
    prefixLength,
    hasHostBits: (address.value & hostMask) !== 0n,
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
