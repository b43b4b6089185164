// Matrix endpoints: workloads and the external address ranges that every ipBlock in the input cuts out.
import type { Workload } from '../model/cluster.js';
import { formatIpRange, type IpRange } from '../semantics/ip.js';

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

export function externalEndpoint(range: IpRange): ExternalEndpoint {
  return { kind: 'external', id: formatIpRange(range), range };
}
