// The fast path of layered results (admin tiers, Calico tiers): a subject class's side compiled once into tiers of
// steps, and peers that look the same to every step answered from one memoized verdict.
import type { WorkloadClass } from '../engine/classes.js';
import {
  workloadEndpoint,
  type Endpoint,
  type ExternalEndpoint,
  type WorkloadEndpoint,
} from '../engine/endpoints.js';
import type { Workload } from '../model/cluster.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { Direction } from '../semantics/policy-ir.js';

export type FoldAction = 'allow' | 'deny' | 'pass' | 'log';

export type FoldStep =
  | {
      readonly kind: 'rule';
      readonly action: FoldAction;
      /** By peer index (classes, then external ranges): whether the rule's peer side matches. */
      readonly bits: Uint8Array;
      /** The connections when it matches, unless they depend on the peer (egress to a named port). */
      readonly fixed: ConnectionSet | undefined;
      readonly perPeer: ((peer: Endpoint) => ConnectionSet) | undefined;
      /** The policy and rule the step stands for, for rules that reason about them (shadowed-rule). */
      readonly origin?: FoldOrigin;
    }
  /** The Kubernetes NetworkPolicies selecting the subject, as one allow-only step. */
  | { readonly kind: 'block' };

export interface FoldOrigin {
  /** `GlobalNetworkPolicy/name`, `AdminNetworkPolicy/name`, ... */
  readonly policy: string;
  /** Index of the rule in its policy's direction. */
  readonly index: number;
}

export interface FoldTier {
  /** What no step decides: passed on (true) or dropped. */
  readonly defaultPass: boolean;
  readonly steps: FoldStep[];
}

/** A subject class's side, compiled. */
export interface FoldSide {
  readonly tiers: readonly FoldTier[];
  /** Some step's connections depend on the peer's named ports: the peer's class is part of the memo key. */
  readonly peerDependent: boolean;
}

export interface CompiledSide extends FoldSide {
  readonly memo: Map<number | string, ConnectionSet>;
}

/** A peer as a compiled side sees it. */
interface FoldLook {
  readonly side: FoldSide & { readonly memo: Map<number | string, ConnectionSet> };
  readonly key: number | string;
  readonly connectionsOf: (step: FoldStep) => ConnectionSet;
}

/** What the fold needs of a layered result. */
export interface FoldHost {
  readonly classes: readonly WorkloadClass[];
  readonly externals: readonly ExternalEndpoint[];
  classOfWorkload(workload: Workload): WorkloadClass;
  /** The side compiled for a class representative, or null where only the full walk is exact. */
  compileSide(direction: Direction, subject: WorkloadEndpoint): FoldSide | null;
  /** The NetworkPolicy side of the pair (for `block` steps). */
  blockConnections(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): ConnectionSet;
  /** The full walk, for sides compileSide declines. */
  slowSide(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): ConnectionSet;
}

/**
 * Tiers in order; in each, steps first-match (Log records nothing here and goes on); what a tier leaves undecided is
 * passed on or dropped by its default; what every tier passed is allowed.
 */
export function foldSide(side: FoldSide, connectionsOf: (step: FoldStep) => ConnectionSet): ConnectionSet {
  let undecided = ConnectionSet.ALL;
  let allowed = ConnectionSet.NONE;
  for (const tier of side.tiers) {
    if (undecided.isEmpty) break;
    let passed = ConnectionSet.NONE;
    for (const step of tier.steps) {
      if (undecided.isEmpty) break;
      const decided = connectionsOf(step).intersect(undecided);
      if (decided.isEmpty) continue;
      const action = step.kind === 'block' ? 'allow' : step.action;
      if (action === 'log') continue;
      if (action === 'allow') allowed = allowed.union(decided);
      else if (action === 'pass') passed = passed.union(decided);
      undecided = undecided.subtract(decided);
    }
    if (tier.defaultPass) passed = passed.union(undecided);
    undecided = passed;
  }
  return allowed.union(undecided);
}

/** Distinct NetworkPolicy block verdicts a numeric memo key has room for. */
const BLOCK_IDS = 2 ** 16;

export class TierFold {
  private readonly sides: Record<Direction, Map<number, CompiledSide | null>> = {
    ingress: new Map(),
    egress: new Map(),
  };
  private readonly bits = new Map<object, Uint8Array>();
  private readonly rangeIndex: ReadonlyMap<ExternalEndpoint, number>;
  private readonly blockIds = new WeakMap<ConnectionSet, number>();
  private readonly idsByText = new Map<string, number>();
  private readonly sparse = new WeakMap<Uint8Array, readonly number[]>();

  constructor(private readonly host: FoldHost) {
    this.rangeIndex = new Map(host.externals.map((e, k) => [e, k]));
  }

  /** One side's verdict: a memo lookup keyed by the peer's match bits (and the NetworkPolicy block's verdict). */
  side(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): ConnectionSet {
    const look = this.look(direction, subject, peer);
    if (look === null) return this.host.slowSide(direction, subject, peer);
    const { side, key } = look;
    if (side.tiers.length === 0) return ConnectionSet.ALL;
    let connections = side.memo.get(key);
    if (connections === undefined) {
      connections = foldSide(side, look.connectionsOf);
      side.memo.set(key, connections);
    }
    return connections;
  }

