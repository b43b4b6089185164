// `.kubereach.yaml`: rule severities and options, ignore globs, the default namespace; validated with exact ranges.
import { z } from 'zod';
import { decode } from '../manifest/decode.js';
import { ObjectIssues } from '../manifest/object-issues.js';
import { parseYamlDocuments } from '../manifest/yaml-documents.js';
import { formatFieldPath } from '../manifest/paths.js';
import type { FieldPath, InputIssue, InputIssueCode, Severity } from '../manifest/types.js';
import type { SourceText } from '../source/source.js';
import { resolveProfile } from '../cni/index.js';
import { componentSettingSchema, withComponentSettings, type ComponentSetting } from '../model/services.js';
import { UNUSED_SUPPRESSION_RULE_ID } from './lint.js';
import type { FindingSeverity, Rule } from './types.js';

export type SeveritySetting = FindingSeverity | 'off';

const SEVERITY_NAMES = ['off', 'info', 'warn', 'warning', 'error'] as const;
const severityName = z.enum(SEVERITY_NAMES);

/** `[warn]` or `[warn, { ...options }]`, as in ESLint. */
const severityWithOptions = z.tuple([severityName, z.unknown().optional()], {
  error: (issue) =>
    (issue.code === 'too_big' || issue.code === 'too_small') && Array.isArray(issue.input)
      ? `expected [severity] or [severity, options], got ${issue.input.length === 0 ? 'an empty list' : `${issue.input.length} items`}`
      : undefined,
});

/** `warn`, or a list as above. */
const ruleSetting = z.union([severityName, severityWithOptions], {
  error: 'expected one of off, info, warn, error (or [severity, options])',
});

const SECTIONS = {
  rules: z.record(z.string(), z.unknown()),
  ignore: z.array(z.string()),
  namespace: z.string(),
  cni: z.string(),
  ingressControllers: z.array(componentSettingSchema),
  clusterDns: componentSettingSchema,
} as const;

export type RuleSettingInput = z.infer<typeof ruleSetting>;

/**
 * The issues of a config file: a message names the field's whole path (`rules.half-open-path: ...`), since the
 * file is one object, where a manifest's issues name paths from the object they are about.
 */
class ConfigIssues extends ObjectIssues {
  override at(path: FieldPath): ConfigIssues {
    return new ConfigIssues({ ...this.source, basePath: [...this.source.basePath, ...path] }, this.issues);
  }

  override add(code: InputIssueCode, severity: Severity, path: FieldPath, detail: string, options?: { readonly key?: boolean }): void {
    const field = [...this.source.basePath, ...path];
    this.report(code, severity, path, field.length === 0 ? detail : `${formatFieldPath(field)}: ${detail}`, options);
  }
}

/** zod's message for a key a mapping does not take names neither the key's place nor the keys it takes. */
const unknownKeyMessage: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { readonly shape?: Readonly<Record<string, unknown>> } | undefined)?.shape;
  return unknownKeysText(issue.keys, Object.keys(shape ?? {}));
};

function unknownKeysText(keys: readonly string[], allowed: readonly string[]): string {
  const quoted = keys.map((key) => JSON.stringify(key)).join(', ');
  return `unknown key${keys.length === 1 ? '' : 's'} ${quoted} (allowed: ${allowed.length === 0 ? 'none' : allowed.join(', ')})`;
}

/**
 * Decodes a config value, unknown keys reported with the keys allowed. decode() parses without an error map, so this
 * parses with one and hands decode the issues, which it reports as it reports any.
 */
function decodeSetting<T>(schema: z.ZodType<T>, value: unknown, issues: ConfigIssues): T | undefined {
  const withKeyMessages = z.unknown().transform((input, context): T => {
    const result = schema.safeParse(input, { error: unknownKeyMessage });
    if (result.success) return result.data;
    for (const issue of result.error.issues) context.addIssue(issue as z.core.$ZodRawIssue);
    return z.NEVER;
  });
  return decode(withKeyMessages, value, issues);
}

export interface KubereachConfig {
  readonly rules: Readonly<Record<string, RuleSettingInput>>;
  /** Globs of files to leave out, relative to the config file's folder. */
  readonly ignore: readonly string[];
  readonly namespace: string | undefined;
  /** Network plugin profile, validated. */
  readonly cni?: string | undefined;
  /** Where the ingress controllers run, when the manifests do not hold them (namespace + pod labels). */
  readonly ingressControllers?: readonly ComponentSetting[] | undefined;
  /** Where cluster DNS runs; kube-system pods labelled k8s-app=kube-dns by default. */
  readonly clusterDns?: ComponentSetting | undefined;
}

export const EMPTY_CONFIG: KubereachConfig = { rules: {}, ignore: [], namespace: undefined };

export function normaliseSeverity(name: (typeof SEVERITY_NAMES)[number]): SeveritySetting {
  return name === 'warn' ? 'warning' : name;
}

