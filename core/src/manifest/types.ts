// What the loader produces: YAML trees with ranges, decoded objects, and coded input issues.
import type { Range, SourceLocation, SourceText } from '../source/source.js';
import type { KnownKind, KnownKinds } from './kubernetes-types.js';

export type Severity = 'error' | 'warning' | 'info';

/** Codes of input problems. Each is stable: rules, tests and SARIF refer to them. */
export type InputIssueCode =
  /** The text is not valid YAML/JSON; the range is the parser's position. */
  | 'yaml-syntax'
  /** A document beyond a loader limit (size, nesting, alias expansion, documents per file); the message names the flag. */
  | 'limit-exceeded'
  /** A file that is not UTF-8 text (binary, invalid UTF-8). */
  | 'invalid-encoding'
  /** Unrendered Helm/Go template (`{{ ... }}`): one per file. */
  | 'helm-template'
  /** A document that is not a Kubernetes object (no apiVersion/kind): info. */
  | 'not-kubernetes'
  /** A Kubernetes kind the engine does not read: info. */
  | 'unknown-kind'
  /** A field of the wrong type or shape (zod decoding). */
  | 'schema'
  /** A required field is missing. */
  | 'missing-field'
  /** A field value the API server rejects (bad port number, bad protocol, bad name, ...). */
  | 'invalid-value'
  /** ipBlock.cidr or except is not a valid CIDR. */
  | 'invalid-cidr'
  /** An except entry that is not strictly inside its cidr. */
  | 'except-outside-cidr'
  /** endPort below port, with a named port, or without port. */
  | 'invalid-end-port'
  /** Two objects of the same kind, namespace and name; or two container ports with the same name. */
  | 'duplicate-name'
  /** A label or selector value that is not a string in YAML (`true`, `1.10`). */
  | 'label-not-string'
  /** Another value kubectl (YAML 1.1) reads otherwise: a field that takes its value (warning) or does not (error). */
  | 'kubectl-reads-otherwise'
  /** A mapping key (of labels, annotations) that kubectl sends as another key, or cannot send. */
  | 'kubectl-reads-key-otherwise'
  /** Two keys of one map (labels, annotations) that kubectl sends as the same key: the cluster gets one of them. */
  | 'kubectl-duplicate-key'
  /** A label key/value or selector requirement the API server rejects. */
  | 'invalid-label'
  /** A peer with ipBlock and a selector together, or with nothing set. */
  | 'invalid-peer'
  /** A path given on the command line that holds no manifest (empty directory, no YAML files). */
  | 'no-input'
  /** A path that cannot be read (missing, permission). */
  | 'unreadable';

export interface InputIssue {
  readonly code: InputIssueCode;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
}

/** A YAML node with the exact range of its text (for a scalar, the scalar itself, quotes included). */
export type YamlNode = YamlMapping | YamlSequence | YamlScalar;

export interface YamlMapping {
  readonly kind: 'mapping';
  readonly range: Range;
  readonly pairs: readonly YamlPair[];
}

export interface YamlPair {
  readonly key: YamlNode;
  /** Undefined for a key with no value (`key:`), which YAML reads as null. */
  readonly value: YamlNode | undefined;
}

export interface YamlSequence {
  readonly kind: 'sequence';
  readonly range: Range;
  readonly items: readonly YamlNode[];
}

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly range: Range;
  /** The value js-yaml produced: string, number, boolean or null (timestamps stay strings, as kubectl reads them). */
  readonly value: unknown;
  /** The explicit tag written before it (`!!str`), which decides its type instead of its text. */
  readonly tag?: Range;
}

/** One YAML document of a file (files with `---` hold several). */
export interface YamlDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** Range of the document's text (after the `---` line). */
  readonly range: Range;
  /** Undefined for an empty document, or one the parser rejected (a `yaml-syntax` issue says why). */
  readonly root: YamlNode | undefined;
  /** The plain JS value (what js-yaml loads). */
  readonly value: unknown;
  /**
   * The whole text of the file, which ranges are offsets into: a path may name a plain key by the key kubectl sends
   * for it (a label written `on:` is `true`, label-values.ts), which only its text tells.
   */
  readonly text?: string;
}

/** A path into a decoded object: keys and array indices, as zod issues give them. */
export type FieldPath = readonly (string | number)[];

/** A decoded Kubernetes object with its source. */
export interface ManifestObject<K extends KnownKind = KnownKind> {
  readonly kind: K;
  readonly apiVersion: string;
  /** metadata.name ('' when missing: then an issue was reported). */
  readonly name: string;
  /** metadata.namespace as written; undefined when absent (the model applies the default). */
  readonly namespace: string | undefined;
  readonly value: KnownKinds[K];
  readonly document: YamlDocument;
  /** Range of this object (the document root, or the List item). */
  readonly range: Range;
  /** Path of this object inside its document ([] or ['items', i] for List items). */
  readonly basePath: FieldPath;
  /** True when the API server would reject the object: the engine leaves it out (an error issue says why). */
  readonly rejected: boolean;
}

export interface LoadResult {
  readonly objects: readonly ManifestObject[];
  readonly issues: readonly InputIssue[];
  /** Every input text by path, for code frames and line/column conversion at the edges. */
  readonly sources: ReadonlyMap<string, SourceText>;
}
