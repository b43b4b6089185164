// `kubereach rules`: the rule catalog with default severities and docs links.
import { Option, type Command } from 'commander';
import { ruleDocsUrl, RULES, UNUSED_SUPPRESSION_META, type RuleMeta } from '@kubereach/core';
import { EXIT, type CommandEnv } from '../context.js';
import { colorWanted, createStyle } from '../terminal.js';

export function registerRules(program: Command, { io, setExitCode }: CommandEnv): void {
  program
    .command('rules')
    .description('list the lint rules with their category, default severity and documentation')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'md']).default('table'))
    .option('--no-color', 'never colour the output')
    .action((options: { format: 'table' | 'json' | 'md'; color?: boolean }) => {
      const metas: RuleMeta<string>[] = [...RULES.map((r) => r.meta), UNUSED_SUPPRESSION_META].sort((a, b) => (a.id < b.id ? -1 : 1));
      if (options.format === 'json') {
        const rules = metas.map((m) => ({
          id: m.id,
          category: m.category,
          defaultSeverity: m.defaultSeverity,
          fixable: m.fixable === true,
          description: m.description,
          docs: ruleDocsUrl(m.id),
        }));
        io.stdout(`${JSON.stringify(rules, null, 2)}\n`);
      } else if (options.format === 'md') {
        const lines = ['| rule | category | default | fixable | flags |', '| --- | --- | --- | --- | --- |'];
        for (const m of metas) {
          lines.push(`| [\`${m.id}\`](core/docs/rules/${m.id}.md) | ${m.category} | ${m.defaultSeverity} | ${m.fixable === true ? 'yes' : ''} | ${m.description} |`);
        }
        io.stdout(`${lines.join('\n')}\n`);
      } else {
        const style = createStyle(colorWanted(process.stdout, options.color));
        const width = Math.max(...metas.map((m) => m.id.length));
        const lines = [style.bold(`${'RULE'.padEnd(width)}  ${'CATEGORY'.padEnd(15)}  ${'DEFAULT'.padEnd(7)}  DESCRIPTION`)];
        for (const m of metas) {
          lines.push(`${m.id.padEnd(width)}  ${m.category.padEnd(15)}  ${m.defaultSeverity.padEnd(7)}  ${m.description}`);
          lines.push(`${' '.repeat(width)}  ${style.dim(ruleDocsUrl(m.id))}`);
        }
        io.stdout(`${lines.join('\n')}\n`);
      }
      setExitCode(EXIT.ok);
    });
}