/**
 * Parses a config file. Each section and each rule setting is decoded on its own, so one mistake
 * is reported at its key or value and the rest of the file still applies.
 */
export function parseConfig(source: SourceText, rules: readonly Rule[]): { config: KubereachConfig; issues: InputIssue[] } {
  const { documents, issues } = parseYamlDocuments(source);
  const document = documents.find((d) => d.root !== undefined);
  if (document === undefined) return { config: EMPTY_CONFIG, issues };
  const objectIssues = new ConfigIssues({ document, text: source.text, basePath: [] });
  const value: unknown = document.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    objectIssues.add('schema', 'error', [], 'the config file must be a mapping (rules, ignore, namespace)');
    return { config: EMPTY_CONFIG, issues: [...issues, ...objectIssues.issues] };
  }
  const sections = value as Record<string, unknown>;
  for (const key of Object.keys(sections)) {
    if (!(key in SECTIONS)) objectIssues.report('schema', 'error', [key], unknownKeysText([key], Object.keys(SECTIONS)), { key: true });
  }
  const section = <T>(key: keyof typeof SECTIONS, schema: z.ZodType<T>): T | undefined =>
    sections[key] === undefined ? undefined : decodeSetting(schema, sections[key], objectIssues.at([key]));

  const known = new Map(rules.map((rule) => [rule.meta.id, rule]));
  const ruleSettings: Record<string, RuleSettingInput> = {};
  for (const [id, raw] of Object.entries(section('rules', SECTIONS.rules) ?? {})) {
    const path = ['rules', id];
    const rule = known.get(id);
    if (rule === undefined && id !== UNUSED_SUPPRESSION_RULE_ID) {
      objectIssues.add('invalid-value', 'error', path, `unknown rule "${id}" (kubereach rules lists them)`, { key: true });
      continue;
    }
    // A list is checked item by item, so a wrong severity in it is reported at the item.
    const setting = decodeSetting(Array.isArray(raw) ? severityWithOptions : ruleSetting, raw, objectIssues.at(path));
    if (setting === undefined) continue;
    if (rule !== undefined && Array.isArray(setting) && setting.length === 2 && decodeSetting(rule.options, setting[1], objectIssues.at([...path, 1])) === undefined) {
      continue;
    }
    ruleSettings[id] = setting;
  }
  const cni = section('cni', SECTIONS.cni);
  const profile = cni === undefined ? undefined : resolveProfile(cni);
  if (profile !== undefined && 'error' in profile) objectIssues.add('invalid-value', 'error', ['cni'], profile.error);
  const config: KubereachConfig = {
    rules: ruleSettings,
    ignore: section('ignore', SECTIONS.ignore) ?? [],
    namespace: section('namespace', SECTIONS.namespace),
    cni: profile === undefined || 'error' in profile ? undefined : cni,
    ingressControllers: section('ingressControllers', SECTIONS.ingressControllers),
    clusterDns: section('clusterDns', SECTIONS.clusterDns),
  };
  return { config, issues: [...issues, ...objectIssues.issues] };
}

/** The severity of unused-suppression findings: the config's, then an override. */
export function unusedSuppressionSeverity(
  config: KubereachConfig,
  overrides: Readonly<Record<string, SeveritySetting>> = {},
): SeveritySetting {
  const setting = config.rules[UNUSED_SUPPRESSION_RULE_ID];
  const configured = setting === undefined ? undefined : normaliseSeverity(typeof setting === 'string' ? setting : setting[0]);
  return overrides[UNUSED_SUPPRESSION_RULE_ID] ?? configured ?? 'warning';
}

export interface ResolvedRule {
  readonly rule: Rule;
  readonly severity: FindingSeverity;
  readonly options: unknown;
}

/**
 * Each rule's severity and options: the rule's defaults, then the config file, then overrides
 * (`--rule id=severity`). Rules set to `off` are left out. Options that do not validate fall back
 * to the defaults (the config issue already said why).
 */
export function resolveRules(
  rules: readonly Rule[],
  config: KubereachConfig,
  overrides: Readonly<Record<string, SeveritySetting>> = {},
): ResolvedRule[] {
  const resolved: ResolvedRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    let severity: SeveritySetting = rule.meta.defaultSeverity;
    let rawOptions: unknown = {};
    if (typeof setting === 'string') severity = normaliseSeverity(setting);
    else if (setting !== undefined) {
      severity = normaliseSeverity(setting[0]);
      if (setting.length === 2) rawOptions = setting[1];
    }
    severity = overrides[rule.meta.id] ?? severity;
    if (severity === 'off') continue;
    // Rules taking ingressControllers/clusterDns options get the config's sections as defaults.
    const shared = withComponentSettings(config, rawOptions);
    const withShared = shared === undefined ? undefined : rule.options.safeParse(shared);
    const parsed = withShared?.success === true ? withShared : rule.options.safeParse(rawOptions);
    resolved.push({ rule, severity, options: parsed.success ? parsed.data : rule.options.parse({}) });
  }
  return resolved;
}
