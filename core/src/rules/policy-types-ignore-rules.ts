// policy-types-ignore-rules: ingress or egress rules that an explicit policyTypes leaves without effect.
import { z } from 'zod';
import { createRule, lineBreakOf, lineEndAt, type Fix, type TextEdit } from '../lint/types.js';
import type { PolicyType } from '../manifest/kubernetes-types.js';
import { findNode, rangeAt } from '../manifest/paths.js';
import type { ManifestObject, YamlSequence } from '../manifest/types.js';
import { objectLocator } from '../model/cluster.js';
import type { Direction } from '../semantics/policy-ir.js';

const DIRECTIONS: readonly { readonly direction: Direction; readonly type: PolicyType }[] = [
  { direction: 'ingress', type: 'Ingress' },
  { direction: 'egress', type: 'Egress' },
];

export default createRule({
  meta: {
    id: 'policy-types-ignore-rules',
    category: 'correctness',
    defaultSeverity: 'warning',
    description:
      'Ingress or egress rules of a NetworkPolicy whose explicit policyTypes leaves their direction out',
    messages: {
      ignored:
        'spec.{{direction}} is ignored: policyTypes {{types}} leaves out {{type}}, so {{rules}} no effect',
      appliedByPlugin:
        'spec.{{direction}} is ignored by the specification: policyTypes {{types}} leaves out {{type}}, yet {{plugin}} applies {{rules}} as allows, so the policy means something else on other plugins',
    },
    fixable: true,
  },
  options: z.strictObject({}),
  check({ analysis, inScope, report }) {
    for (const object of analysis.load.objects) {
      if (object.kind !== 'NetworkPolicy' || object.rejected || !inScope(object.document.file)) continue;
      const policy = object as ManifestObject<'NetworkPolicy'>;
      const { spec } = policy.value;
      const types = spec.policyTypes;
      // Semantics point 1: without policyTypes, Egress is inferred from the egress rules, so none is ever ignored.
      // An empty list is defaulted the same way (SetDefaults_NetworkPolicy tests len(policyTypes) == 0).
      if (types === undefined || types.length === 0) continue;
      // `egress: []` with policyTypes [Ingress] ignores nothing: only directions with rules count.
      const ignored = DIRECTIONS.filter(
        ({ direction, type }) => !types.includes(type) && (spec[direction]?.length ?? 0) > 0,
      );
      if (ignored.length === 0) continue;
      const locate = objectLocator(policy);
      const text = analysis.load.sources.get(policy.document.file)?.text ?? '';
      // Both directions may be ignored (policyTypes lists neither, e.g. a lone unknown value): one fix adds both.
      const fix = addTypesFix(
        policy,
        text,
        ignored.map((d) => d.type),
      );
      // A plugin may apply them anyway (Weave): then they are not without effect, but the policy is not portable.
      const { profile } = analysis.cni;
      const applied = profile.capabilities.inactiveRules === 'allowed' && profile.capabilities.enforcement !== 'none';
      ignored.forEach(({ direction, type }, k) => {
        const count = spec[direction]!.length;
        report({
          messageId: applied ? 'appliedByPlugin' : 'ignored',
          data: {
            direction,
            type,
            types: `[${types.join(', ')}]`,
            ...(applied
              ? { plugin: profile.family.displayName, rules: count === 1 ? 'its rule' : `its ${count} rules` }
              : { rules: count === 1 ? 'its rule has' : `its ${count} rules have` }),
          },
          location: locate(['spec', direction], { key: true }),
          related: [{ location: locate(['spec', 'policyTypes']), message: 'policyTypes is set here' }],
          fix: k === 0 ? fix : undefined,
        });
      });
    }
  },
});

/**
 * Appends `types` to the policyTypes list in its own style: a `- Egress` line indented like the last item (after its
 * trailing comment, if any), or `, Egress` in a flow list, quoted like the last item.
 */
function addTypesFix(policy: ManifestObject, text: string, types: readonly PolicyType[]): Fix | undefined {
  const path = [...policy.basePath, 'spec', 'policyTypes'];
  const node = findNode(policy.document, path);
  if (node?.kind !== 'sequence') return undefined;
  // An anchored list is shared with its aliases, and an alias is someone else's list: editing either changes others.
  const properties = text.slice(rangeAt(policy.document, path, { key: true }).end, node.range.start);
  if (text[node.range.start] === '*' || properties.includes('&')) return undefined;
  const description = `add ${types.join(' and ')} to policyTypes`;
  const edit =
    text[node.range.start] === '['
      ? flowEdit(policy, node, text, types)
      : blockEdit(policy.document.file, node, text, types);
  return edit === undefined ? undefined : { description, edits: [edit] };
}

function flowEdit(
  policy: ManifestObject,
  list: YamlSequence,
  text: string,
  types: readonly PolicyType[],
): TextEdit {
  const file = policy.document.file;
  const last = list.items.at(-1);
  if (last !== undefined) {
    const quote = quoteOf(text, last.range.start);
    return {
      file,
      range: { start: last.range.end, end: last.range.end },
      newText: types.map((t) => `, ${quote}${t}${quote}`).join(''),
    };
  }
  // An empty `[]`: quote when the object is written as JSON, where a bare word would not parse.
  const quote = text[policy.range.start] === '{' ? '"' : '';
  const inside = { start: list.range.start + 1, end: list.range.end - 1 };
  const blank = /^[ \t]*$/.test(text.slice(inside.start, inside.end));
  return {
    file,
    range: blank ? inside : { start: inside.end, end: inside.end },
    newText: types.map((t) => `${quote}${t}${quote}`).join(', '),
  };
}

function blockEdit(
  file: string,
  list: YamlSequence,
  text: string,
  types: readonly PolicyType[],
): TextEdit | undefined {
  const last = list.items.at(-1);
  if (last === undefined) return undefined;
  let dash = last.range.start - 1;
  while (dash > 0 && /\s/.test(text[dash]!)) dash--;
  if (text[dash] !== '-') return undefined;
  const lineStart = text.lastIndexOf('\n', dash) + 1;
  const prefix = text.slice(lineStart, dash);
  const indent = /^[ \t]*$/.test(prefix) ? prefix : ' '.repeat(prefix.length);
  const lineEnd = lineEndAt(text, last.range.end);
  const eol = lineBreakOf(text);
  const quote = quoteOf(text, last.range.start);
  return {
    file,
    range: { start: lineEnd, end: lineEnd },
    newText: types.map((t) => `${eol}${indent}- ${quote}${t}${quote}`).join(''),
  };
}

/** The quote character a scalar is written with, or '' for a plain one. */
function quoteOf(text: string, start: number): string {
  const first = text[start];
  return first === '"' || first === "'" ? first : '';
}
