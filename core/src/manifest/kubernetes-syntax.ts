// The API server's syntax checks kubereach repeats (k8s.io/apimachinery/pkg/util/validation): ports, names, labels.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export function isSupportedProtocol(protocol: string): boolean {
  return (PROTOCOLS as readonly string[]).includes(protocol);
}

/** IsValidPortNum. */
export function portNumberProblem(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : 'must be between 1 and 65535, inclusive';
}

/** IsValidPortName: an IANA_SVC_NAME (RFC 6335), lowercase only. */
export const portNameProblems = remembered(portNameProblemsOf);

function portNameProblemsOf(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 15) problems.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    problems.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) problems.push('must contain at least one letter (a-z)');
  if (name.includes('--')) problems.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) problems.push('must not begin or end with a hyphen');
  return problems;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** IsDNS1123Subdomain's pattern (its 253-character limit is checked apart). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Remembers a check's answers: manifests repeat the same label keys and values thousands of times. */
function remembered(check: (text: string) => readonly string[]): (text: string) => readonly string[] {
  const answers = new Map<string, readonly string[]>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      // Bounded: an input of endless distinct values costs its checks, never unbounded memory.
      if (answers.size >= 10_000) answers.clear();
      answer = check(text);
      answers.set(text, answer);
    }
    return answer;
  };
}

/** IsQualifiedName, used for label keys: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
export const labelKeyProblems = remembered(qualifiedNameProblems);

/**
 * IsValidLabelValue: empty, or at most 63 characters of the name alphabet. Not remembered: many values are met once
 * (a pod template's hash), and a valid value's check costs less than looking it up and keeping its answer.
 */
export function labelValueProblems(value: string): readonly string[] {
  return value.length <= 63 && LABEL_VALUE.test(value) ? NO_PROBLEMS : valueProblems(value);
}

const NO_PROBLEMS: readonly string[] = [];

function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return ['must be a name with an optional DNS subdomain prefix and "/" (e.g. "example.com/my-name")'];
  }
  const problems: string[] = [];
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') problems.push('prefix part must be non-empty');
    else if (prefix.length > 253) problems.push('prefix part must be no more than 253 characters');
    else if (!DNS1123_SUBDOMAIN.test(prefix)) {
      problems.push("prefix part must be a lowercase DNS subdomain (a-z, 0-9, '-' and '.')");
    }
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name !== '' && !QUALIFIED_NAME.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and begin and end with one",
    );
  }
  return problems;
}

function valueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    problems.push(
      "must be empty or consist of alphanumeric characters, '-', '_' or '.', and begin and end with one",
    );
  }
  return problems;
}

const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/**
 * IsDomainPrefixedPath (e.g. `acme.io/foo`): a DNS subdomain, `/`, then a non-empty path of RFC 3986 path characters.
 * Used for IngressClass spec.controller.
 */
export function domainPrefixedPathProblems(text: string): readonly string[] {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const host = text.slice(0, slash);
  const problems: string[] = [];
  if (host.length > 253) problems.push('the domain must be no more than 253 characters');
  else if (!DNS1123_SUBDOMAIN.test(host)) problems.push("the domain must be a lowercase DNS subdomain (a-z, 0-9, '-' and '.')");
  if (!HTTP_PATH.test(text.slice(slash + 1))) problems.push("the path must consist of RFC 3986 path characters (A-Z, a-z, 0-9, /-._~%!$&'()*+,;=:)");
  return problems;
}
