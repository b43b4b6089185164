// Turns input texts into decoded Kubernetes objects with their sources, and every problem met on the way as an issue.
import type { Range, SourceText } from '../source/source.js';
import { checkApiVersion } from './api-versions.js';
import { decode } from './decode.js';
import type { KnownKind } from './kubernetes-types.js';
import type { LoadLimits } from './limits.js';
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
 * objects, and kinds kubereach does not read, are skipped with an info. Lists (`kind: List`, `DeploymentList`)
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
    if (!isRecord(value) || typeof kind !== 'string' || typeof apiVersion !== 'string') {
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
    const decoded = decode(KIND_SCHEMAS[kind], working, issues);
    if (decoded === undefined) return;

    validateObject(kind, decoded, issues);
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
