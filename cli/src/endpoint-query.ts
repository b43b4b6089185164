// Finds the endpoint a user named: `ns/name[Kind]`, `ns/name`, `Kind/name`, `name`, or an IP address.
import { parseIp, type ConnectivityResult, type Endpoint } from '@kubereach/core';

/** `note` says how an address was read when it is a pod's. */
export type EndpointLookup = { readonly endpoint: Endpoint; readonly note?: string } | { readonly error: string };

/**
 * The endpoint a query names. An address is the pod's that has it (a Pod read from a cluster carries status.podIP),
 * else the external range holding it.
 */
export function findEndpoint(result: ConnectivityResult, query: string, defaultNamespace: string): EndpointLookup {
  const address = parseIp(query);
  if (address !== undefined) {
    const pods = result.workloads.filter((e) => e.workload.addresses.some((a) => a.family === address.family && a.value === address.value));
    // hostNetwork pods on one node share its address.
    if (pods.length > 1) return { error: `${query} is the address of several pods: ${pods.map((p) => p.id).join(', ')}` };
    if (pods[0] !== undefined) return { endpoint: pods[0], note: `${query} is the address of ${pods[0].id} (its status.podIP)` };
    const external = result.externalAt(address.family, address.value);
    if (external !== undefined) return { endpoint: external };
    return { error: `no external range holds ${query} (IPv6 appears only when some policy names an IPv6 cidr)` };
  }
  const match = /^(?:(?<namespace>[^/[\]]+)\/)?(?<name>[^/[\]]+)(?:\[(?<kind>[A-Za-z]+)\])?$/.exec(query);
  if (match?.groups === undefined) return { error: `cannot read endpoint "${query}": use namespace/name[Kind], namespace/name, name or an IP address` };
  const { namespace, name, kind } = match.groups as { namespace?: string; name: string; kind?: string };
  const lowerKind = kind?.toLowerCase();
  const candidates = result.workloads.filter((endpoint) => {
    const w = endpoint.workload;
    if (w.name !== name) return false;
    if (lowerKind !== undefined && w.kind.toLowerCase() !== lowerKind) return false;
    // `Kind/name` is accepted too, the kubectl way.
    if (namespace !== undefined) return w.namespace === namespace || w.kind.toLowerCase() === namespace.toLowerCase();
    return true;
  });
  const preferred =
    namespace === undefined && candidates.length > 1 ? candidates.filter((c) => c.workload.namespace === defaultNamespace) : candidates;
  if (preferred.length === 1) return { endpoint: preferred[0]! };
  if (candidates.length === 0) {
    const similar = result.workloads.filter((e) => e.workload.name.includes(name) || name.includes(e.workload.name)).slice(0, 5);
    const hint = similar.length > 0 ? `; did you mean ${similar.map((e) => e.id).join(', ')}?` : '';
    return { error: `no workload matches "${query}"${hint}` };
  }
  return { error: `"${query}" is ambiguous: ${candidates.map((c) => c.id).join(', ')}` };
}
