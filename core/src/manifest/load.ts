// Turns input texts into decoded Kubernetes objects with their sources, and every problem met on the way as an issue.
import type { Range, SourceText } from '../source/source.js';
import { checkApiVersion } from './api-versions.js';
import { decode } from './decode.js';
import type { KnownKind } from './kubernetes-types.js';
import type { LoadLimits } from './limits.js';
import { readOtherValuesAsKubectl } from './kubectl-values.js';
import { normalizeLabelValues } from './label-values.js';
import { checkIdentities } from './merge.js';
import { ObjectIssues } from './object-issues.js';
import { rangeAt } from './paths.js';
import { copyData, describeValue, dropNullFields, hasNullField, isRecord } from './plain-data.js';
import { KIND_SCHEMAS } from './schemas.js';
import type { FieldPath, InputIssue, LoadResult, ManifestObject, YamlDocument } from './types.js';
import { validateObject } from './validation.js';
import { hasSharedNodes, mayHoldNullEntries, parseYamlDocuments, rootRangeOf } from './yaml-documents.js';

/**
 * Loads every document of every input. Empty documents are skipped silently; documents that are not Kubernetes
 * objects, and kinds kubereach does not read, are skipped with an info; one meant as a Kubernetes object whose
 * apiVersion or kind is missing or misspelt is skipped with an error, as kubectl rejects it. Lists (`kind: List`, `DeploymentList`)
 * are expanded. Objects that fail to decode are left out; objects the API server would reject are returned with
 * `rejected: true`. Never throws on input: every problem is an issue.
 */
export function loadManifests(inputs: readonly SourceText[], options: LoadManifestsOptions = {}): LoadResult {
  const loader = new Loader();
  const sources = new Map<string, SourceText>();
  for (const source of inputs) {
    sources.set(source.path, source);
    const parsed = parseYamlDocuments(source, options.limits);
    loader.issues.push(...parsed.issues);
    const { documents } = parsed;
    for (let index = 0; index < documents.length; index++) {
      const document = documents[index]!;
      // A document with a value has a root (an empty or rejected one has neither): the value is asked, since the
      // root of most documents is read only when first asked for.
      if (document.value !== null && document.value !== undefined) {
        loader.readObject({ document, text: source.text }, [], document.value);
      }
    }
  }
  return checkIdentities({ objects: loader.objects, issues: loader.issues, sources });
}

export interface LoadManifestsOptions {
  /** Bounds on each file; every one left out takes its default (DEFAULT_LOAD_LIMITS). */
  readonly limits?: Partial<LoadLimits>;
}

interface DocumentText {
  readonly document: YamlDocument;
  readonly text: string;
}

/** What the items of a typed list (`DeploymentList`) take from it when they leave out their own kind. */
interface ListDefaults {
  readonly kind: string;
  readonly apiVersion: string;
}

class Loader {
  readonly objects: ManifestObject[] = [];
  readonly issues: InputIssue[] = [];

  readObject(source: DocumentText, basePath: FieldPath, value: unknown, defaults?: ListDefaults): void {
    const { document } = source;
    const kind = isRecord(value) ? (value.kind ?? defaults?.kind) : undefined;
    const apiVersion = isRecord(value) ? (value.apiVersion ?? defaults?.apiVersion) : undefined;
    if (!isRecord(value) || !isSet(kind) || !isSet(apiVersion)) {
      if (isRecord(value) && meantAsKubernetesObject(value)) {
        const issues = new ObjectIssues({ document, text: source.text, basePath });
        reportMissingType(value, { apiVersion, kind }, issues);
        this.issues.push(...issues.issues);
        return;
      }
      this.issues.push({
        code: 'not-kubernetes',
        severity: 'info',
        message: 'not a Kubernetes object (no apiVersion/kind): skipped',
        location: { file: document.file, range: objectRange(document, basePath) },
      });
      return;
    }
    const issues = new ObjectIssues({ document, text: source.text, basePath });
    const known = knownKindOf(kind, apiVersion);
    if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
      this.readList(
        source,
        basePath,
        value.items,
        kind === 'List' ? undefined : { kind: kind.slice(0, -4), apiVersion },
        issues,
      );
    } else if (known !== undefined) {
      this.readKnown(known, apiVersion, value, issues);
    } else {
      issues.report('unknown-kind', 'info', ['kind'], `kind ${kind} is not read by kubereach: skipped`);
    }
    // Most objects have no issue.
    if (issues.issues.length > 0) this.issues.push(...issues.issues);
  }

  private readList(
    source: DocumentText,
    basePath: FieldPath,
    items: unknown,
    defaults: ListDefaults | undefined,
    issues: ObjectIssues,
  ): void {
    if (items === undefined || items === null) return;
    if (!Array.isArray(items)) {
      issues.add('schema', 'error', ['items'], `expected a list, got ${describeValue(items)}`);
      return;
    }
    items.forEach((item: unknown, index) =>
      this.readObject(source, [...basePath, 'items', index], item, defaults),
    );
  }

  private readKnown<K extends KnownKind>(
    kind: K,
    apiVersion: string,
    value: unknown,
    issues: ObjectIssues,
  ): void {
    const verdict = checkApiVersion(kind, apiVersion);
    if (verdict.note !== undefined)
      issues.report(verdict.note.code, verdict.note.severity, ['apiVersion'], verdict.note.message);
    if (!verdict.read) return;

    // The document's value is shared, and most objects need no change before decoding: copied only for one. Decoding
    // keeps the nodes it would not change, so it needs a tree: a value with aliases is copied too.
    let working = normalizeLabelValues(kind, value, issues);
    const needsPodSelector = kind === 'NetworkPolicy' && lacksPodSelector(value);
    const { document } = issues.source;
    if (working === value && (needsPodSelector || (mayHoldNullEntries(document) && hasNullField(value)) || hasSharedNodes(document)))
      working = copyData(value);
    if (working !== value) dropNullFields(working);
    if (needsPodSelector) defaultPodSelector(working, issues);
    const read = decode(KIND_SCHEMAS[kind], working, issues);
    if (read === undefined) return;
    const decoded = readOtherValuesAsKubectl(kind, KIND_SCHEMAS[kind], working, read, issues);

    validateObject(kind, decoded, issues, { raw: working, apiVersion });
    const name = decoded.metadata.name ?? '';
    const namespace = decoded.metadata.namespace;
    const { basePath } = issues.source;
    this.objects.push({
      kind,
      apiVersion,
      name,
      namespace,
      value: decoded,
      document,
      // A document's root range comes without its tree; a List item's needs the tree.
      range: objectRange(document, basePath),
      basePath,
      rejected: issues.hasErrors(),
    });
  }
}