  /**
   * How a peer looks to the subject class's compiled side: a key equal for peers every step treats alike, and each
   * step's connections for this peer. Null where the side is not compiled (the full walk decides).
   */
  private look(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): FoldLook | null {
    const side = this.compiled(direction, subject);
    if (side === null) return null;
    const peerIndex = this.peerIndex(peer);
    // The key: the peer's match bit for every rule step, the NetworkPolicy block's verdict (interned), and the
    // peer's class when named ports make connections depend on it; a number while it fits, else a string.
    let block: ConnectionSet | undefined;
    let bits = 0;
    let width = 0;
    let blockId = 0;
    let text = '';
    for (const tier of side.tiers) {
      for (const step of tier.steps) {
        if (step.kind === 'block') {
          block = this.host.blockConnections(direction, subject, peer);
          blockId = this.blockId(block);
          continue;
        }
        const bit = step.bits[peerIndex] === 1 ? 1 : 0;
        if (width < 30) bits = bits * 2 + bit;
        else text += bit;
        width++;
      }
    }
    const peerPart = side.peerDependent ? (peerIndex < this.host.classes.length ? peerIndex + 1 : 0) : 0;
    const numeric = (peerPart * BLOCK_IDS + blockId) * 2 ** Math.min(width, 30) + bits;
    const key: number | string =
      width <= 30 && blockId < BLOCK_IDS && Number.isSafeInteger(numeric)
        ? numeric
        : `${peerPart}|${blockId}|${bits}|${text}`;
    return {
      side,
      key,
      connectionsOf: (step) => {
        if (step.kind === 'block') return block!;
        if (step.bits[peerIndex] !== 1) return ConnectionSet.NONE;
        return step.fixed ?? step.perPeer!(peer);
      },
    };
  }

  /**
   * The peers (by index) a subject class's side may allow anything with, in index order; undefined for every peer.
   * A peer no step matches, and that the NetworkPolicy block gives nothing, gets what the tiers do with nothing
   * matched: when that is nothing, only peers some step matches (or the block names) can get anything.
   */
  candidatePeers(
    direction: Direction,
    subject: WorkloadEndpoint,
    blockPeers: () => readonly number[] | undefined,
  ): readonly number[] | undefined {
    const side = this.compiled(direction, subject);
    if (side === null || side.tiers.length === 0) return undefined;
    if (!foldSide(side, () => ConnectionSet.NONE).isEmpty) return undefined;
    const peers = new Set<number>();
    for (const tier of side.tiers) {
      for (const step of tier.steps) {
        if (step.kind === 'block') {
          const named = blockPeers();
          if (named === undefined) return undefined;
          for (const peer of named) peers.add(peer);
          continue;
        }
        for (const peer of this.setBits(step.bits)) peers.add(peer);
      }
    }
    return [...peers].sort((a, b) => a - b);
  }

  /** The subject class's compiled side (null where only the full walk is exact). */
  compiled(direction: Direction, subject: WorkloadEndpoint): CompiledSide | null {
    const subjectClass = this.host.classOfWorkload(subject.workload);
    let side = this.sides[direction].get(subjectClass.index);
    if (side === undefined) {
      const compiled = this.host.compileSide(direction, workloadEndpoint(subjectClass.representative));
      side = compiled === null ? null : { ...compiled, memo: new Map() };
      this.sides[direction].set(subjectClass.index, side);
    }
    return side;
  }

  /** Which peers a rule's peer side matches, computed once per rule over class representatives and ranges. */
  bitsOf(rule: object, matches: (peer: Endpoint) => boolean): Uint8Array {
    let bits = this.bits.get(rule);
    if (bits === undefined) {
      const { classes, externals } = this.host;
      const computed = new Uint8Array(classes.length + externals.length);
      classes.forEach((c, k) => {
        if (matches(workloadEndpoint(c.representative))) computed[k] = 1;
      });
      externals.forEach((e, k) => {
        if (matches(e)) computed[classes.length + k] = 1;
      });
      this.bits.set(rule, computed);
      bits = computed;
    }
    return bits;
  }

  /** A peer's index in the rule bitmaps: its class, or the class count plus its range. */
  peerIndex(peer: Endpoint): number {
    if (peer.kind === 'workload') return this.host.classOfWorkload(peer.workload).index;
    const index = this.rangeIndex.get(peer);
    if (index === undefined) throw new Error(`endpoint ${peer.id} does not belong to this result`);
    return this.host.classes.length + index;
  }

  /** The peer indices a bitmap sets, in order (cached per bitmap). */
  setBits(bits: Uint8Array): readonly number[] {
    let list = this.sparse.get(bits);
    if (list === undefined) {
      const indices: number[] = [];
      bits.forEach((bit, peer) => {
        if (bit === 1) indices.push(peer);
      });
      this.sparse.set(bits, (list = indices));
    }
    return list;
  }

  /** Equal verdicts get one id, whatever object carries them (ids by text, cached per object). */
  private blockId(connections: ConnectionSet): number {
    let id = this.blockIds.get(connections);
    if (id === undefined) {
      const text = connections.toString();
      id = this.idsByText.get(text);
      if (id === undefined) {
        id = this.idsByText.size;
        this.idsByText.set(text, id);
      }
      this.blockIds.set(connections, id);
    }
    return id;
  }
}

/**
 * Peer indices of a base result in a layered one: classes are shared; each of the layered result's finer external
 * ranges lies in one base range, and is named when that range is.
 */
export function layeredPeers(
  basePeers: readonly number[] | undefined,
  classCount: number,
  externals: readonly ExternalEndpoint[],
  baseIndexOf: (external: ExternalEndpoint) => number,
): readonly number[] | undefined {
  if (basePeers === undefined) return undefined;
  const named = new Set(basePeers);
  const peers = basePeers.filter((p) => p < classCount);
  externals.forEach((external, k) => {
    if (named.has(baseIndexOf(external))) peers.push(classCount + k);
  });
  return peers;
}
