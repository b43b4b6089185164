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
  /**
   * Some step's connections depend on the peer (its named ports, or the ports a service match gives its class or its
   * address): the peer is part of the memo key.
   */
  readonly peerDependent: boolean;
}

/**
 * A compiled side as the fold keeps it, shared by every subject class whose side compiles to the same steps (the same
 * rules with the same connections, and the same NetworkPolicy table): they give every peer the same verdict, so they
 * share one memo.
 */
export interface CompiledSide extends FoldSide {
  readonly memo: Map<number | string, ConnectionSet>;
  /** The rule steps' bitmaps in evaluation order: what the memo key reads of a peer. */
  readonly keyBits: readonly Uint8Array[];
  readonly hasBlock: boolean;
}

/** A side's sharing key but for its block's table, and what the fold keeps per side object. */
interface SharingKey {
  /** The key's text around the block's table: one part without a block, two with. */
  readonly key: readonly string[];
  readonly keyBits: readonly Uint8Array[];
  readonly hasBlock: boolean;
  /** The compiled side, by block table. */
  readonly sides: Map<number, CompiledSide>;
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
  /** Which NetworkPolicy table decides a class's block: equal for classes whose block gives every peer the same. */
  blockTable(direction: Direction, classIndex: number): number;
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
  /** Per direction, by subject class index: its compiled side (null where only the full walk is exact). */
  private readonly sides: Record<Direction, (CompiledSide | null | undefined)[]> = {
    ingress: [],
    egress: [],
  };
  /** Compiled sides by what they are made of, so classes with equal sides share one (and its memo). */
  private readonly shared = new Map<string, CompiledSide>();
  /** Per side object: its sharing key, and its compiled side by block table. */
  private readonly sharedBySide = new WeakMap<FoldSide, SharingKey>();
  private readonly bits = new Map<object, Uint8Array>();
  private readonly fixedByRule = new Map<object, ConnectionSet>();
  /** Ids for bitmaps (one per rule) and connection sets (by text), for the sharing key. */
  private readonly bitsIds = new WeakMap<Uint8Array, number>();
  private nextBitsId = 0;
  private readonly rangeIndex: ReadonlyMap<ExternalEndpoint, number>;
  private readonly blockIds = new WeakMap<ConnectionSet, number>();
  private readonly idsByText = new Map<string, number>();
  private readonly sparse = new WeakMap<Uint8Array, readonly number[]>();

  constructor(private readonly host: FoldHost) {
    this.rangeIndex = new Map(host.externals.map((e, k) => [e, k]));
  }

  /** One side's verdict: a memo lookup keyed by the peer's match bits (and the NetworkPolicy block's verdict). */
  side(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): ConnectionSet {
    const side = this.compiled(direction, subject);
    if (side === null) return this.host.slowSide(direction, subject, peer);
    if (side.tiers.length === 0) return ConnectionSet.ALL;
    const peerIndex = this.peerIndex(peer);
    const block = side.hasBlock ? this.host.blockConnections(direction, subject, peer) : ConnectionSet.NONE;
    const key = this.keyOf(side, peerIndex, block);
    let connections = side.memo.get(key);
    if (connections === undefined) {
      connections = foldSide(side, (step) => {
        if (step.kind === 'block') return block;
        if (step.bits[peerIndex] !== 1) return ConnectionSet.NONE;
        return step.fixed ?? step.perPeer!(peer);
      });
      side.memo.set(key, connections);
    }
    return connections;
  }

  /**
   * How a peer looks to a compiled side: a key equal for peers every step treats alike. It holds the peer's match bit
   * for every rule step, the NetworkPolicy block's verdict (interned), and the peer (class or external range) when
   * connections depend on it; a number while it fits, else a string.
   */
  private keyOf(side: CompiledSide, peerIndex: number, block: ConnectionSet): number | string {
    const { keyBits } = side;
    const blockId = side.hasBlock ? this.blockId(block) : 0;
    const peerPart = side.peerDependent ? peerIndex + 1 : 0;
    if (keyBits.length <= 30) {
      let bits = 0;
      for (let k = 0; k < keyBits.length; k++) bits = bits * 2 + (keyBits[k]![peerIndex] === 1 ? 1 : 0);
      const numeric = (peerPart * BLOCK_IDS + blockId) * 2 ** keyBits.length + bits;
      if (blockId < BLOCK_IDS && Number.isSafeInteger(numeric)) return numeric;
    }
    let text = `${peerPart}|${blockId}|`;
    for (const bits of keyBits) text += bits[peerIndex] === 1 ? '1' : '0';
    return text;
  }

  /**
   * The peers (by index) a subject class's side may allow anything with, in index order; undefined for every peer.
   * Each connection is decided on its own: one that no allow, pass or block step of a peer matches travels the tiers
   * as with no step matched (a deny or log step only takes some away). When that ends in nothing, only peers some
   * allow or pass step matches (or the block names) can get anything, and a tier that passes nothing on (no pass
   * step, a dropping default) ends the walk for every peer.
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
      let passes = tier.defaultPass;
      for (const step of tier.steps) {
        if (step.kind === 'block') {
          const named = blockPeers();
          if (named === undefined) return undefined;
          for (const peer of named) peers.add(peer);
          continue;
        }
        if (step.action === 'pass') passes = true;
        if (step.action === 'allow' || step.action === 'pass')
          for (const peer of this.setBits(step.bits)) peers.add(peer);
      }
      if (!passes) break;
    }
    return [...peers].sort((a, b) => a - b);
  }

  /**
   * Whether a step before the NetworkPolicy block can keep a connection from reaching it: a deny step, a tier before
   * the block's that drops what it leaves undecided, or a pass step in the block's own tier (which skips the block).
   * A pass in an earlier tier hands the connection on toward the block. With a peer, only steps that match it count.
   * False means the side allows at least what the block allows (for the peer, or every peer); true where only the
   * full walk is exact, or no block is compiled.
   */
  mayDecideBeforeBlock(direction: Direction, subject: WorkloadEndpoint, peer?: Endpoint): boolean {
    const side = this.compiled(direction, subject);
    if (side === null) return true;
    const peerIndex = peer === undefined ? undefined : this.peerIndex(peer);
    for (const tier of side.tiers) {
      const blockAt = tier.steps.findIndex((step) => step.kind === 'block');
      const end = blockAt < 0 ? tier.steps.length : blockAt;
      for (let k = 0; k < end; k++) {
        const step = tier.steps[k]!;
        if (step.kind !== 'rule' || (peerIndex !== undefined && step.bits[peerIndex] !== 1)) continue;
        if (step.action === 'deny' || (blockAt >= 0 && step.action === 'pass')) return true;
      }
      if (blockAt >= 0) return false;
      if (!tier.defaultPass) return true;
    }
    return true;
  }

