// Paths whose verdict differs between two network plugins: the question a team migrating between them asks.
import type { Analysis } from '../analyze.js';
import type { Endpoint } from '../engine/endpoints.js';
import type { ConnectionSet } from '../semantics/connection-set.js';
import { cutAddressSpace, formatIpRange, type IpRange } from '../semantics/ip.js';
import { peerCidrs } from '../semantics/policy-ir.js';

export interface ProfileDifference {
  readonly source: string;
  readonly destination: string;
  readonly before: ConnectionSet;
  readonly after: ConnectionSet;
}

/**
 * Compares two analyses of the same inputs under different profiles. External ranges are cut at
 * every CIDR of the declared policies: a plugin only ever drops CIDRs, so each such range lies
 * inside one endpoint of either analysis.
 */
export function compareProfiles(before: Analysis, after: Analysis): ProfileDifference[] {
  const ranges = cutAddressSpace(before.model.policies.flatMap(peerCidrs));
  const differences: ProfileDifference[] = [];
  type Side = { id: string; in: (a: Analysis) => Endpoint | undefined };
  const workloads: Side[] = before.result.workloads.map((w) => ({
    id: w.id,
    in: (a: Analysis) => a.result.workloads.find((x) => x.id === w.id),
  }));
  const externals: Side[] = ranges.map((range: IpRange) => ({
    id: formatIpRange(range),
    in: (a: Analysis) => a.result.externalAt(range.family, range.start),
  }));
  const compare = (from: Side, to: Side): void => {
    const verdict = (a: Analysis) => {
      const source = from.in(a);
      const destination = to.in(a);
      return source === undefined || destination === undefined ? undefined : a.result.allowed(source, destination);
    };
    const was = verdict(before);
    const now = verdict(after);
    if (was !== undefined && now !== undefined && !was.equals(now)) {
      differences.push({ source: from.id, destination: to.id, before: was, after: now });
    }
  };
  for (const source of workloads) {
    for (const destination of [...workloads, ...externals]) if (source.id !== destination.id) compare(source, destination);
  }
  for (const source of externals) for (const destination of workloads) compare(source, destination);
  return differences.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0));
}
