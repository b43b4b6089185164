// pod-ip-in-ipblock: an ipBlock that holds the IP address of a pod in the input (live clusters give pods their IPs).
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import type { ManifestObject } from '../manifest/types.js';
import { rangeAt } from '../manifest/paths.js';
import { parseIp, rangeContains, type IpRange } from '../semantics/ip.js';

interface PodAddress {
  readonly pod: ManifestObject<'Pod'>;
  readonly ip: string;
  readonly range: IpRange;
  /** Where the address is written: status.podIP or status.podIPs[i].ip. */
  readonly path: readonly (string | number)[];
}

/** Each distinct address of each accepted pod that has one (only pods read from a cluster, or exported, do). */
function podAddresses(objects: readonly ManifestObject[]): PodAddress[] {
  const addresses: PodAddress[] = [];
  for (const object of objects) {
    if (object.kind !== 'Pod' || object.rejected) continue;
    const pod = object as ManifestObject<'Pod'>;
    const status = pod.value.status;
    const written: { ip: string; path: (string | number)[] }[] = [
      ...(status?.podIP === undefined ? [] : [{ ip: status.podIP, path: ['status', 'podIP'] }]),
      ...(status?.podIPs ?? []).map((entry, index) => ({ ip: entry.ip, path: ['status', 'podIPs', index, 'ip'] })),
    ];
    const seen = new Set<string>();
    for (const { ip, path } of written) {
      const parsed = parseIp(ip);
      if (parsed === undefined || seen.has(`${parsed.family}:${parsed.value}`)) continue;
      seen.add(`${parsed.family}:${parsed.value}`);
      addresses.push({ pod, ip, path, range: { family: parsed.family, start: parsed.value, end: parsed.value } });
    }
  }
  return addresses;
}

export default createRule({
  meta: {
    id: 'pod-ip-in-ipblock',
    category: 'portability',
    defaultSeverity: 'warning',
    description: 'An ipBlock that holds the IP address of a pod, whose traffic ipBlocks may or may not match depending on the network plugin',
    messages: {
      podInBlock:
        '{{direction}} rule {{rule}} of policy {{policy}}: ipBlock {{cidr}} holds {{ip}}, the IP of pod {{pod}}; whether an ipBlock matches pod traffic depends on the network plugin, select the pod with a podSelector instead',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const addresses = podAddresses(analysis.load.objects);
    if (addresses.length === 0) return;
    for (const policy of analysis.model.policies) {
      for (const direction of [policy.ingress, policy.egress]) {
        for (const rule of direction?.rules ?? []) {
          if (rule.peers.kind !== 'list') continue;
          for (const peer of rule.peers.peers) {
            if (peer.kind !== 'ipBlock') continue;
            for (const address of addresses) {
              if (!rangeContains(peer.cidr, address.range) || peer.except.some((except) => rangeContains(except, address.range))) continue;
              const { pod } = address;
              report({
                messageId: 'podInBlock',
                data: {
                  direction: rule.direction,
                  rule: rule.index + 1,
                  policy: policy.id,
                  cidr: peer.cidr.text,
                  ip: address.ip,
                  pod: `${pod.namespace ?? 'default'}/${pod.name}`,
                },
                location: peer.location,
                related: [
                  {
                    location: { file: pod.document.file, range: rangeAt(pod.document, [...pod.basePath, ...address.path]) },
                    message: `pod ${pod.name} has IP ${address.ip}`,
                  },
                ],
              });
            }
          }
        }
      }
    }
  },
});
