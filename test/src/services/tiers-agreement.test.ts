// The views of the service layer agree on inputs with admin and Calico tiers: `matrix --services`, `explain <client>
// svc/...`, `exposure` and the Service rules answer the same questions alike (built CLI, fixtures with tiers).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli.js';

const TIERED = ['admin-tiers', 'calico-tiers'];

interface ServiceRow {
  readonly client: string;
  readonly service: string;
  readonly port: { readonly port: number; readonly protocol: string };
  readonly ingress: unknown;
  readonly backends: readonly { readonly workload: string; readonly allowed: boolean }[];
}
interface Exposure {
  readonly external: readonly {
    readonly service: string;
    readonly port: number;
    readonly ingress: unknown;
  }[];
  readonly crossNamespace: readonly { readonly workload: string }[];
}
interface Finding {
  readonly ruleId: string;
  readonly message: string;
}
interface ServiceObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: {
    readonly type?: string;
    readonly ports?: readonly { readonly port: number; readonly protocol?: string }[];
  };
}

function json<T>(args: readonly string[]): T {
  const run = runCli(args);
  if (run.stderr !== '') throw new Error(run.stderr);
  return JSON.parse(run.stdout) as T;
}

/** The Service ports of a fixture's manifests, as `namespace/name` and port. */
function servicePorts(
  folder: string,
): { readonly service: string; readonly port: number; readonly protocol: string }[] {
  const root = join(repoRoot, 'test', 'fixtures-services', folder);
  return readdirSync(root)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => loadAll(readFileSync(join(root, file), 'utf8')) as ServiceObject[])
    .filter((o) => o?.kind === 'Service' && o.spec?.type !== 'ExternalName')
    .flatMap((o) =>
      (o.spec?.ports ?? []).map((p) => ({
        service: `${o.metadata!.namespace}/${o.metadata!.name}`,
        port: p.port,
        protocol: p.protocol ?? 'TCP',
      })),
    );
}

/** explain's verdicts: the DNS hop, and each backend hop's. */
function explainPath(client: string, service: string, port: number, inputs: readonly string[]) {
  const run = runCli(['explain', client, `svc/${service}:${port}`, ...inputs, '--no-color']);
  if (run.stderr !== '') throw new Error(run.stderr);
  const dns = /^hop 1: .* through cluster DNS .*: (ALLOWED|DENIED)/m.exec(run.stdout)?.[1];
  const backends = [...run.stdout.matchAll(/^hop \d+: \S+ => (\S+) on \w+ \d+: (ALLOWED|DENIED)$/gm)].map(
    (m) => [m[1]!, m[2] === 'ALLOWED'] as const,
  );
  return {
    dnsAllowed: dns === 'ALLOWED',
    allowed: backends
      .filter(([, ok]) => ok)
      .map(([backend]) => backend)
      .sort(),
  };
}

/** The workload ids a finding's message names before `cannot reach` (egress-blocks-dns lists the workloads it is about). */
function workloadsNamed(message: string): string[] {
  return [...(message.split(' cannot reach ')[0] ?? '').matchAll(/[\w.-]+\/[\w.-]+\[\w+\]/g)].map(
    (m) => m[0],
  );
}

/** Every view of one fixture, run once. */
function viewsOf(folder: string) {
  const inputs = [`test/fixtures-services/${folder}`];
  const rows = json<{ rows: ServiceRow[] }>(['matrix', ...inputs, '--services', '-o', 'json']).rows.filter(
    (r) => r.ingress === null,
  );
  const exposure = json<Exposure>(['exposure', ...inputs, '-o', 'json']);
  const findings = json<{ findings: Finding[] }>(['lint', ...inputs, '-f', 'json']).findings;
  const clients = exposure.crossNamespace.map((a) => a.workload);
  const paths = clients.flatMap((client) =>
    servicePorts(folder).map((p) => ({
      client,
      ...p,
      explained: explainPath(client, p.service, p.port, inputs),
    })),
  );
  return { rows, exposure, findings, paths };
}

describe.each(TIERED)('the service views agree on %s', (folder) => {
  let views: ReturnType<typeof viewsOf> | undefined;
  const data = () => (views ??= viewsOf(folder));

  it('explain reaches through a Service port exactly the backends matrix --services lists', () => {
    const { paths, rows } = data();
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const row = rows.find(
        (r) =>
          r.client === path.client &&
          r.service === path.service &&
          r.port.port === path.port &&
          r.port.protocol === path.protocol,
      );
      const listed = (row?.backends ?? [])
        .filter((b) => b.allowed)
        .map((b) => b.workload)
        .sort();
      expect(path.explained.allowed, `${path.client} => ${path.service}:${path.port}`).toEqual(listed);
    }
  });

  it('service-unreachable flags only ports no client reaches in matrix --services and exposure publishes nothing of', () => {
    const { findings, rows, exposure } = data();
    const flagged = findings
      .filter((f) => f.ruleId === 'service-unreachable')
      .map((f) => /port (\w+) (\d+) of Service (\S+):/.exec(f.message)!);
    for (const [, protocol, port, service] of flagged) {
      expect(
        rows.filter(
          (r) => r.service === service && r.port.port === Number(port) && r.port.protocol === protocol,
        ),
      ).toEqual([]);
      expect(
        exposure.external.filter(
          (e) => e.service === service && e.port === Number(port) && e.ingress === null,
        ),
      ).toEqual([]);
    }
  });

  it('unintended-exposure flags no Service through which exposure lists an outside client', () => {
    const { findings, exposure } = data();
    const flagged = findings
      .filter((f) => f.ruleId === 'unintended-exposure')
      .map((f) => /^Service (\S+) of type/.exec(f.message)?.[1]);
    for (const service of flagged)
      expect(exposure.external.filter((e) => e.service === service && e.ingress === null)).toEqual([]);
  });

  it('egress-blocks-dns flags only workloads whose DNS hop explain denies', () => {
    const { findings, paths } = data();
    const blocked = new Set(
      findings.filter((f) => f.ruleId === 'egress-blocks-dns').flatMap((f) => workloadsNamed(f.message)),
    );
    for (const path of paths)
      if (blocked.has(path.client)) expect(path.explained.dnsAllowed, path.client).toBe(false);
  });
});
