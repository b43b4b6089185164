// Property, for each network plugin profile: the engine under the profile allows exactly what the plain reference
// allows on the cluster as the plugin enforces it (policies dropped, egress ignored, endPort reduced, ...).
import { analyze, PROFILE_FAMILIES, resolveProfile, type Capabilities, type ConnectionSet, type Endpoint } from '@kubereach/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { underProfile } from '../reference/profile-reference.js';
import { referenceAllows, referenceWorkloads, type ExternalAddress, type KubeObject, type PortProtocol, type ReferenceEndpoint } from '../reference/reference.js';
import { clusterArbitrary, DEFAULT_SHAPE } from './cluster-arbitraries.js';
import { samplePorts, toYaml } from './compare-with-reference.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? '0') || 60;
const PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];

/** One profile per distinct set of NetworkPolicy capabilities (checked below to cover every family and version named). */
const PROFILES = ['generic', 'kubenet', 'calico@3.18', 'cilium@1.14', 'cilium@1.15', 'cilium', 'weave', 'azure-npm@1', 'azure-npm-windows', 'openshift-sdn', 'aci@6.1.1'];

const NETWORK_POLICY_CAPABILITIES = ['enforcement', 'endPort', 'namedPorts', 'ipBlockExcept', 'ipBlockMatchesInCluster', 'sctp', 'negativeSelectors', 'rejectionScope'] as const;
/** `unknown` and `needs-configuration` leave the matrix at upstream semantics (an info says so): they compare as `supported`. */
const signature = (c: Capabilities) =>
  JSON.stringify(NETWORK_POLICY_CAPABILITIES.map((k) => (c[k] === 'unknown' || c[k] === 'needs-configuration' ? 'supported' : c[k])));

function capabilitiesOf(id: string): Capabilities {
  const profile = resolveProfile(id);
  if ('error' in profile) throw new Error(profile.error);
  return profile.capabilities;
}

function compare(cluster: KubeObject[], profile: string): string[] {
  const yaml = toYaml(cluster);
  const { result, issues } = analyze([{ path: 'gen.yaml', text: yaml }], { cni: profile });
  const errors = issues.filter((i) => i.severity === 'error').map((i) => `${i.code}: ${i.message}`);
  if (errors.length > 0) return [...errors, yaml];
  const enforced = underProfile(cluster, capabilitiesOf(profile));
  const portSample = samplePorts(cluster);
  const byId = new Map(referenceWorkloads(cluster).map((w) => [`${w.namespace}/${w.name}[${w.kind}]`, w]));
  const sides: { engine: Endpoint; reference: ReferenceEndpoint | ExternalAddress; label: string }[] = [
    ...result.workloads.map((w) => ({ engine: w, reference: byId.get(`${w.workload.namespace}/${w.workload.name}[${w.workload.kind}]`)!, label: w.id })),
    ...result.externals.flatMap((e) => [e.range.start, e.range.end].map((address) => ({ engine: e, reference: { family: e.range.family, address }, label: `${e.id}@${address}` }))),
  ];
  const disagreements: string[] = [];
  for (const source of sides) {
    for (const destination of sides) {
      if (source.engine === destination.engine || (source.engine.kind === 'external' && destination.engine.kind === 'external')) continue;
      const allowed: ConnectionSet = result.allowed(source.engine, destination.engine);
      for (const protocol of PROTOCOLS) {
        const sample = new Set(portSample);
        for (const interval of allowed.portsOf(protocol).intervals) {
          for (const p of [interval.start - 1, interval.start, interval.end, interval.end + 1]) if (p >= 1 && p <= 65535) sample.add(p);
        }
        for (const port of sample) {
          const expected = referenceAllows(enforced, source.reference, destination.reference, protocol, port);
          if (allowed.allows(protocol, port) !== expected) disagreements.push(`${profile}: ${source.label} -> ${destination.label} ${protocol} ${port}: engine ${!expected}, reference ${expected}`);
        }
      }
      if (disagreements.length > 5) return [...disagreements, yaml];
    }
  }
  return disagreements.length > 0 ? [...disagreements, yaml] : [];
}

describe('network plugin profiles: engine vs plain reference on the cluster as the plugin enforces it', () => {
  it('the profiles compared cover every set of NetworkPolicy capabilities a profile has', () => {
    const compared = new Set(PROFILES.map((id) => signature(capabilitiesOf(id))));
    const versions = ['1.0', '1.15', '1.16', '1.20', '2.7', '3.18', '3.19', '3.29', '3.32', '6.1.1', '6.1.2.1'];
    for (const family of PROFILE_FAMILIES) {
      for (const id of [family.name, ...versions.map((v) => `${family.name}@${v}`)]) {
        expect(compared.has(signature(capabilitiesOf(id))), `${id} has capabilities no compared profile has`).toBe(true);
      }
    }
  });

  for (const profile of PROFILES) {
    it(`agree under ${profile}`, () => {
      fc.assert(
        fc.property(clusterArbitrary(DEFAULT_SHAPE), (cluster) => {
          const problems = compare(cluster, profile);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { numRuns: RUNS },
      );
    });
  }
});