function isSet(field: unknown): field is string {
  return typeof field === 'string' && field !== '';
}

/**
 * A document with `metadata` and `apiVersion` or `kind`, however capitalised, is meant as a Kubernetes object, even
 * with one of them missing or misspelt; plain YAML (Helm values, a compose file, a CI workflow) has no such pair.
 */
function meantAsKubernetesObject(value: Record<string, unknown>): boolean {
  let typed = false;
  let metadata = false;
  for (const key in value) {
    const lower = key.toLowerCase();
    if (lower === 'metadata') metadata = true;
    else if (lower === 'apiversion' || lower === 'kind') typed = true;
  }
  return typed && metadata;
}

/** What kubectl says of an object without each field (apimachinery's decoding), before it sends anything. */
const KUBECTL_MISSING = { apiVersion: 'apiVersion not set', kind: "Object 'Kind' is missing" } as const;

/**
 * Reports the type field an object meant as a Kubernetes one lacks, at the key written in its place (`apiversion`,
 * `Kind`: field names are case-sensitive), or at the empty or non-string value, or at the object. kubectl rejects
 * such an object, and kubereach skips it.
 */
function reportMissingType(
  value: Record<string, unknown>,
  fields: { readonly apiVersion: unknown; readonly kind: unknown },
  issues: ObjectIssues,
): void {
  for (const field of ['apiVersion', 'kind'] as const) {
    const written = fields[field];
    if (isSet(written)) continue;
    const rejected = `kubectl rejects the object ("${KUBECTL_MISSING[field]}"); skipped`;
    if (written !== undefined && written !== null) {
      const problem = written === '' ? 'must not be empty' : `expected a string, got ${describeValue(written)}`;
      issues.add('schema', 'error', [field], `${problem}: ${rejected}`);
      continue;
    }
    const variant = Object.keys(value).find((key) => key.toLowerCase() === field.toLowerCase() && key !== field);
    if (variant === undefined) issues.add('missing-field', 'error', [field], `required field is missing: ${rejected}`);
    else {
      issues.add(
        'missing-field',
        'error',
        [variant],
        `field names are case-sensitive: this is not ${field}, which is missing, so ${rejected}`,
        { key: true },
      );
    }
  }
}

/**
 * The API server decodes a NetworkPolicy without `spec.podSelector` into an empty selector, which selects every
 * pod of the namespace. kubereach reads it the same way, and says so.
 */
function lacksPodSelector(policy: unknown): boolean {
  const spec = isRecord(policy) ? policy.spec : undefined;
  return isRecord(spec) && (spec.podSelector === undefined || spec.podSelector === null);
}

function defaultPodSelector(policy: unknown, issues: ObjectIssues): void {
  const spec = isRecord(policy) ? policy.spec : undefined;
  if (!isRecord(spec) || spec.podSelector !== undefined) return;
  issues.add(
    'missing-field',
    'warning',
    ['spec', 'podSelector'],
    'required by the NetworkPolicy API; read as {}, which selects every pod in the namespace',
  );
  spec.podSelector = {};
}

function isKnownKind(kind: string): kind is KnownKind {
  return Object.hasOwn(KIND_SCHEMAS, kind);
}

/** The API groups of Calico's own kinds, read as the `Calico`-prefixed known kinds. */
const CALICO_GROUPS: readonly string[] = ['projectcalico.org', 'crd.projectcalico.org'];
const CALICO_PREFIX = 'Calico';

function knownKindOf(kind: string, apiVersion: string): KnownKind | undefined {
  const slash = apiVersion.indexOf('/');
  if (CALICO_GROUPS.includes(slash === -1 ? apiVersion : apiVersion.slice(0, slash))) {
    const calicoKind = `${CALICO_PREFIX}${kind}`;
    return isKnownKind(calicoKind) ? calicoKind : undefined;
  }
  return isKnownKind(kind) && !kind.startsWith(CALICO_PREFIX) ? kind : undefined;
}

/** The range of the object at `basePath`: the document root, or the list item. */
function objectRange(document: YamlDocument, basePath: FieldPath): Range {
  return (basePath.length === 0 ? rootRangeOf(document) : undefined) ?? rangeAt(document, basePath);
}
