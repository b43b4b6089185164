// Turns live objects into YAML inputs named after the object, so findings keep exact ranges without a file.
import { dump } from 'js-yaml';
import type { SourceText } from '@kubereach/core';

const PREFIX = 'cluster:';

/** What a virtual input stands for. */
export interface ClusterObjectName {
  readonly context: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

/** `cluster:<context>/<Kind>/<namespace>/<name>`, or `cluster:<context>/<Kind>/<name>` for a cluster-scoped object. */
export function clusterInputName(object: ClusterObjectName): string {
  const scope = object.namespace === undefined ? '' : `${object.namespace}/`;
  return `${PREFIX}${object.context}/${object.kind}/${scope}${object.name}`;
}

/** The input naming the cluster itself: where warnings about what could not be read point. */
export function clusterName(context: string): string {
  return `${PREFIX}${context}`;
}

/**
 * Reads an input name back. Context names may hold `/` (EKS ARNs), object names and namespaces never do, and a
 * namespace is lowercase, so a capitalised second-to-last segment is the kind of a cluster-scoped object.
 */
export function parseClusterInputName(path: string): ClusterObjectName | { readonly context: string } | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const segments = path.slice(PREFIX.length).split('/');
  const isKind = (segment: string | undefined): boolean => segment !== undefined && /^[A-Z]/.test(segment);
  if (segments.length >= 3 && isKind(segments.at(-2))) {
    return { context: segments.slice(0, -2).join('/'), kind: segments.at(-2)!, namespace: undefined, name: segments.at(-1)! };
  }
  if (segments.length >= 4 && isKind(segments.at(-3))) {
    return { context: segments.slice(0, -3).join('/'), kind: segments.at(-3)!, namespace: segments.at(-2)!, name: segments.at(-1)! };
  }
  return { context: segments.join('/') };
}

/** Metadata the API server adds that says nothing about reachability and would only bloat the inputs. */
const NOISY_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The object as kubereach reads it: with its kind and apiVersion (list items leave them out), without managed
 * fields, server bookkeeping and status, except a pod's IP addresses. Of a CustomResourceDefinition's spec only its
 * group and names are kept: they tell which network plugin is installed, and its schemas can weigh megabytes.
 */
export function cleanObject(item: Record<string, unknown>, kind: string, apiVersion: string): Record<string, unknown> {
  const { metadata, status, ...rest } = item;
  const cleaned: Record<string, unknown> = { apiVersion, kind };
  if (typeof metadata === 'object' && metadata !== null) {
    const meta = { ...(metadata as Record<string, unknown>) };
    for (const key of NOISY_METADATA) Reflect.deleteProperty(meta, key);
    if (typeof meta.annotations === 'object' && meta.annotations !== null) {
      const annotations = { ...(meta.annotations as Record<string, unknown>) };
      Reflect.deleteProperty(annotations, LAST_APPLIED);
      if (Object.keys(annotations).length === 0) Reflect.deleteProperty(meta, 'annotations');
      else meta.annotations = annotations;
    }
    cleaned.metadata = meta;
  }
  for (const [key, value] of Object.entries(rest)) if (key !== 'apiVersion' && key !== 'kind') cleaned[key] = value;
  if (kind === 'CustomResourceDefinition' && typeof rest.spec === 'object' && rest.spec !== null) {
    cleaned.spec = pick(rest.spec, ['group', 'names']);
  }
  if (kind === 'Pod' && typeof status === 'object' && status !== null) {
    const kept = pick(status, ['podIP', 'podIPs']);
    if (Object.keys(kept).length > 0) cleaned.status = kept;
  }
  return cleaned;
}

/** The fields of `object` named in `keys` that it has. */
function pick(object: object, keys: readonly string[]): Record<string, unknown> {
  const fields = object as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => fields[key] !== undefined).map((key) => [key, fields[key]]));
}

/** The YAML input for one live object, of the kind its name gives (the object's own, or qualified by its group). */
export function toSource(context: string, kind: string, object: Record<string, unknown>): SourceText {
  const metadata = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const path = clusterInputName({
    context,
    kind,
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    name: typeof metadata.name === 'string' ? metadata.name : '',
  });
  return { path, text: dump(object, { noRefs: true, lineWidth: -1 }) };
}
