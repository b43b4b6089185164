// `kubereach explain`: the verdict for one pair, with the policies and rules behind each side.
import { InvalidArgumentError, type Command } from 'commander';
import { isPortProtocol, type PortProtocol } from '@kubereach/core';
import {
  addClusterOptions,
  addCommonOptions,
  configuredSettings,
  EXIT,
  inputPaths,
  readClusterOption,
  runAnalysis,
  type ClusterCommandOptions,
  type CommandEnv,
  type CommonOptions,
} from '../context.js';
import { findEndpoint } from '../endpoint-query.js';
import { explainThroughService } from '../service-views.js';
import { renderExplanation, type PortQuery } from '../explain.js';
import { colorWanted, createStyle } from '../terminal.js';

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

export function registerExplain(program: Command, { io, setExitCode }: CommandEnv): void {
  addClusterOptions(addCommonOptions(
    program
      .command('explain')
      .description('explain the verdict for one pair: the policies isolating each side and the rules allowing which ports')
      .argument('<source>', 'namespace/name[Kind], namespace/name, Kind/name, name, or an IP address')
      .argument('<destination>', 'same forms as <source>, or svc/[namespace/]name[:port] (the path through a Service), or ingress/[namespace/]name with source internet')
      .argument('[paths...]', 'manifest files or directories; - reads stdin (default: the current directory, none with --cluster)')
      .option('-p, --port <port>', 'give the verdict for this port (exit code 1 when denied)', parsePort)
      .option('--protocol <protocol>', 'protocol of --port: TCP, UDP or SCTP', parseProtocol, 'TCP' as PortProtocol),
  )).action(
    async (
      source: string,
      destination: string,
      paths: string[],
      options: CommonOptions & ClusterCommandOptions & { port?: number; protocol: PortProtocol },
    ) => {
      const configured = configuredSettings(inputPaths(paths, options), options);
      const namespace = configured.analysis.defaultNamespace;
      const cluster = await readClusterOption(options);
      const settings = { ...configured.analysis, ...(cluster === undefined ? {} : { cluster }) };
      const { analysis, locations, inputFailed } = runAnalysis(inputPaths(paths, options), options, settings, io);
      const result = analysis.result;
      const throughService = explainThroughService(analysis, source, destination, configured.components, namespace, locations, createStyle(colorWanted(process.stdout, options.color)));
      if (throughService !== undefined) {
        io.stdout(throughService.stdout);
        io.stderr(throughService.stderr);
        setExitCode(inputFailed ? EXIT.inputOrUsage : throughService.exitCode);
        return;
      }
      const from = findEndpoint(result, source, namespace);
      const to = findEndpoint(result, destination, namespace);
      for (const lookup of [from, to]) if ('error' in lookup) io.stderr(`error: ${lookup.error}\n`);
      for (const lookup of [from, to]) if ('note' in lookup && lookup.note !== undefined) io.stderr(`note: ${lookup.note}\n`);
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
      else if (query !== undefined && !explanation.connections.allows(query.protocol, query.port)) setExitCode(EXIT.problems);
      else setExitCode(EXIT.ok);
    },
  );
}
