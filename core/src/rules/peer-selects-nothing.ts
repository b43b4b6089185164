// peer-selects-nothing: a from/to peer whose selectors match no namespace or no workload of the input, with a typo hint.
import { z } from 'zod';
import type { RelatedLocation } from '../lint/types.js';
import { createRule } from '../lint/types.js';
import { NAMESPACE_NAME_LABEL, type ClusterModel, type Workload } from '../model/cluster.js';
import {
  formatSelector,
  requirementHolds,
  selectorMatches,
  type Labels,
  type Selector,
} from '../semantics/label-selector.js';
import type { CompiledPolicy, PolicyRule } from '../semantics/policy-ir.js';
import type { SourceLocation } from '../source/source.js';
import { classView, formatList, type ClassView, type PodsPeer } from './rule-support.js';

const MESSAGES = {
  noNamespace: 'namespaceSelector {{selector}} matches no namespace in the input',
  namespaceNotInInput:
    'namespaceSelector {{selector}} names {{namespaces}}, which is not in the input: kubereach cannot check this peer (add its manifests to the run to check it)',
  noNamespaceTypo:
    'namespaceSelector {{selector}} matches no namespace in the input: did you mean {{suggestion}}?',
  emptyNamespaces:
    'namespaceSelector {{selector}} matches {{scope}}, where the input has no selectable workload',
  noPod: 'podSelector {{selector}} matches no pod in {{scope}}',
  noPodTypo: 'podSelector {{selector}} matches no pod in {{scope}}: did you mean {{suggestion}}?',
  podsElsewhere:
    'podSelector {{selector}} matches no pod in {{scope}}; it matches pods in {{elsewhere}}, which this peer does not reach',
  onlyHostNetwork:
    'podSelector {{selector}} matches only hostNetwork workloads ({{workloads}}), which pod selectors cannot select',
} as const;

type SelectorField = 'podSelector' | 'namespaceSelector';

/** Why a peer matches nothing, and which of its selectors to point at. */
interface Diagnosis {
  readonly messageId: keyof typeof MESSAGES;
  readonly data: Readonly<Record<string, string>>;
  readonly field: SelectorField;
  readonly related?: readonly RelatedLocation[];
  readonly maxSeverity?: 'info';
}

export default createRule({
  meta: {
    id: 'peer-selects-nothing',
    category: 'correctness',
    defaultSeverity: 'warning',
    description:
      'A from/to peer whose namespaceSelector matches no namespace or whose selectors match no workload',
    messages: MESSAGES,
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    const { model } = analysis;
    const view = classView(analysis.result);
    const closenessOf = memoizedCloseness();
    for (const policy of model.policies) {
      // Findings are located in the policy.
      if (!inScope(policy.location.file)) continue;
      // Only the directions the policy has: rules of a direction left out of policyTypes do nothing (point 1).
      for (const rule of [...(policy.ingress?.rules ?? []), ...(policy.egress?.rules ?? [])]) {
        if (rule.peers.kind !== 'list') continue;
        rule.peers.peers.forEach((peer, index) => {
          if (peer.kind !== 'pods') return;
          const diagnosis = diagnose(model, view, peer, closenessOf);
          if (diagnosis === undefined) return;
          const { field, ...descriptor } = diagnosis;
          report({ ...descriptor, location: selectorLocation(policy, rule, index, peer, field) });
        });
      }
    }
  },
});

/** The namespace names a selector pins with `kubernetes.io/metadata.name` (In), if it pins any. */
function namespacesNamedBy(selector: Selector): readonly string[] | undefined {
  if (selector.kind !== 'requirements') return undefined;
  const byName = selector.requirements.find((r) => r.key === NAMESPACE_NAME_LABEL && r.operator === 'In');
  return byName?.values;
}

