// Immutable sets of connections: ports per port-carrying protocol, plus the portless protocols.
import { IntervalSet } from './interval-set.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
/** Protocols whose connections carry ports, in the alphabetical order of the connlist format. */
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;
const ALL_PORTS = IntervalSet.of(MIN_PORT, MAX_PORT);

/** Every IP protocol number except TCP (6), UDP (17) and SCTP (132): ICMP, ICMPv6, GRE, ... */
const ALL_PORTLESS = IntervalSet.fromIntervals([
  { start: 0, end: 5 },
  { start: 7, end: 16 },
  { start: 18, end: 131 },
  { start: 133, end: 255 },
]);
const PORTLESS_NAMES: Readonly<Record<number, string>> = { 1: 'ICMP', 58: 'ICMPv6' };

export function isPortProtocol(value: string): value is PortProtocol {
  return (PORT_PROTOCOLS as readonly string[]).includes(value);
}

/** The per-protocol operations of combine, made once rather than a closure per call. */
const UNION = (a: IntervalSet, b: IntervalSet): IntervalSet => a.union(b);
const INTERSECT = (a: IntervalSet, b: IntervalSet): IntervalSet => a.intersect(b);
const SUBTRACT = (a: IntervalSet, b: IntervalSet): IntervalSet => a.subtract(b);

/** Each set's connlist text, made on first use (rules key findings by it); kept outside, so that sets compare as data. */
const texts = new WeakMap<ConnectionSet, string>();

/**
 * A set of connections. "All protocols" (a NetworkPolicy rule without ports) includes the
 * portless protocols such as ICMP; a rule with ports only ever allows TCP, UDP or SCTP.
 */
export class ConnectionSet {
  static readonly NONE = new ConnectionSet(
    { SCTP: IntervalSet.EMPTY, TCP: IntervalSet.EMPTY, UDP: IntervalSet.EMPTY },
    IntervalSet.EMPTY,
  );
  static readonly ALL = new ConnectionSet({ SCTP: ALL_PORTS, TCP: ALL_PORTS, UDP: ALL_PORTS }, ALL_PORTLESS);

  private constructor(
    private readonly ports: Readonly<Record<PortProtocol, IntervalSet>>,
    /** IANA numbers of the portless protocols in the set. */
    readonly portless: IntervalSet,
  ) {}

  /** Connections of one protocol on the ports `start..end`. */
  static ports(protocol: PortProtocol, start: number, end: number = start): ConnectionSet {
    return ConnectionSet.fromPorts(protocol, IntervalSet.of(Math.max(start, MIN_PORT), Math.min(end, MAX_PORT)));
  }

  static allPorts(protocol: PortProtocol): ConnectionSet {
    return ConnectionSet.fromPorts(protocol, ALL_PORTS);
  }

  static fromPorts(protocol: PortProtocol, ports: IntervalSet): ConnectionSet {
    if (ports.isEmpty) return ConnectionSet.NONE;
    // Written out rather than spread with a computed key: every set's port table keeps one shape.
    const none = IntervalSet.EMPTY;
    return new ConnectionSet(
      {
        SCTP: protocol === 'SCTP' ? ports : none,
        TCP: protocol === 'TCP' ? ports : none,
        UDP: protocol === 'UDP' ? ports : none,
      },
      IntervalSet.EMPTY,
    );
  }

  /** Connections of a portless protocol by IANA number (1 = ICMP, 58 = ICMPv6). */
  static protocolNumber(number: number): ConnectionSet {
    const portless = IntervalSet.of(number, number).intersect(ALL_PORTLESS);
    return portless.isEmpty ? ConnectionSet.NONE : new ConnectionSet(ConnectionSet.NONE.ports, portless);
  }

  portsOf(protocol: PortProtocol): IntervalSet {
    return this.ports[protocol];
  }

  get isEmpty(): boolean {
    // Asked of nearly every set made: no closure per call.
    const { SCTP, TCP, UDP } = this.ports;
    return this.portless.isEmpty && SCTP.isEmpty && TCP.isEmpty && UDP.isEmpty;
  }

  get isAll(): boolean {
    return this.equals(ConnectionSet.ALL);
  }

  allows(protocol: PortProtocol, port: number): boolean {
    return this.ports[protocol].has(port);
  }

  union(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty || this === other) return this;
    if (this.isEmpty) return other;
    return this.combine(other, UNION);
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this === other) return this;
    if (this.isAll) return other;
    if (other.isAll) return this;
    return this.combine(other, INTERSECT);
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty) return this;
    return this.combine(other, SUBTRACT);
  }

  isSubsetOf(other: ConnectionSet): boolean {
    return this.subtract(other).isEmpty;
  }

  equals(other: ConnectionSet): boolean {
    return (
      this === other ||
      (this.portless.equals(other.portless) &&
        this.ports.SCTP.equals(other.ports.SCTP) &&
        this.ports.TCP.equals(other.ports.TCP) &&
        this.ports.UDP.equals(other.ports.UDP))
    );
  }

  private combine(other: ConnectionSet, op: (a: IntervalSet, b: IntervalSet) => IntervalSet): ConnectionSet {
    const result = new ConnectionSet(
      { SCTP: op(this.ports.SCTP, other.ports.SCTP), TCP: op(this.ports.TCP, other.ports.TCP), UDP: op(this.ports.UDP, other.ports.UDP) },
      op(this.portless, other.portless),
    );
    if (result.isEmpty) return ConnectionSet.NONE;
    if (result.equals(ConnectionSet.ALL)) return ConnectionSet.ALL;
    return result;
  }

  /**
   * The connlist notation shared with np-guard's netpol-analyzer and roxctl:
   * `All Connections`, `No Connections`, or `SCTP 9,TCP 80,8080-8090,UDP 53`.
   * Portless protocols follow (`ICMP`, `protocols 2-5`, or `other protocols` when all of them are in).
   */
  toString(): string {
    let text = texts.get(this);
    if (text === undefined) texts.set(this, (text = this.format()));
    return text;
  }

  private format(): string {
    if (this.isAll) return 'All Connections';
    if (this.isEmpty) return 'No Connections';
    const parts: string[] = [];
    for (const protocol of PORT_PROTOCOLS) {
      const ports = this.ports[protocol];
      if (!ports.isEmpty) parts.push(`${protocol} ${ports.toString()}`);
    }
    if (this.portless.equals(ALL_PORTLESS)) parts.push('other protocols');
    else {
      for (const interval of this.portless.intervals) {
        for (let n = interval.start; n <= interval.end; n++) parts.push(PORTLESS_NAMES[n] ?? `protocol ${n}`);
      }
    }
    return parts.join(',');
  }

  /** JSON form: `{ all: true }` or the ports per protocol as `[start, end]` pairs. */
  toJSON(): ConnectionSetJson {
    if (this.isAll) return { all: true };
    const json: { all: false; protocols: Record<string, [number, number][]>; portlessProtocols?: [number, number][] } = {
      all: false,
      protocols: {},
    };
    for (const protocol of PORT_PROTOCOLS) {
      const ports = this.ports[protocol];
      if (!ports.isEmpty) json.protocols[protocol] = ports.intervals.map((i) => [i.start, i.end]);
    }
    if (!this.portless.isEmpty) json.portlessProtocols = this.portless.intervals.map((i) => [i.start, i.end]);
    return json;
  }
}

export type ConnectionSetJson =
  | { readonly all: true }
  | {
      readonly all: false;
      readonly protocols: Readonly<Record<string, readonly (readonly [number, number])[]>>;
      readonly portlessProtocols?: readonly (readonly [number, number])[];
    };
