// duplicate-policy-name: two NetworkPolicies with the same namespace and name, which cannot both exist in a cluster.
import { z } from 'zod';
import { createRule } from '../lint/types.js';
import type { ManifestObject } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';

export default createRule({
  meta: {
    id: 'duplicate-policy-name',
    category: 'correctness',
    defaultSeverity: 'error',
    description: 'Two NetworkPolicies with the same namespace and name',
    messages: {
      duplicate:
        'NetworkPolicy {{namespace}}/{{name}} is already defined (in {{first}}): a cluster holds one object per name, so one definition overwrites the other; the analysis leaves this one out',
    },
  },
  options: z.strictObject({}),
  check({ analysis, report }) {
    // Rejected objects included: the loader rejects the later duplicates, which are exactly what this rule reports.
    const first = new Map<string, Map<string, ManifestObject>>();
    for (const object of analysis.load.objects) {
      if (object.kind !== 'NetworkPolicy' || object.name === '') continue;
      // As the loader's identity check: an object without metadata.namespace goes to `default`.
      const namespace = object.namespace ?? 'default';
      let named = first.get(namespace);
      if (named === undefined) first.set(namespace, (named = new Map()));
      const earlier = named.get(object.name);
      if (earlier === undefined) {
        named.set(object.name, object);
        continue;
      }
      report({
        messageId: 'duplicate',
        data: { name: object.name, namespace, first: earlier.document.file },
        location: objectLocator(object)(['metadata', 'name']),
        related: [
          {
            location: objectLocator(earlier)(['metadata', 'name']),
            message: `first definition of ${namespace}/${object.name}`,
          },
        ],
      });
    }
  },
});
