// egress-to-anywhere: an egress rule that allows every destination, every pod of every namespace, or a whole address family.
import { createRule } from '../lint/types.js';
import { checkOpenPeers, openPeerOptions } from './open-peers.js';

export default createRule({
  meta: {
    id: 'egress-to-anywhere',
    category: 'over-permissive',
    defaultSeverity: 'warning',
    description: 'An egress rule that allows every destination: no to, every pod of every namespace, or 0.0.0.0/0 or ::/0',
    messages: {
      everything: '{{rule}} has no to, so it allows every destination, inside and outside the cluster, on {{ports}}',
      everyPod: '{{rule}} allows every pod of every namespace ({{selector}}) on {{ports}}',
      everyAddress: '{{rule}} allows every {{family}} address ({{cidr}}) on {{ports}}',
    },
  },
  options: openPeerOptions,
  check: checkOpenPeers('egress'),
});
