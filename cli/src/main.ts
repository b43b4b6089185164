// The `kubereach` command line: argument parsing and the wiring of inputs, engine and formats.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyze, buildMatrix, isPortProtocol, type Analysis, type Granularity, type PortProtocol } from '@kubereach/core';
import { findEndpoint } from './endpoint-query.js';
import { renderExplanation, type PortQuery } from './explain.js';
import { MATRIX_FORMATS, type MatrixFormatName } from './formats/format.js';
import { readInputs } from './inputs.js';
import { Locations, reportIssues } from './report-issues.js';
import { colorWanted, createStyle } from './terminal.js';

export const VERSION = '0.1.0';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, denied: 1, inputOrUsage: 2 } as const;

interface CommonOptions {
  namespace: string;
  color?: boolean;
  verbose?: boolean;
}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
}

const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
};

function runAnalysis(paths: readonly string[], options: CommonOptions, io: Io): { analysis: Analysis; locations: Locations; inputFailed: boolean } {
  const inputs = readInputs(paths, io.readStdin);
  const analysis = analyze(inputs.sources, { defaultNamespace: options.namespace });
  const issues = [...inputs.issues, ...analysis.issues];
  const locations = new Locations(analysis.load.sources);
  const style = createStyle(colorWanted(process.stderr, options.color));
  reportIssues(issues, locations, style, (line) => io.stderr(`${line}\n`), options.verbose === true);
  return {
    analysis: { ...analysis, issues },
    locations,
    inputFailed: issues.some((issue) => issue.severity === 'error'),
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError('a port is a number from 1 to 65535');
  return port;
}

function parseProtocol(value: string): PortProtocol {
  const protocol = value.toUpperCase();
  if (!isPortProtocol(protocol)) throw new InvalidArgumentError('the protocol is TCP, UDP or SCTP');
  return protocol;
}

function addCommonOptions(command: Command): Command {
  return command
    .option('-n, --namespace <name>', 'namespace of objects that name none', 'default')
    .option('--no-color', 'never colour the output (colour is used only on a terminal)')
    .option('-v, --verbose', 'list every skipped document (non-Kubernetes documents, kinds kubereach does not read)');
}

export function createProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('kubereach')
    .description('Which pod can talk to which, and why: static analysis of Kubernetes network policy.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  addCommonOptions(
    program
      .command('matrix')
      .description('print the connectivity matrix: every allowed connection between workloads and external address ranges')
      .argument('<paths...>', 'manifest files or directories (searched recursively for .yaml, .yml, .json); - reads stdin')
      .addOption(
        new Option('-o, --format <format>', 'output format').choices(Object.keys(MATRIX_FORMATS)).default('table'),
      )
      .addOption(new Option('-g, --granularity <level>', 'one row per workload pair or per namespace pair').choices(['workload', 'namespace']).default('workload')),
  ).action((paths: string[], options: CommonOptions & { format: MatrixFormatName; granularity: Granularity }) => {
    const { analysis, locations, inputFailed } = runAnalysis(paths, options, io);
    const matrix = buildMatrix(analysis.result, options.granularity);
    const style = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(MATRIX_FORMATS[options.format](matrix, { style, issues: analysis.issues, locations }));
    setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
  });

  addCommonOptions(
    program
      .command('explain')
      .description('explain the verdict for one pair: the policies isolating each side and the rules allowing which ports')
      .argument('<source>', 'namespace/name[Kind], namespace/name, Kind/name, name, or an IP address')
      .argument('<destination>', 'same forms as <source>')
      .argument('[paths...]', 'manifest files or directories; - reads stdin', ['.'])
      .option('-p, --port <port>', 'give the verdict for this port (exit code 1 when denied)', parsePort)
      .option('--protocol <protocol>', 'protocol of --port: TCP, UDP or SCTP', parseProtocol, 'TCP' as PortProtocol),
  ).action((source: string, destination: string, paths: string[], options: CommonOptions & { port?: number; protocol: PortProtocol }) => {
    const { analysis, locations, inputFailed } = runAnalysis(paths, options, io);
    const result = analysis.result;
    const from = findEndpoint(result, source, options.namespace);
    const to = findEndpoint(result, destination, options.namespace);
    for (const lookup of [from, to]) if ('error' in lookup) io.stderr(`error: ${lookup.error}\n`);
    if ('error' in from || 'error' in to) {
      setExitCode(EXIT.inputOrUsage);
      return;
    }
    if (from.endpoint.kind === 'external' && to.endpoint.kind === 'external') {
      io.stderr('error: both endpoints are outside the cluster; kubereach answers for connections that touch a workload\n');
      setExitCode(EXIT.inputOrUsage);
      return;
    }
    const query: PortQuery | undefined = options.port === undefined ? undefined : { protocol: options.protocol, port: options.port };
    const explanation = result.explain(from.endpoint, to.endpoint);
    const style = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(renderExplanation(explanation, locations, style, query));
    if (inputFailed) setExitCode(EXIT.inputOrUsage);
    else if (query !== undefined && !explanation.connections.allows(query.protocol, query.port)) setExitCode(EXIT.denied);
    else setExitCode(EXIT.ok);
  });

  return program;
}

/** Runs the CLI and returns the exit code; usage errors exit 2, like input errors. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const success = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      return success ? EXIT.ok : EXIT.inputOrUsage;
    }
    io.stderr(`kubereach: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 70;
  }
  return exitCode;
}
