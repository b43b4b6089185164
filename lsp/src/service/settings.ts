// Editor settings (`kubereach.*`): validated once, each mistake named, the valid rest still applied.
import { resolveProfile, RULES, UNUSED_SUPPRESSION_RULE_ID, type SeveritySetting } from '@kubereach/core';
import type { KubereachSettings } from '../protocol.js';

export interface ResolvedSettings {
  /** Network plugin profile (`calico`, `cilium@1.15`), valid for resolveProfile; undefined to detect it from the manifests. */
  readonly profile: string | undefined;
  readonly ruleOverrides: Readonly<Record<string, SeveritySetting>>;
  readonly configFile: string | undefined;
}

export const DEFAULT_SETTINGS: ResolvedSettings = { profile: undefined, ruleOverrides: {}, configFile: undefined };

const SEVERITIES: Readonly<Record<string, SeveritySetting>> = { off: 'off', info: 'info', warn: 'warning', warning: 'warning', error: 'error' };
const RULE_IDS = new Set([...RULES.map((r) => r.meta.id), UNUSED_SUPPRESSION_RULE_ID]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings as the client sent them (any JSON) to what the service uses, and a message per mistake. */
export function resolveSettings(raw: unknown): { settings: ResolvedSettings; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problems };
  if (!isRecord(raw)) return { settings: DEFAULT_SETTINGS, problems: ['kubereach settings must be an object'] };
  const input = raw as KubereachSettings & Record<string, unknown>;
  const text = (key: 'profile' | 'configFile'): string | undefined => {
    const value = input[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    problems.push(`kubereach.${key} must be a string`);
    return undefined;
  };
  const ruleOverrides: Record<string, SeveritySetting> = {};
  const rules: unknown = input.rules;
  if (rules !== undefined && rules !== null) {
    if (!isRecord(rules)) problems.push('kubereach.rules must be an object of rule id to severity');
    else {
      for (const [id, value] of Object.entries(rules)) {
        const severity = typeof value === 'string' ? SEVERITIES[value] : undefined;
        if (!RULE_IDS.has(id)) problems.push(`kubereach.rules: unknown rule "${id}"`);
        else if (severity === undefined) problems.push(`kubereach.rules.${id}: expected off, info, warn or error`);
        else ruleOverrides[id] = severity;
      }
    }
  }
  let profile = text('profile');
  if (profile !== undefined) {
    const resolved = resolveProfile(profile);
    if ('error' in resolved) {
      problems.push(`kubereach.profile: ${resolved.error}`);
      profile = undefined;
    }
  }
  return { settings: { profile, ruleOverrides, configFile: text('configFile') }, problems };
}
