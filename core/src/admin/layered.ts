// What admin and Calico results share: a NetworkPolicy result underneath, finer external ranges, and the fast path
// through compiled tiers (TierFold) that answers `allowed` and names the peers a class's egress may reach.
import { ConnectivityResult, type SideVerdict } from '../engine/connectivity.js';
import {
  addressCut,
  workloadEndpoint,
  type Endpoint,
  type ExternalEndpoint,
  type WorkloadEndpoint,
} from '../engine/endpoints.js';
import { ConnectionSet } from '../semantics/connection-set.js';
import type { IpRange } from '../semantics/ip.js';
import { peerCidrs, type Direction, type PolicyRule } from '../semantics/policy-ir.js';
import { layeredPeers, TierFold, type FoldSide } from './tier-fold.js';

export abstract class LayeredResult extends ConnectivityResult {
  override readonly externals: readonly ExternalEndpoint[];
  protected readonly fold: TierFold;
  /** Each of this result's external ranges to the NetworkPolicy result's range that holds it. */
  private readonly coarse = new Map<ExternalEndpoint, Endpoint>();
  private finer: ReadonlyMap<number, readonly number[]> | undefined;

  /** `extraCidrs`: the layer's own address matches, at which external ranges are cut further. */
  constructor(
    protected readonly networkPolicies: ConnectivityResult,
    extraCidrs: readonly IpRange[],
  ) {
    super(networkPolicies.model);
    if (extraCidrs.length === 0) {
      this.externals = networkPolicies.externals;
      for (const e of this.externals) this.coarse.set(e, e);
    } else {
      this.externals = addressCut([...networkPolicies.model.policies.map(peerCidrs), extraCidrs]).endpoints;
      for (const e of this.externals) {
        const outer = networkPolicies.externalAt(e.range.family, e.range.start);
        if (outer === undefined) throw new Error(`no NetworkPolicy range holds ${e.id}`);
        this.coarse.set(e, outer);
      }
    }
    this.fold = new TierFold({
      classes: this.classes,
      externals: this.externals,
      classOfWorkload: (workload) => this.classOfWorkload(workload),
      compileSide: (direction, subject) => this.compileSide(direction, subject),
      blockConnections: (direction, subject, peer) => this.blockOf(direction, subject, peer),
      blockTable: (direction, classIndex) => networkPolicies.policyTableId(direction, classIndex),
      slowSide: (direction, subject, peer) => {
        const [source, destination] = direction === 'egress' ? [subject, peer] : [peer, subject];
        return this.explain(source, destination)[direction].connections;
      },
    });
  }

  /** A subject class representative's side as compiled tiers, or null where only the full walk is exact. */
  protected abstract compileSide(direction: Direction, subject: WorkloadEndpoint): FoldSide | null;

  /**
   * The matrix's question, answered without building explanations: each side folds the subject class's compiled
   * tiers over the peer, memoized by what the peer looks like to them (TierFold). `explain` walks the same tiers with
   * full records; the property tests hold the two equal. hostNetwork pods are governed by no policy.
   */
  override allowed(source: Endpoint, destination: Endpoint): ConnectionSet {
    if (source.kind === 'external' && destination.kind === 'external') return ConnectionSet.NONE;
    const egress = this.sideAllowed('egress', source, destination);
    if (egress.isEmpty) return egress;
    return egress.intersect(this.sideAllowed('ingress', destination, source));
  }

  /** One side's verdict through the tiers, as `explain(...)[direction].connections` gives it. */
  override sideAllowed(direction: Direction, subject: Endpoint, peer: Endpoint): ConnectionSet {
    if (subject.kind === 'external' || subject.workload.hostNetwork) return ConnectionSet.ALL;
    return this.fold.side(direction, subject, peer);
  }

  /**
   * Whether a tier evaluated before the NetworkPolicies (an admin policy, a Calico tier or policy ordered first) may
   * deny a subject's side something they allow, toward a peer or any; false means the side allows at least what its
   * NetworkPolicies allow (a cheap test over the compiled tiers' steps, which computes no verdict).
   */
  mayOverrideNetworkPolicies(direction: Direction, subject: WorkloadEndpoint, peer?: Endpoint): boolean {
    return !subject.workload.hostNetwork && this.fold.mayDecideBeforeBlock(direction, subject, peer);
  }

  /** A sound superset of the peers a class's egress may reach (undefined: every peer), for the matrix to skip the rest. */
  override egressPeers(classIndex: number): readonly number[] | undefined {
    return this.sidePeers('egress', classIndex);
  }

  /** A sound superset of the peers a class's ingress may admit anything from (undefined: every peer). */
  override ingressPeers(classIndex: number): readonly number[] | undefined {
    return this.sidePeers('ingress', classIndex);
  }

  private sidePeers(direction: Direction, classIndex: number): readonly number[] | undefined {
    const subjectClass = this.classes[classIndex]!;
    if (subjectClass.hostNetwork) return undefined;
    return this.fold.candidatePeers(direction, workloadEndpoint(subjectClass.representative), () => {
      const base =
        direction === 'egress'
          ? this.networkPolicies.egressPeers(classIndex)
          : this.networkPolicies.ingressPeers(classIndex);
      return layeredPeers(base, this.classes.length, this.finerRanges());
    });
  }

  override peersMatchedBy(rule: PolicyRule): Endpoint[] {
    // Each finer range lies inside one range of the NetworkPolicy result, so membership carries over exactly.
    const matched = new Set<Endpoint>(this.networkPolicies.peersMatchedBy(rule));
    return [
      ...[...matched].filter((e) => e.kind === 'workload'),
      ...this.externals.filter((e) => matched.has(this.toBase(e))),
    ];
  }

  override networkPolicySide(direction: Direction, subject: Endpoint, peer: Endpoint): SideVerdict {
    return this.networkPolicies.networkPolicySide(direction, this.toBase(subject), this.toBase(peer));
  }

  /** The NetworkPolicy result's side of a pair (the Kubernetes policies' block in the tiers). */
  blockOf(direction: Direction, subject: WorkloadEndpoint, peer: Endpoint): ConnectionSet {
    return this.networkPolicies.sideAllowed(direction, subject, this.toBase(peer));
  }

  /** An endpoint of this result as the NetworkPolicy result knows it. */
  protected toBase(endpoint: Endpoint): Endpoint {
    return endpoint.kind === 'workload' ? endpoint : (this.coarse.get(endpoint) ?? endpoint);
  }

  /** By peer index of a NetworkPolicy result's range, the peer indices of this result's ranges inside it. */
  private finerRanges(): ReadonlyMap<number, readonly number[]> {
    if (this.finer === undefined) {
      const classCount = this.classes.length;
      const baseIndex = new Map(this.networkPolicies.externals.map((e, k) => [e, classCount + k]));
      const finer = new Map<number, number[]>();
      this.externals.forEach((external, k) => {
        const base = baseIndex.get(this.toBase(external) as ExternalEndpoint);
        if (base === undefined) return;
        const list = finer.get(base);
        if (list === undefined) finer.set(base, [classCount + k]);
        else list.push(classCount + k);
      });
      this.finer = finer;
    }
    return this.finer;
  }
}