function diagnose(model: ClusterModel, view: ClassView, peer: PodsPeer, closenessOf: Closeness): Diagnosis | undefined {
  // 1. The namespaces the peer draws from (point 4): the policy's own, or those its namespaceSelector matches.
  const scope = view.namespacesOf(peer.namespaces);
  if (peer.namespaces.kind === 'selected') {
    const selector = peer.namespaces.selector;
    if (scope.length === 0) {
      const suggestion = suggest(
        selector,
        model.namespaces.map((n) => n.labels),
        closenessOf,
      );
      const named = namespacesNamedBy(selector);
      if (suggestion === undefined && named !== undefined && !named.some((name) => model.namespaces.some((n) => n.name === name))) {
        // Naming a namespace (kube-system for DNS, typically) whose manifests are not part of this run is
        // not a mistake kubereach can see: say so, as an info.
        return {
          messageId: 'namespaceNotInInput',
          data: { selector: formatSelector(selector), namespaces: formatList(named) },
          field: 'namespaceSelector',
          maxSeverity: 'info',
        };
      }
      return {
        messageId: suggestion === undefined ? 'noNamespace' : 'noNamespaceTypo',
        data: { selector: formatSelector(selector), suggestion: suggestion ?? '' },
        field: 'namespaceSelector',
      };
    }
  }

  // 2. The pods of those namespaces; hostNetwork pods are never selected (point 9).
  if (view.groupsMatchedBy(peer).length > 0) return undefined;
  const inScope = view.inModelOrder(scope.flatMap((namespace) => view.workloadsIn(namespace)));
  const selectable = inScope.filter((w) => !w.hostNetwork);
  const scopeText = describeScope(scope);

  // 3. A namespaceSelector with every pod: the namespaces are what is empty.
  if (peer.pods.kind === 'everything' && peer.namespaces.kind === 'selected') {
    return {
      messageId: 'emptyNamespaces',
      data: { selector: formatSelector(peer.namespaces.selector), scope: scopeText },
      field: 'namespaceSelector',
    };
  }

  // 4. Otherwise the podSelector misses: say why, the most specific reason first.
  const selector = formatSelector(peer.pods);
  const hostNetwork = inScope.filter((w) => w.hostNetwork && selectorMatches(peer.pods, w.labels));
  if (hostNetwork.length > 0) {
    return {
      messageId: 'onlyHostNetwork',
      data: { selector, workloads: formatList(hostNetwork.map((w) => w.id)) },
      field: 'podSelector',
      related: workloadsRelated(hostNetwork, 'hostNetwork workload matched by the podSelector'),
    };
  }
  const suggestion = suggest(
    peer.pods,
    selectable.map((w) => w.labels),
    closenessOf,
  );
  if (suggestion !== undefined) {
    return { messageId: 'noPodTypo', data: { selector, scope: scopeText, suggestion }, field: 'podSelector' };
  }
  // `{}` matches the pods of every other namespace: that says nothing about this peer.
  const elsewhere = peer.pods.kind === 'everything' ? [] : matchingElsewhere(model, peer.pods, scope);
  if (elsewhere.length > 0) {
    return {
      messageId: 'podsElsewhere',
      data: {
        selector,
        scope: scopeText,
        elsewhere: describeScope([...new Set(elsewhere.map((w) => w.namespace))]),
      },
      field: 'podSelector',
      related: workloadsRelated(
        elsewhere,
        "workload matched by the podSelector, outside the peer's namespaces",
      ),
    };
  }
  return { messageId: 'noPod', data: { selector, scope: scopeText }, field: 'podSelector' };
}

/** Non-hostNetwork workloads outside `scope` that the pod selector matches. */
function matchingElsewhere(model: ClusterModel, pods: Selector, scope: readonly string[]): Workload[] {
  return model.workloads.filter(
    (w) => !w.hostNetwork && !scope.includes(w.namespace) && selectorMatches(pods, w.labels),
  );
}

function workloadsRelated(workloads: readonly Workload[], message: string): RelatedLocation[] {
  return workloads.map((w) => ({ location: w.location, message: `${message}: ${w.id}` }));
}

/** `namespace shop`, or `namespaces a, b and c`. */
function describeScope(namespaces: readonly string[]): string {
  return `${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${formatList(namespaces)}`;
}

/**
 * The selector field of the peer. Compiled peers keep their list order (the loader rejects the peers that would not
 * compile), so the peer's index is its position in from/to; if that ever stops holding, the whole peer is reported.
 */
function selectorLocation(
  policy: CompiledPolicy,
  rule: PolicyRule,
  index: number,
  peer: PodsPeer,
  field: SelectorField,
): SourceLocation {
  const peerPath = ['spec', rule.direction, rule.index, rule.direction === 'ingress' ? 'from' : 'to', index];
  const located = policy.locate(peerPath);
  const samePeer = located.file === peer.location.file && located.range.start === peer.location.range.start;
  return samePeer ? policy.locate([...peerPath, field]) : peer.location;
}

/**
 * A one-label change that would make the selector match one of `candidates`: a candidate that meets every requirement
 * but one `In` requirement, whose value for that key is close to a value the requirement lists (`app=frontend` for
 * `app: fronted`). Close means equal ignoring case, or at most two edits (a swap of neighbours counts as one) and
 * fewer edits than the shorter value has characters, so `db` never suggests `ui`. The closest wins, then the first
 * in alphabetical order.
 */
function suggest(selector: Selector, candidates: readonly Labels[], closenessOf: Closeness): string | undefined {
  if (selector.kind === 'everything') return undefined;
  let best: { text: string; score: number } | undefined;
  for (const labels of candidates) {
    const failing = selector.requirements.filter((r) => !requirementHolds(r, labels));
    const requirement = failing[0];
    if (failing.length !== 1 || requirement === undefined || requirement.operator !== 'In') continue;
    const actual = labels[requirement.key];
    if (actual === undefined) continue;
    for (const wanted of requirement.values) {
      const score = closenessOf(wanted, actual);
      if (score === undefined) continue;
      const text = `${requirement.key}=${actual}`;
      if (best === undefined || score < best.score || (score === best.score && text < best.text))
        best = { text, score };
    }
  }
  return best?.text;
}

type Closeness = (wanted: string, actual: string) => number | undefined;

/** `closeness`, each pair of values computed once: workloads repeat values (every namespace's copy of a chart). */
function memoizedCloseness(): Closeness {
  const scores = new Map<string, number | undefined>();
  return (wanted, actual) => {
    const pair = `${wanted}\0${actual}`;
    if (!scores.has(pair)) scores.set(pair, closeness(wanted, actual));
    return scores.get(pair);
  };
}

/** 0 for a case-only difference, else the edit count when close enough; undefined when not close. */
function closeness(wanted: string, actual: string): number | undefined {
  if (wanted.toLowerCase() === actual.toLowerCase()) return 0;
  const edits = editDistance(wanted, actual);
  return edits <= 2 && edits < Math.min(wanted.length, actual.length) ? edits : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of adjacent characters. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
