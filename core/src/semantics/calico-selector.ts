// Calico's label selector expressions (`app == 'web' && !has(canary)`): parser with exact error offsets, matcher, printer.
import type { Range } from '../source/source.js';
import type { YamlScalar } from '../manifest/types.js';
import type { Labels } from './label-selector.js';

/*
 * Grammar, from the selector table of Calico's NetworkPolicy reference (docs.tigera.io, reference/resources/
 * networkpolicy, "Selectors") and the parser in projectcalico/calico libcalico-go/lib/selector/parser:
 *
 *   selector   := or | <empty>                      (an empty selector is all())
 *   or         := and ('||' and)*
 *   and        := unary ('&&' unary)*
 *   unary      := '!' unary | '(' or ')' | 'all()' | 'global()' | 'has(' label ')' | comparison
 *   comparison := label ('==' | '!=' | 'contains' | 'starts with' | 'ends with') string
 *               | label ('in' | 'not in') '{' (string (',' string)*)? '}'
 *   string     := "'" [^']* "'" | '"' [^"]* '"'
 *   label      := [A-Za-z0-9_./-]+
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

type TokenKind = 'word' | 'string' | 'symbol' | 'end';

interface Token {
  readonly kind: TokenKind;
  /** The word, the string's contents, or the symbol. */
  readonly text: string;
  readonly offset: number;
  readonly length: number;
}

const SYMBOLS = ['&&', '||', '==', '!=', '!', '(', ')', '{', '}', ','] as const;
const LABEL_CHARACTER = /[A-Za-z0-9_./-]/;
const FUNCTIONS = ['all', 'global', 'has'] as const;

/** Thrown inside the parser only, caught by `parseCalicoSelector`: user input never escapes as an exception. */
class SyntaxProblem {
  constructor(readonly error: CalicoSelectorError) {}
}

