import rule from './service-selects-nothing.js';
import { ruleTester } from '../lint/testing/rule-tester.js';
import { documents, workload } from './testing/manifests.js';

const service = (selector: string, extra = '') => `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
${extra}  selector: ${selector}
  ports: [{port: 80}]
`;

ruleTester(rule, {
  valid: [
    { name: 'selector matching the pod template', code: documents(workload('api'), service('{app: api}')) },
    { name: 'no selector: endpoints managed by hand', code: documents(workload('api'), service('{}')) },
    { name: 'ExternalName has no endpoints to select', code: documents(workload('api'), service('{app: nope}', '  type: ExternalName\n  externalName: db.example.com\n')) },
    { name: 'hostNetwork pods are endpoints too', code: documents(workload('api').replace('spec: {containers', 'spec: {hostNetwork: true, containers'), service('{app: api}')) },
  ],
  invalid: [
    {
      name: 'a label no pod carries',
      code: documents(workload('api'), service('{app: apis}')),
      errors: [
        {
          messageId: 'noWorkload',
          message: 'Service shop/api selects no workload: no pod in namespace shop carries app=apis, so the Service has no endpoints',
          line: 14,
          column: 13,
          endLine: 14,
          endColumn: 24,
        },
      ],
    },
    {
      name: 'the workload is in another namespace',
      code: documents(workload('api', { namespace: 'other' }), service('{app: api}')),
      errors: [{ messageId: 'emptyNamespace', line: 14, column: 13, endLine: 14, endColumn: 23 }],
    },
    {
      name: 'seed example: pod-x-service selects unlabelled pods',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: pod-x
spec:
  containers:
    - name: container-x
      image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: pod-x-service
spec:
  selector:
    app: pod-x
  ports:
    - protocol: TCP
      port: 80
      targetPort: 80
  type: ClusterIP
`,
      errors: [{ messageId: 'noWorkload', line: 16, column: 5, endLine: 16, endColumn: 15 }],
    },
  ],
});
