// Lint rules and findings: rule metadata, what a rule reports, and the fixes it may offer.
import type { z } from 'zod';
import type { Analysis } from '../analyze.js';
import type { Range, SourceLocation } from '../source/source.js';

export type RuleCategory = 'validation' | 'unreachable' | 'over-permissive' | 'correctness' | 'portability';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Where the project's rule docs live; the CLI, SARIF and the language server link there. */
export const RULE_DOCS_BASE_URL = 'https://github.com/kubereach/kubereach/blob/main/core/docs/rules/';

export interface RuleMeta<MessageId extends string> {
  readonly id: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: FindingSeverity;
  /** One sentence, no final period: what the rule flags. */
  readonly description: string;
  /** Message templates by id; `{{name}}` is replaced with the report's data. */
  readonly messages: Readonly<Record<MessageId, string>>;
  /** True when some reports carry a fix. */
  readonly fixable?: boolean;
}

export interface TextEdit {
  readonly file: string;
  readonly range: Range;
  readonly newText: string;
}

export interface Fix {
  /** What applying it does, in a few words ("add TCP 8080 to the rule's ports"). */
  readonly description: string;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly location: SourceLocation;
  readonly message: string;
}

export interface ReportDescriptor<MessageId extends string> {
  readonly messageId: MessageId;
  readonly data?: Readonly<Record<string, string | number>>;
  /** The exact field that causes the finding. */
  readonly location: SourceLocation;
  /** Other places involved, often in other files ("the ingress side is denied by policy X here"). */
  readonly related?: readonly RelatedLocation[];
  readonly fix?: Fix;
  /** At most this severity, whatever the rule is configured to (a loader warning stays a warning). */
  readonly maxSeverity?: FindingSeverity;
}

export interface RuleContext<MessageId extends string, Options> {
  /** Loaded objects, cluster model and engine result: computed once, shared by every rule. */
  readonly analysis: Analysis;
  readonly options: Options;
  /**
   * Whether findings located in a file are wanted (a lint of some files only, as a language server runs first after an
   * edit). Reports elsewhere are dropped anyway; a rule may ask it to skip work whose every finding would be located
   * in a file out of scope.
   */
  inScope(file: string): boolean;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

export interface Rule<MessageId extends string = string, Options = unknown> {
  readonly meta: RuleMeta<MessageId>;
  /** Validates the rule's options from the config file; the parsed value has every default filled in. */
  readonly options: z.ZodType<Options>;
  check(context: RuleContext<MessageId, Options>): void;
}

/** A rule whose message ids and options are checked at compile time (a wrong messageId does not compile). */
export function createRule<MessageId extends string, Options>(rule: Rule<MessageId, Options>): Rule<MessageId, Options> {
  return rule;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: FindingSeverity;
  readonly messageId: string;
  readonly message: string;
  readonly location: SourceLocation;
  readonly related: readonly RelatedLocation[];
  readonly fix: Fix | undefined;
}

export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${ruleId}.md`;
}

/** `{{name}}` placeholders filled from data; an unknown placeholder is left as it is. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) =>
    data !== undefined && name in data ? String(data[name]) : whole,
  );
}

/** The line break for lines a fix inserts: the file's own, CRLF when it has any, so a fix keeps its line endings. */
export function lineBreakOf(text: string): '\r\n' | '\n' {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Where the line holding `offset` ends, before its line break (`\n` or `\r\n`): where a fix appends lines after it. */
export function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' && newline - 1 >= offset ? newline - 1 : newline;
}
