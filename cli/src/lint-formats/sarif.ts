// SARIF 2.1.0 for code scanning: one rule entry per rule, exact UTF-16 regions, repository-relative URIs, stable fingerprints.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Fix, Log, ReportingDescriptor, Result } from 'sarif';
import {
  ruleDocsUrl,
  RULES,
  UNUSED_SUPPRESSION_META,
  type Finding,
  type FindingSeverity,
  type RuleMeta,
  type SourceLocation,
} from '@kubereach/core';
import { repositoryPath, repositoryRoot } from '../git.js';
import { VERSION } from '../version.js';
import type { Locations } from '../report-issues.js';
import type { LintFormatContext } from './format.js';
import { regionJson } from './json.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';
const FINGERPRINT = 'kubereach/v1';

const LEVELS: Readonly<Record<FindingSeverity, Result.level>> = { error: 'error', warning: 'warning', info: 'note' };

/** Every rule kubereach can report, in a fixed order, so `ruleIndex` is stable across runs. */
export function allRuleMetas(): readonly RuleMeta<string>[] {
  return [...RULES.map((rule) => rule.meta), UNUSED_SUPPRESSION_META];
}

function ruleDescriptor(meta: RuleMeta<string>): ReportingDescriptor {
  const docs = ruleDocsUrl(meta.id);
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.description },
    fullDescription: { text: `${meta.description}.` },
    helpUri: docs,
    help: { text: `${meta.description}. Documentation: ${docs}`, markdown: `${meta.description}. [Documentation of ${meta.id}](${docs})` },
    defaultConfiguration: { level: LEVELS[meta.defaultSeverity] },
    properties: { category: meta.category, tags: ['kubernetes', 'networkpolicy', meta.category] },
  };
}

/** Repository-relative URIs under %SRCROOT%; absolute `file:` URIs for files outside the repository. */
function artifactLocation(file: string): ArtifactLocation {
  if (file === '-') return { uri: 'stdin' };
  const path = repositoryPath(file);
  if (path === undefined) return { uri: pathToFileURL(file).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function physicalLocation(location: SourceLocation, locations: Locations) {
  const { line, column, endLine, endColumn } = regionJson(location, locations);
  return {
    artifactLocation: artifactLocation(location.file),
    region: {
      startLine: line,
      startColumn: column,
      endLine,
      endColumn,
      charOffset: location.range.start,
      charLength: location.range.end - location.range.start,
    },
  };
}

function sarifFix(finding: Finding): Fix[] {
  if (finding.fix === undefined) return [];
  const files = [...new Set(finding.fix.edits.map((edit) => edit.file))];
  return [
    {
      description: { text: finding.fix.description },
      artifactChanges: files.map((file) => ({
        artifactLocation: artifactLocation(file),
        replacements: finding.fix!.edits
          .filter((edit) => edit.file === file)
          .map((edit) => ({
            deletedRegion: { charOffset: edit.range.start, charLength: edit.range.end - edit.range.start },
            insertedContent: { text: edit.newText },
          })),
      })),
    },
  ];
}

/**
 * A fingerprint that survives lines moving: the rule, the file, the message and the flagged text
 * (whitespace folded), plus a counter for identical findings in one file.
 */
function fingerprints(findings: readonly Finding[], locations: Locations): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const flagged = (locations.source(finding.location.file) ?? '')
      .slice(finding.location.range.start, finding.location.range.end)
      .replace(/\s+/g, ' ')
      .trim();
    const key = [finding.ruleId, repositoryPath(finding.location.file) ?? finding.location.file, finding.message, flagged].join('\0');
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
  });
}

export function buildSarif(findings: readonly Finding[], { locations }: LintFormatContext): Log {
  const metas = allRuleMetas();
  const ruleIndex = new Map(metas.map((meta, index) => [meta.id, index]));
  const prints = fingerprints(findings, locations);
  const root = repositoryRoot(process.cwd()) ?? process.cwd();
  const results: Result[] = findings.map((finding, index) => ({
    ruleId: finding.ruleId,
    ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId)! } : {}),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: physicalLocation(finding.location, locations) }],
    ...(finding.related.length === 0
      ? {}
      : {
          relatedLocations: finding.related.map((related, id) => ({
            id,
            message: { text: related.message },
            physicalLocation: physicalLocation(related.location, locations),
          })),
        }),
    partialFingerprints: { [FINGERPRINT]: prints[index]! },
    ...(finding.fix === undefined ? {} : { fixes: sarifFix(finding) }),
    properties: { messageId: finding.messageId },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubereach',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/kubereach/kubereach',
            rules: metas.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(findings: readonly Finding[], context: LintFormatContext): string {
  return `${JSON.stringify(buildSarif(findings, context), null, 2)}\n`;
}
