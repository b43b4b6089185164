// The cross-file part of loading: the duplicate-name check, so that results loaded apart merge into the result of loading them together.
import type { SourceText } from '../source/source.js';
import { ObjectIssues } from './object-issues.js';
import { isClusterScoped } from './validation-names.js';
import type { InputIssue, LoadResult, ManifestObject } from './types.js';

/** Objects, issues and sources of loaded inputs, before the duplicate-name check. */
export interface UncheckedLoad {
  readonly objects: readonly ManifestObject[];
  readonly issues: readonly InputIssue[];
  readonly sources: ReadonlyMap<string, SourceText>;
}

/**
 * Per kind, per namespace (scope), per name: what is recorded for the objects of that identity. Keyed by the objects'
 * own strings: a key string made per object (and kept with it for a language server's merges) was 1.6 MB of the
 * 5 MB tree's load.
 */
type ByIdentity<T> = Map<string, Map<string, Map<string, T>>>;

/** The entries of `object`'s kind and scope, by name (made when absent). */
function namesOf<T>(index: ByIdentity<T>, object: ManifestObject): Map<string, T> {
  let byScope = index.get(object.kind);
  if (byScope === undefined) index.set(object.kind, (byScope = new Map()));
  // Cluster-scoped kinds have no namespace (one written is ignored); for the others an absent namespace is the default
  // one (for this check only).
  const scope = scopeOf(object);
  let names = byScope.get(scope);
  if (names === undefined) byScope.set(scope, (names = new Map()));
  return names;
}

function scopeOf(object: ManifestObject): string {
  return isClusterScoped(object.kind) ? '' : (object.namespace ?? 'default');
}

/**
 * A second object with the kind, namespace and name of an earlier one is an error and is marked rejected; the first
 * one stays. The issues of this check follow all the others, in the order of the objects.
 */
export function checkIdentities(load: UncheckedLoad): LoadResult {
  const firstFile: ByIdentity<string> = new Map();
  const duplicates: InputIssue[] = [];
  const objects = load.objects.map((object) => {
    // An object without a name has no identity (an issue already says so).
    if (object.name === '') return object;
    const names = namesOf(firstFile, object);
    const first = names.get(object.name);
    if (first === undefined) {
      names.set(object.name, object.document.file);
      return object;
    }
    const issues = new ObjectIssues({ document: object.document, text: load.sources.get(object.document.file)?.text ?? '', basePath: object.basePath });
    const where = isClusterScoped(object.kind) ? '' : ` in namespace "${scopeOf(object)}"`;
    issues.add('duplicate-name', 'error', ['metadata', 'name'], `${object.kind} "${object.name}"${where} is already defined (in ${first}): this one is left out`);
    duplicates.push(...issues.issues);
    return object.rejected ? object : { ...object, rejected: true };
  });
  return { objects, issues: [...load.issues, ...duplicates], sources: load.sources };
}

/** How many objects repeat the identity of an earlier one: the number of duplicate-name issues at the end of a result. */
function countDuplicates(objects: readonly ManifestObject[]): number {
  const seen: ByIdentity<true> = new Map();
  let count = 0;
  for (const object of objects) {
    if (object.name === '') continue;
    const names = namesOf(seen, object);
    if (names.has(object.name)) count++;
    else names.set(object.name, true);
  }
  return count;
}

/**
 * The result of loading the inputs of every given result together, in order, from results of loadManifests (or of
 * this function): what a language server needs to re-load only the file that changed. Each result's own
 * duplicate-name issues are dropped and the check runs again over all objects, so a name repeated across results is
 * reported, and a repeat's message names the first file of all.
 */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const objects: ManifestObject[] = [];
  const issues: InputIssue[] = [];
  const sources = new Map<string, SourceText>();
  for (const result of results) {
    objects.push(...result.objects);
    const own = result.issues.some((issue) => issue.code === 'duplicate-name') ? countDuplicates(result.objects) : 0;
    issues.push(...result.issues.slice(0, result.issues.length - own));
    for (const [path, source] of result.sources) sources.set(path, source);
  }
  return checkIdentities({ objects, issues, sources });
}
