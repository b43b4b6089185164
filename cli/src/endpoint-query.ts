// Finds the endpoint a user named: `ns/name[Kind]`, `ns/name`, `Kind/name`, `name`, or an IP address.
import { parseIp, type ConnectivityResult, type Endpoint } from '@kubereach/core';

export type EndpointLookup = { readonly endpoint: Endpoint } | { readonly error: string };

export function findEndpoint(result: ConnectivityResult, query: string, defaultNamespace: string): EndpointLookup {
  const address = parseIp(query);
  if (address !== undefined) {
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
