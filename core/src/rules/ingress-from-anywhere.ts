// ingress-from-anywhere: an ingress rule that admits every source, every pod of every namespace, or a whole address family.
import { createRule } from '../lint/types.js';
import { checkOpenPeers, openPeerOptions } from './open-peers.js';

export default createRule({
  meta: {
    id: 'ingress-from-anywhere',
    category: 'over-permissive',
    defaultSeverity: 'warning',
    description: 'An ingress rule that admits every source: no from, every pod of every namespace, or 0.0.0.0/0 or ::/0',
    messages: {
      everything: '{{rule}} has no from, so it admits every source, inside and outside the cluster, on {{ports}}',
      everyPod: '{{rule}} admits every pod of every namespace ({{selector}}) on {{ports}}',
      everyAddress: '{{rule}} admits every {{family}} address ({{cidr}}) on {{ports}}',
    },
  },
  options: openPeerOptions,
  check: checkOpenPeers('ingress'),
});
