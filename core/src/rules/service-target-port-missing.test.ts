import rule from './service-target-port-missing.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';

const api = workload('api', { ports: '[{name: http, containerPort: 8080}, {name: dns, containerPort: 53, protocol: UDP}]' });
const service = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
${ports}`;

ruleTester(rule, {
  valid: [
    { name: 'named targetPort found', code: documents(api, service('    - {port: 80, targetPort: http}\n')) },
    { name: 'numeric targetPort declared', code: documents(api, service('    - {port: 80, targetPort: 8080}\n')) },
    { name: 'port without targetPort, declared', code: documents(api, service('    - {port: 8080}\n')) },
    { name: 'named UDP port with the UDP protocol', code: documents(api, service('    - {port: 53, protocol: UDP, targetPort: dns}\n')) },
    { name: 'a workload without declared ports may listen anywhere', code: documents(workload('api'), service('    - {port: 80, targetPort: 9376}\n')) },
    { name: 'no selected workload: service-selects-nothing reports it', code: documents(workload('web'), service('    - {port: 80, targetPort: web}\n')) },
  ],
  invalid: [
    {
      name: 'a name no container declares',
      code: documents(api, service('    - {port: 80, targetPort: web}\n')),
      errors: [
        {
          messageId: 'nameMissing',
          message:
            'targetPort web of Service shop/api port TCP 80 matches no container: none of shop/api[Deployment] has a TCP port named web, so the port has no endpoints (named ports: http (TCP 8080) and dns (UDP 53))',
          line: 16,
          column: 30,
          endLine: 16,
          endColumn: 33,
        },
      ],
    },
    {
      name: 'a name with the wrong protocol',
      code: documents(api, service('    - {port: 53, targetPort: dns}\n')),
      errors: [{ messageId: 'nameMissing', line: 16, column: 30, endLine: 16, endColumn: 33 }],
    },
    {
      name: 'a number no container declares',
      code: documents(api, service('    - {port: 80, targetPort: 8081}\n')),
      errors: [{ messageId: 'numberMissing', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
    {
      name: 'the port itself when targetPort is absent',
      code: documents(api, service('    - port: 80\n')),
      errors: [{ messageId: 'numberMissing', line: 16, column: 13, endLine: 16, endColumn: 15 }],
    },
    {
      name: 'requireDeclaredPorts checks workloads without ports',
      code: documents(workload('api'), service('    - {port: 80, targetPort: 9376}\n')),
      options: { requireDeclaredPorts: true },
      errors: [{ messageId: 'numberMissing', line: 16, column: 30, endLine: 16, endColumn: 34 }],
    },
  ],
});
