// `kubereach test` end to end: a protocol without ports asks about every port of that protocol, for allow and deny.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempTree } from './run-cli.js';

// In the example shop, api may reach postgres on TCP 5432 only.
const expectations = `expectations:
  - {from: shop/api, to: shop/postgres, protocol: UDP, expect: deny}
  - {from: shop/api, to: shop/postgres, protocol: UDP, expect: allow}
  - {from: shop/api, to: shop/postgres, protocol: TCP, expect: allow}
  - {from: shop/api, to: shop/postgres, protocol: TCP, expect: deny}
  - {from: shop/api, to: shop/postgres, expect: allow}
`;

describe('kubereach test with a protocol and no ports', () => {
  it('checks every port of the protocol: allow needs one of them, deny none', () => {
    const root = tempTree({ 'net.yaml': expectations });
    const run = runCli(['test', join(root, 'net.yaml'), 'examples/shop']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('✔ shop/api => shop/postgres on UDP: deny');
    expect(lines).toContain(`✖ shop/api => shop/postgres on UDP: allow  ${join(root, 'net.yaml')}:3:5`);
    expect(lines).toContain(
      '    shop/api[Deployment] => shop/postgres[StatefulSet]: expected to allow any UDP connection, but egress of shop/api[Deployment] allows TCP 5432; ingress of shop/postgres[StatefulSet] allows TCP 5432',
    );
    expect(lines).toContain('✔ shop/api => shop/postgres on TCP: allow');
    expect(lines).toContain(`✖ shop/api => shop/postgres on TCP: deny  ${join(root, 'net.yaml')}:5:5`);
    expect(run.stdout).toContain('shop/api[Deployment] => shop/postgres[StatefulSet]: expected to deny any TCP connection, but TCP 5432 is allowed');
    expect(lines).toContain('✔ shop/api => shop/postgres: allow');
    expect(run.stdout).toMatch(/\n5 expectations: 3 passed, 2 failed\n$/);
  });
});
