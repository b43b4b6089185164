// Runs the real pipeline on a generated cluster and lists every sampled connection where the engine and the reference evaluator disagree.
import { analyze, formatIp, type ConnectionSet, type Endpoint, type ExternalEndpoint } from '@kubereach/core';
import { dump } from 'js-yaml';
import {
  referenceAllows,
  referenceWorkloads,
  type ExternalAddress,
  type KubeObject,
  type PortProtocol,
  type ReferenceEndpoint,
  type ReferenceWorkload,
} from '../reference/reference.js';
import { matrixDisagreements } from './matrix-consistency.js';

const PORT_PROTOCOLS: readonly PortProtocol[] = ['TCP', 'UDP', 'SCTP'];
/** Portless protocols probed: the reference's `ICMP` stands for all of them (ICMP, GRE, ICMPv6). */
const PORTLESS_PROTOCOLS = [1, 47, 58];

/** One multi-document text; `noRefs` because generated objects share instances, which js-yaml would write as anchors. */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => dump(object, { noRefs: true })).join('---\n');
}

function addAround(ports: Set<number>, port: number): void {
  for (const candidate of [port - 1, port, port + 1]) if (candidate >= 1 && candidate <= 65535) ports.add(candidate);
}

/**
 * Every port and endPort in the cluster and every container port, each ±1, plus the extremes:
 * the reference's verdict can only change between a sampled port and its sampled neighbour.
 */
export function samplePorts(objects: readonly KubeObject[]): Set<number> {
  const ports = new Set<number>([1, 65535]);
  for (const workload of referenceWorkloads(objects)) for (const port of workload.ports) addAround(ports, port.containerPort);
  for (const object of objects) {
    if (object.kind !== 'NetworkPolicy') continue;
    const rules = [...(object.spec.ingress ?? []), ...(object.spec.egress ?? [])];
    for (const rule of rules) {
      for (const entry of rule.ports ?? []) {
        if (typeof entry.port === 'number') addAround(ports, entry.port);
        if (entry.endPort !== undefined) addAround(ports, entry.endPort);
      }
    }
  }
  return ports;
}

/**
 * The cluster's sample plus the edges of the engine's own intervals: with both functions' change
 * points sampled on both sides, agreeing on the sample means agreeing on all 65535 ports.
 */
function portsToCompare(clusterPorts: ReadonlySet<number>, allowed: ConnectionSet, protocol: PortProtocol): number[] {
  const ports = new Set(clusterPorts);
  for (const interval of allowed.portsOf(protocol).intervals) {
    addAround(ports, interval.start);
    addAround(ports, interval.end);
  }
  return [...ports].sort((a, b) => a - b);
}

/** The addresses probed in an external range: its ends and its middle. */
function probeAddresses(endpoint: ExternalEndpoint): ExternalAddress[] {
  const { family, start, end } = endpoint.range;
  return [start, (start + end) / 2n, end].map((address) => ({ family, address }));
}

function describeAddress(address: ExternalAddress): string {
  return typeof address === 'string' ? address : formatIp(address.family, address.address);
}

interface Side {
  /** What the engine calls it. */
  readonly engine: Endpoint;
  /** What the reference is asked about. */
  readonly reference: ReferenceEndpoint;
  readonly label: string;
}

export interface Comparison {
  readonly yaml: string;
  /** Input issues of error severity: the generator or the loader is wrong. */
  readonly errors: readonly string[];
  readonly disagreements: readonly string[];
  /** Pairs compared, to check the generators exercise something. */
  readonly pairs: number;
}

/** Checks the engine against the reference for every sampled connection of every compared pair, and its matrices against its pairs. */
export function compareWithReference(objects: readonly KubeObject[]): Comparison {
  const yaml = toYaml(objects);
  const { result, issues } = analyze([{ path: 'gen.yaml', text: yaml }]);
  const errors = issues.filter((issue) => issue.severity === 'error').map((issue) => `${issue.code}: ${issue.message}`);
  const disagreements: string[] = [];
  const ports = samplePorts(objects);

  const generated = new Map<string, ReferenceWorkload>();
  for (const workload of referenceWorkloads(objects)) generated.set(`${workload.namespace}/${workload.name}[${workload.kind}]`, workload);
  const workloadSides: Side[] = [];
  for (const endpoint of result.workloads) {
    const key = `${endpoint.workload.namespace}/${endpoint.workload.name}[${endpoint.workload.kind}]`;
    const workload = generated.get(key);
    if (workload === undefined) disagreements.push(`the engine has a workload ${endpoint.id} that was not generated`);
    else workloadSides.push({ engine: endpoint, reference: workload, label: endpoint.id });
  }
  if (workloadSides.length !== generated.size) {
    disagreements.push(`generated ${[...generated.keys()].join(', ')} but the engine has ${result.workloads.map((endpoint) => endpoint.id).join(', ')}`);
  }

  let pairs = 0;
  const comparePair = (source: Side, destination: Side): void => {
    pairs += 1;
    const allowed: ConnectionSet = result.allowed(source.engine, destination.engine);
    const explained = result.explain(source.engine, destination.engine).connections;
    if (!explained.equals(allowed)) {
      disagreements.push(`${source.label} -> ${destination.label}: explain() gives ${explained.toString()} but allowed() gives ${allowed.toString()}`);
    }
    const check = (what: string, engine: boolean, reference: boolean) => {
      if (engine !== reference) disagreements.push(`${source.label} -> ${destination.label} ${what}: engine ${engine}, reference ${reference} (engine set: ${allowed.toString()})`);
    };
    for (const protocol of PORT_PROTOCOLS) {
      for (const port of portsToCompare(ports, allowed, protocol)) {
        check(`${protocol} ${port}`, allowed.allows(protocol, port), referenceAllows(objects, source.reference, destination.reference, protocol, port));
      }
    }
    const portless = referenceAllows(objects, source.reference, destination.reference, 'ICMP', 0);
    for (const number of PORTLESS_PROTOCOLS) check(`protocol ${number}`, allowed.portless.has(number), portless);
  };

  for (const source of workloadSides) {
    for (const destination of workloadSides) if (source !== destination) comparePair(source, destination);
  }

  for (const external of result.externals) {
    const addresses = probeAddresses(external);
    for (const workload of workloadSides) {
      for (const address of addresses) {
        const side: Side = { engine: external, reference: address, label: `${external.id} (at ${describeAddress(address)})` };
        comparePair(workload, side);
        comparePair(side, workload);
      }
      // The engine treats each range as one endpoint: the reference must agree that it is uniform.
      for (const protocol of [...PORT_PROTOCOLS, 'ICMP' as const]) {
        for (const port of protocol === 'ICMP' ? [0] : [...ports]) {
          const outgoing = addresses.map((address) => referenceAllows(objects, workload.reference, address, protocol, port));
          const incoming = addresses.map((address) => referenceAllows(objects, address, workload.reference, protocol, port));
          if (new Set(outgoing).size > 1 || new Set(incoming).size > 1) {
            disagreements.push(`${external.id} is not uniform for ${workload.label} on ${protocol} ${port}: to ${outgoing.join('/')}, from ${incoming.join('/')}`);
          }
        }
      }
    }
  }
  disagreements.push(...matrixDisagreements(result));
  return { yaml, errors, disagreements, pairs };
}