  /**
   * A rule's connections where no named port makes them depend on the subject: one object per rule, so that sides
   * compiled for many classes hold the same one (and the sharing key reads its id without printing it).
   */
  ruleConnections(rule: object, compute: () => ConnectionSet): ConnectionSet {
    let connections = this.fixedByRule.get(rule);
    if (connections === undefined) this.fixedByRule.set(rule, (connections = compute()));
    return connections;
  }

  /** The subject class's compiled side (null where only the full walk is exact). */
  compiled(direction: Direction, subject: WorkloadEndpoint): CompiledSide | null {
    const subjectClass = this.host.classOfWorkload(subject.workload);
    let side = this.sides[direction][subjectClass.index];
    if (side === undefined) {
      const compiled = this.host.compileSide(direction, workloadEndpoint(subjectClass.representative));
      side = compiled === null ? null : this.share(direction, subjectClass.index, compiled);
      this.sides[direction][subjectClass.index] = side;
    }
    return side;
  }

  /**
   * The side shared by every class compiled to the same tiers: same defaults, same steps, same block table. A side
   * object compiled once for many classes (the host may return one) is looked up by itself and the block table.
   */
  private share(direction: Direction, classIndex: number, side: FoldSide): CompiledSide {
    let entry = this.sharedBySide.get(side);
    if (entry === undefined) this.sharedBySide.set(side, (entry = this.sharingKey(side)));
    const table = entry.hasBlock ? this.host.blockTable(direction, classIndex) : -2;
    let shared = entry.sides.get(table);
    if (shared === undefined) {
      const key = entry.hasBlock ? entry.key.join(String(table)) : entry.key[0]!;
      shared = this.shared.get(key);
      if (shared === undefined) {
        shared = { ...side, memo: new Map(), keyBits: entry.keyBits, hasBlock: entry.hasBlock };
        this.shared.set(key, shared);
      }
      entry.sides.set(table, shared);
    }
    return shared;
  }

  /**
   * What a side is made of, as the text its sharing key is made of (in two parts around the block's table, which is
   * the class's), and the rule steps' bitmaps in evaluation order.
   */
  private sharingKey(side: FoldSide): SharingKey {
    const key = [side.peerDependent ? 'p' : ''];
    const keyBits: Uint8Array[] = [];
    for (const tier of side.tiers) {
      key[key.length - 1] += tier.defaultPass ? '|P' : '|D';
      for (const step of tier.steps) {
        if (step.kind === 'block') {
          key[key.length - 1] += ',b';
          key.push('');
          continue;
        }
        keyBits.push(step.bits);
        // A step is its rule (one bitmap per rule: it implies the action and the per-peer connections) and its connections.
        key[key.length - 1] += `,${this.idOfBits(step.bits)}:${step.fixed === undefined ? '*' : this.blockId(step.fixed)}`;
      }
    }
    return { key, keyBits, hasBlock: key.length > 1, sides: new Map() };
  }

  private idOfBits(bits: Uint8Array): number {
    let id = this.bitsIds.get(bits);
    if (id === undefined) this.bitsIds.set(bits, (id = this.nextBitsId++));
    return id;
  }

  /**
   * Which peers a rule's peer side matches, computed once per rule over class representatives and ranges. With
   * `candidates`, only those peer indices are tested: the caller knows the others do not match.
   */
  bitsOf(
    rule: object,
    matches: (peer: Endpoint) => boolean,
    candidates?: () => Iterable<number> | undefined,
  ): Uint8Array {
    let bits = this.bits.get(rule);
    if (bits === undefined) {
      const { classes, externals } = this.host;
      const computed = new Uint8Array(classes.length + externals.length);
      const test = (peer: number) => {
        const endpoint =
          peer < classes.length
            ? workloadEndpoint(classes[peer]!.representative)
            : externals[peer - classes.length]!;
        if (matches(endpoint)) computed[peer] = 1;
      };
      const some = candidates?.();
      if (some !== undefined) for (const peer of some) test(peer);
      else for (let peer = 0; peer < computed.length; peer++) test(peer);
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
 * ranges lies in one base range, and is named when that range is (`finer`: by base peer index, the layered peer
 * indices of the ranges inside it).
 */
export function layeredPeers(
  basePeers: readonly number[] | undefined,
  classCount: number,
  finer: ReadonlyMap<number, readonly number[]>,
): readonly number[] | undefined {
  if (basePeers === undefined) return undefined;
  const peers: number[] = [];
  for (const peer of basePeers) {
    if (peer < classCount) peers.push(peer);
    else peers.push(...(finer.get(peer) ?? []));
  }
  return peers;
}
