// Calico's label selector expressions (`app == 'web' && !has(canary)`): parser with exact error offsets, matcher, printer.
import type { Range } from '../source/source.js';
import type { YamlScalar } from '../manifest/types.js';
import type { Labels } from './label-selector.js';

/*
 * Grammar, as libcalico-go reads it (projectcalico/calico lib/selector/tokenizer/tokenizer.go and parser/parser.go:
 * what the API server validates with and Felix evaluates); the docs' selector table (docs.tigera.io, reference/
 * resources/networkpolicy, "Selectors") lists the same operators:
 *
 *   selector   := <empty> | or                      (an empty selector, or spaces and tabs only, is all())
 *   or         := and ('||' and)*
 *   and        := operation ('&&' operation)*
 *   operation  := '!'* ( 'has(' label ')' | 'all(' ')' | 'global(' ')' | '(' or ')'
 *                      | label ('==' | '!=' | 'contains' | 'starts with' | 'ends with') string
 *                      | label ('in' | 'not in') '{' (string (',' string)* ','?)? '}' )
 *   string     := "'" [^']* "'" | '"' [^"]* '"'     (no escapes; a string holds any other character, newlines too)
 *   label      := [A-Za-z0-9_./-]{1,512}
 *
 * Tokens are separated by spaces and tabs only: any other character outside a string, a newline included, is an error.
 * `has(`, `all(` and `global(` are each one token, so no space may come before their parenthesis (`has (k)` is the
 * label `has` and a group) and any may come inside (`has( k )`). Right after a label, operators are read by prefix
 * and end at a word boundary (a character that cannot be in a label): `contains`, `in`, and `starts`, `ends` and `not`
 * followed, after optional spaces, by `with`, `with` and `in` (`startswith`, `notin"x"`). A set may end with a comma.
 */

export type CalicoStringOperator = '==' | '!=' | 'contains' | 'starts with' | 'ends with';
export type CalicoSetOperator = 'in' | 'not in';

export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | {
      readonly kind: 'compare';
      readonly key: string;
      readonly operator: CalicoStringOperator;
      readonly value: string;
    }
  | {
      readonly kind: 'set';
      readonly key: string;
      readonly operator: CalicoSetOperator;
      readonly values: readonly string[];
    }
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly CalicoSelector[] };

/** Where the expression stops making sense: offsets into the expression text. */
export interface CalicoSelectorError {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

export type CalicoSelectorParse =
  | { readonly ok: true; readonly selector: CalicoSelector }
  | { readonly ok: false; readonly error: CalicoSelectorError };

/** The tokens of tokenizer.go (TokLabel, TokStringLiteral, TokHas, ...), named by their text. */
type TokenKind =
  | 'label'
  | 'string'
  | 'has'
  | 'all'
  | 'global'
  | CalicoStringOperator
  | CalicoSetOperator
  | '!'
  | '&&'
  | '||'
  | '('
  | ')'
  | '{'
  | '}'
  | ','
  | 'end';

interface Token {
  readonly kind: TokenKind;
  /** A label's name, a string's contents, the label of `has(...)`; empty otherwise. */
  readonly text: string;
  readonly offset: number;
  readonly length: number;
}

/** tokenizer.go MaxLabelLength. */
const MAX_LABEL_LENGTH = 512;
const FUNCTIONS = ['has', 'all', 'global'] as const;
const SINGLE_CHARACTER_TOKENS: ReadonlySet<string> = new Set(['(', ')', '{', '}', ',']);
/**
 * What may follow a label, in the order tokenizer.go tries them: a word, or two with optional spaces between, then a word
 * boundary.
 */
const LABEL_OPERATORS: readonly {
  readonly kind: CalicoStringOperator | CalicoSetOperator;
  readonly first: string;
  readonly second?: string;
}[] = [
  { kind: 'contains', first: 'contains' },
  { kind: 'starts with', first: 'starts', second: 'with' },
  { kind: 'ends with', first: 'ends', second: 'with' },
  { kind: 'not in', first: 'not', second: 'in' },
  { kind: 'in', first: 'in' },
];
const OPERATORS_EXPECTED = "'==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'";

/** Thrown inside the parser only, caught by `parseCalicoSelector`: user input never escapes as an exception. */
class SyntaxProblem {
  constructor(readonly error: CalicoSelectorError) {}
}

function problem(offset: number, length: number, message: string): SyntaxProblem {
  return new SyntaxProblem({ offset, length, message });
}

/** tokenizer.go's whitespace: a space or a tab, nothing else. */
function isBlank(character: string | undefined): boolean {
  return character === ' ' || character === '\t';
}

/** tokenizer.go identifierChar: `[a-zA-Z0-9_./-]`. */
function isLabelCharacter(character: string | undefined): boolean {
  if (character === undefined) return false;
  const code = character.charCodeAt(0);
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    character === '_' ||
    character === '.' ||
    character === '/' ||
    character === '-'
  );
}

