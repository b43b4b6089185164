// Test-only: small manifests for rule tests, one YAML document each (join them with `documents`).

export interface WorkloadOptions {
  readonly namespace?: string;
  /** Pod labels besides `app: <name>`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The container's `ports` as flow YAML, e.g. `[{name: http, containerPort: 8080}]`. */
  readonly ports?: string;
  /** `Deployment` by default; `Pod` gives a bare pod. */
  readonly kind?: 'Deployment' | 'Pod';
}

/** A Deployment (or bare Pod) in `shop` whose pods carry `app: <name>`. */
export function workload(name: string, options: WorkloadOptions = {}): string {
  const labels = Object.entries({ app: name, ...options.labels })
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const container = `{name: c, image: x${options.ports === undefined ? '' : `, ports: ${options.ports}`}}`;
  const metadata = `{name: ${name}, namespace: ${options.namespace ?? 'shop'}`;
  if (options.kind === 'Pod') {
    return `apiVersion: v1\nkind: Pod\nmetadata: ${metadata}, labels: {${labels}}}\nspec: {containers: [${container}]}\n`;
  }
  return `apiVersion: apps/v1
kind: Deployment
metadata: ${metadata}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {${labels}}}
    spec: {containers: [${container}]}
`;
}

/** A Namespace with labels. */
export function namespace(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const entries = Object.entries(labels).map(([k, v]) => `${k}: ${v}`);
  return `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}${entries.length === 0 ? '' : `, labels: {${entries.join(', ')}}`}}\n`;
}

/** Documents of one file. */
export function documents(...texts: readonly string[]): string {
  return texts.join('---\n');
}
