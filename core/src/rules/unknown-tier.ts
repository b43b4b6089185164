// unknown-tier: a Calico policy placed in a tier that no Tier object in the input defines.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import type { ManifestObject } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';

/**
 * Tiers Calico creates itself (projectcalico/calico libcalico-go/lib/names: `default`, and the tiers of
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy, `adminnetworkpolicy`/`baselineadminnetworkpolicy` before 3.30
 * and `kube-admin`/`kube-baseline` since).
 */
const BUILT_IN_TIERS: readonly string[] = ['default', 'adminnetworkpolicy', 'baselineadminnetworkpolicy', 'kube-admin', 'kube-baseline'];

type CalicoPolicy = ManifestObject<'CalicoNetworkPolicy' | 'CalicoGlobalNetworkPolicy'>;

function isCalicoPolicy(object: ManifestObject): object is CalicoPolicy {
  return object.kind === 'CalicoNetworkPolicy' || object.kind === 'CalicoGlobalNetworkPolicy';
}

export default createRule({
  meta: {
    id: 'unknown-tier',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'A Calico policy in a tier that no Tier in the input defines',
    messages: {
      unknownTier:
        'tier "{{tier}}" is not defined by any Tier in the input (nor built into Calico): Calico refuses a policy in a tier that does not exist',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    const objects = analysis.load.objects.filter((object) => !object.rejected);
    const tiers = new Set([...BUILT_IN_TIERS, ...objects.filter((object) => object.kind === 'CalicoTier').map((object) => object.name)]);
    for (const object of objects) {
      if (!isCalicoPolicy(object)) continue;
      const tier = object.value.spec.tier;
      if (tier === undefined || tier === '' || tiers.has(tier)) continue;
      report({ messageId: 'unknownTier', data: { tier }, location: objectLocator(object)(['spec', 'tier']) });
    }
  },
});