function skipBlanks(text: string, position: number): number {
  while (isBlank(text[position])) position++;
  return position;
}

function labelEnd(text: string, position: number): number {
  while (isLabelCharacter(text[position])) position++;
  return position;
}

/** A character for messages: quoted, escaped where JSON escapes it, by code point where it would not show. */
function characterName(character: string): string {
  const quoted = JSON.stringify(character);
  if (quoted.length > 3 || !/[\s\p{C}]/u.test(character)) return quoted;
  return `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What the text holds at a position, for messages: its extent and how to name it. */
function lexemeAt(text: string, position: number): { readonly length: number; readonly description: string } {
  const character = text[position];
  if (character === undefined) return { length: 0, description: 'the end of the selector' };
  if (character === '"' || character === "'") {
    const close = text.indexOf(character, position + 1);
    if (close >= 0)
      return { length: close + 1 - position, description: `the string ${JSON.stringify(text.slice(position + 1, close))}` };
  }
  const end = labelEnd(text, position);
  if (end > position) return { length: end - position, description: `'${text.slice(position, end)}'` };
  return { length: 1, description: characterName(character) };
}

/** A problem at a position of the text: "expected X, found <what is there>". */
function expectedAt(text: string, position: number, expected: string): SyntaxProblem {
  const { length, description } = lexemeAt(text, position);
  return problem(position, length, `expected ${expected}, found ${description}`);
}

/** A label starting at `position` (tokenizer.go cutIdentifier): at least one character, at most 512. */
function cutLabel(text: string, position: number, expected: string): number {
  const end = labelEnd(text, position);
  if (end === position) throw expectedAt(text, position, expected);
  if (end - position > MAX_LABEL_LENGTH)
    throw problem(position, end - position, `label too long: ${end - position} characters, at most ${MAX_LABEL_LENGTH}`);
  return end;
}

/** The operator right after a label (tokenizer.go cutPrefixCheckBreak, cutMultiWordPrefixCheckBreak), and its end. */
function labelOperatorAt(text: string, position: number): { readonly kind: TokenKind; readonly end: number } | undefined {
  for (const { kind, first, second } of LABEL_OPERATORS) {
    if (!text.startsWith(first, position)) continue;
    let end = position + first.length;
    let after = end;
    if (second !== undefined) {
      after = skipBlanks(text, end);
      if (!text.startsWith(second, after)) continue;
      end = after + second.length;
      // Spaces after the second word come before the boundary check too.
      after = skipBlanks(text, end);
    }
    if (!isLabelCharacter(text[after])) return { kind, end };
  }
  return undefined;
}

/** Why no operator follows a label: the first word of a two-word operator without its second, or something else. */
function missingOperator(text: string, position: number): SyntaxProblem {
  for (const { first, second } of LABEL_OPERATORS) {
    const end = position + first.length;
    if (second !== undefined && text.startsWith(first, position) && !isLabelCharacter(text[end]))
      return expectedAt(text, skipBlanks(text, end), `'${second}'`);
  }
  return expectedAt(text, position, OPERATORS_EXPECTED);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  const push = (kind: TokenKind, start: number, end: number, value = '') => {
    tokens.push({ kind, text: value, offset: start, length: end - start });
    position = end;
  };
  for (;;) {
    position = skipBlanks(text, position);
    const start = position;
    const character = text[start];
    if (character === undefined) {
      push('end', start, start);
      return tokens;
    }
    if (SINGLE_CHARACTER_TOKENS.has(character)) {
      push(character as TokenKind, start, start + 1);
      continue;
    }
    if (character === '"' || character === "'") {
      const close = text.indexOf(character, start + 1);
      if (close < 0) throw problem(start, text.length - start, `unterminated string: no closing ${character}`);
      push('string', start, close + 1, text.slice(start + 1, close));
      continue;
    }
    if (character === '!') {
      if (text[start + 1] === '=') push('!=', start, start + 2);
      else push('!', start, start + 1);
      continue;
    }
    const pair = (['==', '&&', '||'] as const).find((symbol) => symbol[0] === character);
    if (pair !== undefined) {
      if (text[start + 1] !== character) throw problem(start, 1, `unexpected character ${characterName(character)}`);
      push(pair, start, start + 2);
      continue;
    }
    if (tokens.at(-1)?.kind === 'label') {
      const operator = labelOperatorAt(text, start);
      if (operator === undefined) throw missingOperator(text, start);
      push(operator.kind, start, operator.end);
      continue;
    }
    const name = FUNCTIONS.find((candidate) => text.startsWith(`${candidate}(`, start));
    if (name !== undefined) {
      let at = skipBlanks(text, start + name.length + 1);
      let key = '';
      if (name === 'has') {
        const end = cutLabel(text, at, 'a label name');
        key = text.slice(at, end);
        at = skipBlanks(text, end);
      }
      if (text[at] !== ')') throw expectedAt(text, at, "')'");
      push(name, start, at + 1, key);
      continue;
    }
    if (!isLabelCharacter(character)) {
      const hint = /\s/.test(character) ? ': only spaces and tabs may separate the parts of a selector' : '';
      throw problem(start, 1, `unexpected character ${characterName(character)}${hint}`);
    }
    const end = cutLabel(text, start, 'a label');
    push('label', start, end, text.slice(start, end));
  }
}

class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private is(kind: TokenKind): boolean {
    return this.current.kind === kind;
  }

  private fail(expected: string): SyntaxProblem {
    const token = this.current;
    const found =
      token.kind === 'end'
        ? 'the end of the selector'
        : token.kind === 'string'
          ? `the string ${JSON.stringify(token.text)}`
          : `'${this.text.slice(token.offset, token.offset + token.length)}'`;
    return problem(token.offset, token.length, `expected ${expected}, found ${found}`);
  }

  private expect(kind: TokenKind, expected: string): Token {
    if (!this.is(kind)) throw this.fail(expected);
    return this.advance();
  }

  parseSelector(): CalicoSelector {
    if (this.is('end')) return { kind: 'all' };
    const selector = this.parseOr();
    if (!this.is('end')) throw this.fail("'&&', '||' or the end of the selector");
    return selector;
  }

  private parseOr(): CalicoSelector {
    const operands = [this.parseAnd()];
    while (this.is('||')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(): CalicoSelector {
    const operands = [this.parseOperation()];
    while (this.is('&&')) {
      this.advance();
      operands.push(this.parseOperation());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  /** parser.go parseOperation: leading `!`s, then one operation or a group. */
  private parseOperation(): CalicoSelector {
    let negations = 0;
    while (this.is('!')) {
      this.advance();
      negations++;
    }
    const token = this.current;
    let operation: CalicoSelector;
    switch (token.kind) {
      case 'has':
        this.advance();
        operation = { kind: 'has', key: token.text };
        break;
      case 'all':
      case 'global':
        this.advance();
        operation = { kind: token.kind };
        break;
      case '(':
        this.advance();
        operation = this.parseOr();
        this.expect(')', "')'");
        break;
      case 'label':
        this.advance();
        operation = this.parseComparison(token);
        break;
      default:
        throw this.fail("a label, '!', '(', has(), all() or global()");
    }
    for (let k = 0; k < negations; k++) operation = { kind: 'not', operand: operation };
    return operation;
  }

  private parseComparison(label: Token): CalicoSelector {
    const operator = this.current;
    switch (operator.kind) {
      case '==':
      case '!=':
      case 'contains':
      case 'starts with':
      case 'ends with':
        this.advance();
        return { kind: 'compare', key: label.text, operator: operator.kind, value: this.expect('string', 'a quoted string').text };
      case 'in':
      case 'not in':
        this.advance();
        return { kind: 'set', key: label.text, operator: operator.kind, values: this.parseSet() };
      case '(':
        throw this.misusedFunction(label, operator);
      default:
        throw this.fail(OPERATORS_EXPECTED);
    }
  }

  /** A label followed by `(`: a function Calico does not know, or one of its own written with a space before `(`. */
  private misusedFunction(label: Token, parenthesis: Token): SyntaxProblem {
    const known = FUNCTIONS.find((name) => name === label.text);
    if (known !== undefined)
      return problem(label.offset, parenthesis.offset + 1 - label.offset, `no space may come between '${known}' and '('`);
    if (parenthesis.offset === label.offset + label.length)
      return problem(label.offset, label.length, `unknown function '${label.text}': expected has(), all() or global()`);
    return this.fail(OPERATORS_EXPECTED);
  }

  /** parser.go: strings each followed by a comma or not, the last one's comma optional, then `}`. */
  private parseSet(): string[] {
    this.expect('{', "'{'");
    const values: string[] = [];
    let expected = "a quoted string or '}'";
    while (this.is('string')) {
      values.push(this.advance().text);
      if (!this.is(',')) {
        expected = "',' or '}'";
        break;
      }
      this.advance();
    }
    this.expect('}', expected);
    return values;
  }
}

export function parseCalicoSelector(text: string): CalicoSelectorParse {
  try {
    return { ok: true, selector: new Parser(text, tokenize(text)).parseSelector() };
  } catch (caught) {
    if (caught instanceof SyntaxProblem) return { ok: false, error: caught.error };
    throw caught;
  }
}

/**
 * Calico's evaluation (libcalico-go selector/parser ast.go). `!=` and `not in` hold for objects WITHOUT the label:
 * `LabelNeValueNode.Evaluate` returns true when the label is absent, as `not in` does; the docs' table words `!=` as
 * "with the label 'k' and value that is not 'v'", but the code is what the dataplane runs.
 */
export function calicoSelectorMatches(selector: CalicoSelector, labels: Labels): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    // GlobalNode.Evaluate is true, like all(): only a rule's namespaceSelector reads `global()` as "outside every
    // namespace" (rules.go rewrites it to !has(projectcalico.org/namespace) there, and all() to has(...)).
    case 'global':
      return true;
    case 'has':
      return labelValue(labels, selector.key) !== undefined;
    case 'compare': {
      const value = labelValue(labels, selector.key);
      return value === undefined
        ? selector.operator === '!='
        : compareHolds(selector.operator, value, selector.value);
    }
    case 'set': {
      const value = labelValue(labels, selector.key);
      const member = value !== undefined && selector.values.includes(value);
      return selector.operator === 'in' ? member : !member;
    }
    case 'not':
      return !calicoSelectorMatches(selector.operand, labels);
    case 'and':
      return selector.operands.every((operand) => calicoSelectorMatches(operand, labels));
    case 'or':
      return selector.operands.some((operand) => calicoSelectorMatches(operand, labels));
  }
}

function compareHolds(operator: CalicoStringOperator, value: string, operand: string): boolean {
  switch (operator) {
    case '==':
      return value === operand;
    case '!=':
      return value !== operand;
    case 'contains':
      return value.includes(operand);
    case 'starts with':
      return value.startsWith(operand);
    case 'ends with':
      return value.endsWith(operand);
  }
}

function labelValue(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/** The selector in canonical form: `&&` under `||`, `||` under `&&`, and comparisons and groups under `!` in parentheses. */
export function formatCalicoSelector(selector: CalicoSelector): string {
  switch (selector.kind) {
    case 'all':
    case 'global':
      return `${selector.kind}()`;
    case 'has':
      return `has(${selector.key})`;
    case 'compare':
      return `${selector.key} ${selector.operator} ${quote(selector.value)}`;
    case 'set':
      return `${selector.key} ${selector.operator} {${selector.values.map(quote).join(', ')}}`;
    case 'not':
      return `!${selector.operand.kind === 'all' || selector.operand.kind === 'global' || selector.operand.kind === 'has' || selector.operand.kind === 'not' ? formatCalicoSelector(selector.operand) : `(${formatCalicoSelector(selector.operand)})`}`;
    case 'and':
      return selector.operands
        .map((operand) =>
          operand.kind === 'or' ? `(${formatCalicoSelector(operand)})` : formatCalicoSelector(operand),
        )
        .join(' && ');
    case 'or':
      return selector.operands
        .map((operand) =>
          operand.kind === 'and' ? `(${formatCalicoSelector(operand)})` : formatCalicoSelector(operand),
        )
        .join(' || ');
  }
}

function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/**
 * The source range of `error` inside the YAML scalar holding the expression: exact for plain scalars and for quoted
 * ones without escapes or line folding (the value is then the raw text, shifted by the opening quote); otherwise the
 * whole scalar, since its characters no longer line up with the value's.
 */
export function selectorErrorRange(text: string, scalar: YamlScalar, error: CalicoSelectorError): Range {
  if (typeof scalar.value !== 'string') return scalar.range;
  const raw = text.slice(scalar.range.start, scalar.range.end);
  const quoted = raw.length >= 2 && (raw.startsWith("'") || raw.startsWith('"')) && raw.endsWith(raw[0]!);
  const start =
    raw === scalar.value
      ? scalar.range.start
      : quoted && raw.slice(1, -1) === scalar.value
        ? scalar.range.start + 1
        : undefined;
  if (start === undefined) return scalar.range;
  return { start: start + error.offset, end: start + error.offset + error.length };
}
