// Generators of hostile YAML: token soups, and mutations of the real-world corpus.
import fc from 'fast-check';
import { CORPUS } from './fuzz-settings.js';

/** Pieces that steer the YAML parser into its corners: indicators, anchors, tags, markers, templates, odd breaks. */
const TOKENS = [
  'apiVersion: v1\n', 'kind: Pod\n', 'kind: NetworkPolicy\n', 'apiVersion: networking.k8s.io/v1\n', 'metadata:\n',
  '  name: x\n', '  namespace: y\n', 'spec:\n', '  podSelector: {}\n', 'items:\n', '- ', '  - ', ': ', ':', ',', '?',
  '{', '}', '[', ']', '"', "'", '\\', '#', ' # c', '&a ', '*a', '&b ', '*b', '<<: *a', '!!str ', '!!map', '!<tag:x> ',
  '|', '>-', '---\n', '...\n', '--- ', '%YAML 1.2\n', '%TAG ! tag:x:\n', '\n', '\r\n', '\r', '\t', ' ', '    ',
  '\uFEFF', '\u0000', '\u00e9', '\u{1F600}', '\uD800', '{{ .Values.x }}', '{{', '}}', 'null', '~', 'true', 'yes',
  '0x1F', '1e400', '-.inf', '.nan', '99999999999999999999', '10.0.0.0/8', '::1/128', 'cidr: ', 'ipBlock: ',
  'matchLabels: ', 'matchExpressions: [{key: a, operator: In, values: [b]}]', 'port: ', 'endPort: ',
];

export const yamlSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

type Mutation = (text: string) => string;

const at = (text: string, fraction: number): number => Math.floor(fraction * (text.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(
    ([a, b]): Mutation =>
      (text) => {
        const [from, to] = [at(text, Math.min(a, b)), at(text, Math.max(a, b))];
        return text.slice(0, from) + text.slice(Math.min(to, from + 40));
      },
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...TOKENS)).map(
    ([a, token]): Mutation =>
      (text) =>
        text.slice(0, at(text, a)) + token + text.slice(at(text, a)),
  ),
  fc.double({ min: 0, max: 1, noNaN: true }).map((a): Mutation => (text) => {
    // Re-indent one line by a space, or with a tab.
    const lines = text.split('\n');
    const index = Math.min(lines.length - 1, Math.floor(a * lines.length));
    lines[index] = (a * 1000) % 2 < 1 ? ` ${lines[index]}` : `\t${lines[index]!.trimStart()}`;
    return lines.join('\n');
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((a): Mutation => (text) => {
    // Duplicate one line (duplicate keys, doubled list items).
    const lines = text.split('\n');
    const index = Math.min(lines.length - 1, Math.floor(a * lines.length));
    lines.splice(index, 0, lines[index]!);
    return lines.join('\n');
  }),
  fc.constant<Mutation>((text) => text.replaceAll('\n', '\r\n')),
  fc.constant<Mutation>((text) => `\uFEFF${text}`),
);

/** A corpus file after a few mutations. */
export const mutatedManifest: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...CORPUS.values()), fc.array(mutation, { maxLength: 4 }))
  .map(([text, mutations]) => mutations.reduce((current, mutate) => mutate(current), text));
