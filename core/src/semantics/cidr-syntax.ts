// CIDR values as the API server validates NetworkPolicy ipBlocks: Go's lenient ParseCIDRSloppy, and IPNet.Contains.

/**
 * A parsed CIDR, byte for byte as Go's `net.ParseCIDR` of Go 1.16 (forked as k8s.io/utils/net ParseCIDRSloppy)
 * returns it: IPv4 as 4 bytes, IPv6 (IPv4-mapped included) as 16.
 */
export interface ParsedCidr {
  readonly ip: readonly number[];
  readonly prefixLength: number;
  /** `ip` with the bits beyond the prefix cleared. */
  readonly network: readonly number[];
  readonly mask: readonly number[];
  /** Leading zeros in an IPv4 octet or the prefix length, or an IPv6 group of more than 4 digits: accepted, not standard. */
  readonly leadingZeros: boolean;
  readonly ipv4Mapped: boolean;
}

/** Go's limit on a decimal or hex field (`big` in package net). */
const BIG = 0xffffff;
const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

interface Field {
  readonly value: number;
  readonly length: number;
}

/** Parses like ParseCIDRSloppy; undefined when the API server rejects the value as "must be a valid CIDR value". */
export function parseCidrSloppy(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const ipv4 = parseIPv4(address);
  const parsed = ipv4 ?? parseIPv6(address);
  const prefix = decimalField(prefixText);
  if (parsed === undefined || prefix === undefined || prefix.length !== prefixText.length) return undefined;
  const bits = parsed.bytes.length * 8;
  if (prefix.value > bits) return undefined;
  const mask = Array.from({ length: parsed.bytes.length }, (_, index) => {
    const ones = Math.max(0, Math.min(8, prefix.value - index * 8));
    return (0xff00 >> ones) & 0xff;
  });
  return {
    ip: parsed.bytes,
    prefixLength: prefix.value,
    network: parsed.bytes.map((byte, index) => byte & mask[index]!),
    mask,
    leadingZeros: parsed.leadingZeros || (prefixText.length > 1 && prefixText.startsWith('0')),
    ipv4Mapped: ipv4 === undefined && sameBytes(parsed.bytes.slice(0, 12), IPV4_MAPPED_PREFIX),
  };
}

/** Go's `IPNet.Contains`: IPv4 and IPv4-mapped IPv6 addresses compare as IPv4. */
export function cidrContains(cidr: ParsedCidr, ip: readonly number[]): boolean {
  const network = toIPv4(cidr.network) ?? cidr.network;
  let mask = cidr.mask;
  if (mask.length === 4 && network.length !== 4) return false;
  if (mask.length === 16 && network.length === 4) mask = mask.slice(12);
  const address = toIPv4(ip) ?? ip;
  if (address.length !== network.length) return false;
  return address.every((byte, index) => (byte & mask[index]!) === (network[index]! & mask[index]!));
}

/** The network in its standard text form (`10.0.0.0/24`, `2001:db8::/32`). */
export function formatNetwork(cidr: ParsedCidr): string {
  return `${formatIp(cidr.network, cidr.ipv4Mapped)}/${cidr.prefixLength}`;
}

function formatIp(bytes: readonly number[], ipv4Mapped: boolean): string {
  if (bytes.length === 4) return bytes.join('.');
  if (ipv4Mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = Array.from({ length: 8 }, (_, index) =>
    ((bytes[index * 2]! << 8) | bytes[index * 2 + 1]!).toString(16),
  );
  // RFC 5952: the longest run of two or more zero groups (the first one on a tie) becomes `::`.
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === '0') length++;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  if (bestStart === -1) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

function toIPv4(bytes: readonly number[]): readonly number[] | undefined {
  if (bytes.length === 4) return bytes;
  return sameBytes(bytes.slice(0, 12), IPV4_MAPPED_PREFIX) ? bytes.slice(12) : undefined;
}

function sameBytes(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

/** Go's `dtoi`: decimal digits at the start of `text`, leading zeros allowed. */
function decimalField(text: string): Field | undefined {
  let value = 0;
  let length = 0;
  while (length < text.length && text[length]! >= '0' && text[length]! <= '9') {
    value = value * 10 + Number(text[length]);
    length++;
    if (value >= BIG) return undefined;
  }
  return length === 0 ? undefined : { value, length };
}

/** Go's `xtoi`: hex digits at the start of `text`. */
function hexField(text: string): Field | undefined {
  let value = 0;
  let length = 0;
  while (length < text.length && /[0-9a-fA-F]/.test(text[length]!)) {
    value = value * 16 + parseInt(text[length]!, 16);
    length++;
    if (value >= BIG) return undefined;
  }
  return length === 0 ? undefined : { value, length };
}

export interface ParsedIp {
  readonly bytes: number[];
  readonly leadingZeros: boolean;
}

/** Parses an address like Go 1.16's `net.ParseIP` (IPv4 as 4 bytes, IPv6 as 16); undefined when it is not one. */
export function parseIpSloppy(text: string): ParsedIp | undefined {
  return parseIPv4(text) ?? parseIPv6(text);
}

/** Go 1.16 `parseIPv4`: four decimal octets; leading zeros are read as decimal. */
function parseIPv4(text: string): ParsedIp | undefined {
  const bytes: number[] = [];
  let rest = text;
  let leadingZeros = false;
  for (let index = 0; index < 4; index++) {
    if (index > 0) {
      if (!rest.startsWith('.')) return undefined;
      rest = rest.slice(1);
    }
    const octet = decimalField(rest);
    if (octet === undefined || octet.value > 0xff) return undefined;
    leadingZeros ||= octet.length > 1 && rest.startsWith('0');
    bytes.push(octet.value);
    rest = rest.slice(octet.length);
  }
  return rest === '' ? { bytes, leadingZeros } : undefined;
}

/** Go 1.16 `parseIPv6`: hex groups, one `::`, an optional trailing dotted IPv4. */
function parseIPv6(text: string): ParsedIp | undefined {
  const bytes = new Array<number>(16).fill(0);
  let ellipsis = -1;
  let rest = text;
  let leadingZeros = false;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') return { bytes, leadingZeros };
  }
  let index = 0;
  while (index < 16) {
    const group = hexField(rest);
    if (group === undefined || group.value > 0xffff) return undefined;
    if (rest[group.length] === '.') {
      if ((ellipsis < 0 && index !== 12) || index + 4 > 16) return undefined;
      const ipv4 = parseIPv4(rest);
      if (ipv4 === undefined) return undefined;
      bytes.splice(index, 4, ...ipv4.bytes);
      leadingZeros ||= ipv4.leadingZeros;
      index += 4;
      rest = '';
      break;
    }
    leadingZeros ||= group.length > 4;
    bytes[index] = group.value >> 8;
    bytes[index + 1] = group.value & 0xff;
    index += 2;
    rest = rest.slice(group.length);
    if (rest === '') break;
    if (rest[0] !== ':' || rest.length === 1) return undefined;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = index;
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  if (rest !== '') return undefined;
  if (index < 16) {
    if (ellipsis < 0) return undefined;
    const shift = 16 - index;
    for (let from = index - 1; from >= ellipsis; from--) bytes[from + shift] = bytes[from]!;
    for (let at = ellipsis + shift - 1; at >= ellipsis; at--) bytes[at] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return { bytes, leadingZeros };
}