function problem(offset: number, length: number, message: string): SyntaxProblem {
  return new SyntaxProblem({ offset, length, message });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const character = text[position]!;
    if (/\s/.test(character)) {
      position++;
      continue;
    }
    if (character === '"' || character === "'") {
      const close = text.indexOf(character, position + 1);
      if (close < 0)
        throw problem(position, text.length - position, `unterminated string: no closing ${character}`);
      tokens.push({
        kind: 'string',
        text: text.slice(position + 1, close),
        offset: position,
        length: close + 1 - position,
      });
      position = close + 1;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, position));
    if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, offset: position, length: symbol.length });
      position += symbol.length;
      continue;
    }
    if (!LABEL_CHARACTER.test(character))
      throw problem(position, 1, `unexpected character ${JSON.stringify(character)}`);
    const start = position;
    while (position < text.length && LABEL_CHARACTER.test(text[position]!)) position++;
    tokens.push({ kind: 'word', text: text.slice(start, position), offset: start, length: position - start });
  }
  tokens.push({ kind: 'end', text: '', offset: text.length, length: 0 });
  return tokens;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the selector';
    case 'string':
      return `the string ${JSON.stringify(token.text)}`;
    case 'symbol':
      return `'${token.text}'`;
    case 'word':
      return `'${token.text}'`;
  }
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private get current(): Token {
    return this.tokens[this.index]!;
  }

  private advance(): Token {
    const token = this.current;
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isSymbol(symbol: string): boolean {
    return this.current.kind === 'symbol' && this.current.text === symbol;
  }

  private atEnd(): boolean {
    return this.current.kind === 'end';
  }

  private isWord(word: string): boolean {
    return this.current.kind === 'word' && this.current.text === word;
  }

  private fail(expected: string): SyntaxProblem {
    return problem(
      this.current.offset,
      this.current.length,
      `expected ${expected}, found ${describe(this.current)}`,
    );
  }

  private expectSymbol(symbol: string): void {
    if (!this.isSymbol(symbol)) throw this.fail(`'${symbol}'`);
    this.advance();
  }

  private expect(kind: 'word' | 'string', what: string): string {
    if (this.current.kind !== kind) throw this.fail(what);
    return this.advance().text;
  }

  parseSelector(): CalicoSelector {
    if (this.atEnd()) return { kind: 'all' };
    const selector = this.parseOr();
    if (!this.atEnd()) throw this.fail("'&&', '||' or the end of the selector");
    return selector;
  }

  private parseOr(): CalicoSelector {
    const operands = [this.parseAnd()];
    while (this.isSymbol('||')) {
      this.advance();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(): CalicoSelector {
    const operands = [this.parseUnary()];
    while (this.isSymbol('&&')) {
      this.advance();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private parseUnary(): CalicoSelector {
    if (this.isSymbol('!')) {
      this.advance();
      return { kind: 'not', operand: this.parseUnary() };
    }
    if (this.isSymbol('(')) {
      this.advance();
      const inner = this.parseOr();
      this.expectSymbol(')');
      return inner;
    }
    const label = this.current;
    if (label.kind !== 'word') throw this.fail("a label, '!', '(', has(), all() or global()");
    this.advance();
    if (this.isSymbol('(')) return this.parseFunction(label);
    return this.parseComparison(label.text);
  }

  private parseFunction(name: Token): CalicoSelector {
    const known = FUNCTIONS.find((candidate) => candidate === name.text);
    if (known === undefined)
      throw problem(name.offset, name.length, `unknown function '${name.text}': expected has, all or global`);
    this.advance();
    if (known === 'has') {
      const key = this.expect('word', 'a label name');
      this.expectSymbol(')');
      return { kind: 'has', key };
    }
    this.expectSymbol(')');
    return { kind: known };
  }

  private parseComparison(key: string): CalicoSelector {
    if (this.isSymbol('==') || this.isSymbol('!=')) {
      const operator = this.advance().text === '==' ? '==' : '!=';
      return { kind: 'compare', key, operator, value: this.expect('string', 'a quoted string') };
    }
    if (this.isWord('contains')) {
      this.advance();
      return { kind: 'compare', key, operator: 'contains', value: this.expect('string', 'a quoted string') };
    }
    for (const [first, second, operator] of [
      ['starts', 'with', 'starts with'],
      ['ends', 'with', 'ends with'],
    ] as const) {
      if (this.isWord(first)) {
        this.advance();
        if (!this.isWord(second)) throw this.fail(`'${second}'`);
        this.advance();
        return { kind: 'compare', key, operator, value: this.expect('string', 'a quoted string') };
      }
    }
    if (this.isWord('not')) {
      this.advance();
      if (!this.isWord('in')) throw this.fail("'in'");
      this.advance();
      return { kind: 'set', key, operator: 'not in', values: this.parseSet() };
    }
    if (this.isWord('in')) {
      this.advance();
      return { kind: 'set', key, operator: 'in', values: this.parseSet() };
    }
    throw this.fail("'==', '!=', 'in', 'not in', 'contains', 'starts with' or 'ends with'");
  }

  private parseSet(): string[] {
    this.expectSymbol('{');
    const values: string[] = [];
    if (this.isSymbol('}')) {
      this.advance();
      return values;
    }
    for (;;) {
      values.push(this.expect('string', 'a quoted string'));
      if (this.isSymbol('}')) {
        this.advance();
        return values;
      }
      if (!this.isSymbol(',')) throw this.fail("',' or '}'");
      this.advance();
    }
  }
}

export function parseCalicoSelector(text: string): CalicoSelectorParse {
  try {
    return { ok: true, selector: new Parser(tokenize(text)).parseSelector() };
  } catch (caught) {
    if (caught instanceof SyntaxProblem) return { ok: false, error: caught.error };
    throw caught;
  }
}

/** What a selector is evaluated against: `global` is true for objects outside any namespace (for `global()`). */
export interface CalicoSelectorSubject {
  readonly labels: Labels;
  readonly global: boolean;
}

/**
 * Calico's evaluation (libcalico-go selector/parser ast.go). `!=` and `not in` hold for objects WITHOUT the label:
 * `LabelNeValueNode.Evaluate` returns true when the label is absent, as `not in` does; the docs' table words `!=` as
 * "with the label 'k' and value that is not 'v'", but the code is what the dataplane runs.
 */
export function calicoSelectorMatches(selector: CalicoSelector, subject: CalicoSelectorSubject): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'global':
      return subject.global;
    case 'has':
      return labelValue(subject.labels, selector.key) !== undefined;
    case 'compare': {
      const value = labelValue(subject.labels, selector.key);
      return value === undefined
        ? selector.operator === '!='
        : compareHolds(selector.operator, value, selector.value);
    }
    case 'set': {
      const value = labelValue(subject.labels, selector.key);
      const member = value !== undefined && selector.values.includes(value);
      return selector.operator === 'in' ? member : !member;
    }
    case 'not':
      return !calicoSelectorMatches(selector.operand, subject);
    case 'and':
      return selector.operands.every((operand) => calicoSelectorMatches(operand, subject));
    case 'or':
      return selector.operands.some((operand) => calicoSelectorMatches(operand, subject));
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
