// Which containers' ports a workload has: its containers' and its sidecars' (init containers with restartPolicy
// Always), for Service targetPorts, NetworkPolicy named ports and the rules that look for a port no container serves.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { EMPTY_CONFIG, resolveRules } from '../lint/config.js';
import { lint } from '../lint/lint.js';
import { RULES } from '../rules/index.js';
import { buildServiceModel } from './services.js';

const api = (initContainers: string, containers = '[{name: app, image: app, ports: [{name: http, containerPort: 8080}]}]') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: edge}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      initContainers: ${initContainers}
      containers: ${containers}
`;
const web = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: edge}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: edge}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: proxy}]
`;
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: edge}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: proxy}]
`;
const sidecar = '[{name: proxy, image: envoy, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}]';
// An init container without restartPolicy runs to completion before the containers start: nothing of it serves.
const plainInit = '[{name: proxy, image: envoy, ports: [{name: proxy, containerPort: 15001}]}]';

function analyzed(apiText: string) {
  const analysis = analyze([{ path: 'x.yaml', text: [apiText, web, service, policy].join('---\n') }]);
  const find = (id: string) => analysis.result.endpoints.find((e) => e.id === id)!;
  const findings = lint(analysis, resolveRules(RULES, EMPTY_CONFIG)).findings.map((f) => f.ruleId);
  const [serviceInfo] = buildServiceModel(analysis.load.objects, analysis.model).services;
  return {
    workload: analysis.model.workloads.find((w) => w.name === 'api')!,
    allowed: analysis.result.allowed(find('edge/web[Deployment]'), find('edge/api[Deployment]')).toString(),
    targetPorts: serviceInfo!.ports[0]!.backends.map((backend) => backend.targetPort),
    findings,
  };
}

describe('the ports of a sidecar container', () => {
  it('are ports of the workload, after those of its containers', () => {
    expect(analyzed(api(sidecar)).workload.ports).toEqual([
      { container: 'app', name: 'http', port: 8080, protocol: 'TCP' },
      { container: 'proxy', name: 'proxy', port: 15001, protocol: 'TCP' },
    ]);
  });

  it("resolve a Service's targetPort and a policy's named port, so no rule says nothing serves them", () => {
    const { allowed, targetPorts, findings } = analyzed(api(sidecar));
    expect(allowed).toBe('TCP 15001');
    expect(targetPorts).toEqual([15001]);
    expect(findings).not.toContain('service-target-port-missing');
    expect(findings).not.toContain('port-not-served');
  });

  it('come after those of the containers when both name the port, as the endpoints controller looks them up', () => {
    // FindPort (pkg/api/v1/pod/util.go) searches the containers first, then the sidecars.
    const { targetPorts } = analyzed(api(sidecar, '[{name: app, image: app, ports: [{name: proxy, containerPort: 8080}]}]'));
    expect(targetPorts).toEqual([8080]);
  });
});

describe('the ports of an init container that is no sidecar', () => {
  it('are no ports of the workload', () => {
    expect(analyzed(api(plainInit)).workload.ports).toEqual([{ container: 'app', name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('resolve neither a targetPort nor a named port, and the rules say so', () => {
    const { allowed, targetPorts, findings } = analyzed(api(plainInit));
    expect(allowed).toBe('No Connections');
    expect(targetPorts).toEqual([undefined]);
    expect(findings).toContain('service-target-port-missing');
    expect(findings).toContain('port-not-served');
  });
});
