// Matrix endpoints: workloads and the external address ranges that every ipBlock in the input cuts out.
import type { Workload } from '../model/cluster.js';
import { cutAddressSpace, formatIpRange, type IpRange } from '../semantics/ip.js';

export interface WorkloadEndpoint {
  readonly kind: 'workload';
  /** `namespace/name[Kind]`. */
  readonly id: string;
  readonly workload: Workload;
}

export interface ExternalEndpoint {
  readonly kind: 'external';
  /** `a.b.c.d-e.f.g.h`. */
  readonly id: string;
  readonly range: IpRange;
}

export type Endpoint = WorkloadEndpoint | ExternalEndpoint;

export function workloadEndpoint(workload: Workload): WorkloadEndpoint {
  return { kind: 'workload', id: workload.id, workload };
}

/** Kept with each workload, which the model keeps across a language server's analyses. */
const workloadEndpoints = new WeakMap<Workload, WorkloadEndpoint>();

/**
 * The workload's endpoint, the same object for the same workload: a result's endpoints, made again for every
 * analysis after an edit. A new endpoint is cheaper where the object need not last (a lookup in a hot loop).
 */
export function keptWorkloadEndpoint(workload: Workload): WorkloadEndpoint {
  let endpoint = workloadEndpoints.get(workload);
  if (endpoint === undefined) workloadEndpoints.set(workload, (endpoint = workloadEndpoint(workload)));
  return endpoint;
}

export function externalEndpoint(range: IpRange): ExternalEndpoint {
  return { kind: 'external', id: formatIpRange(range), range };
}

/** The address space cut at every CIDR of some lists (cutAddressSpace), as ranges and their external endpoints. */
export interface AddressCut {
  readonly ranges: readonly IpRange[];
  readonly endpoints: readonly ExternalEndpoint[];
}

/** The last cuts made, most recent first: a NetworkPolicy result and a layered one each make one per analysis. */
const recentCuts: { readonly lists: readonly (readonly IpRange[])[]; readonly cut: AddressCut }[] = [];
const KEPT_CUTS = 4;

/**
 * The cut at the CIDRs of `lists`, made again only when they differ from a recent call's: a language server's next
 * analysis reads the same lists (compiled policies keep theirs), and cutting and naming thousands of ranges per edit
 * would be most of its garbage.
 */
export function addressCut(lists: readonly (readonly IpRange[])[]): AddressCut {
  const index = recentCuts.findIndex((recent) => sameLists(recent.lists, lists));
  const recent = index >= 0 ? recentCuts.splice(index, 1)[0]! : undefined;
  let cut = recent?.cut;
  if (cut === undefined) {
    const ranges = cutAddressSpace(lists.flat());
    cut = { ranges, endpoints: ranges.map(externalEndpoint) };
  }
  recentCuts.unshift({ lists, cut });
  recentCuts.length = Math.min(recentCuts.length, KEPT_CUTS);
  return cut;
}

function sameLists(a: readonly (readonly IpRange[])[], b: readonly (readonly IpRange[])[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x === y) continue;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) {
      const r = x[j]!;
      const s = y[j]!;
      if (r !== s && (r.family !== s.family || r.start !== s.start || r.end !== s.end)) return false;
    }
  }
  return true;
}
