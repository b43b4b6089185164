// `kubereach exposure`: what outside clients reach (through which Service type or Ingress) and what each workload admits from other namespaces.
import { Option, type Command } from 'commander';
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
import { formatExposure, serviceLayer } from '../service-views.js';
import { colorWanted, createStyle } from '../terminal.js';

export function registerExposure(program: Command, { io, setExitCode }: CommandEnv): void {
  addClusterOptions(addCommonOptions(
    program
      .command('exposure')
      .description('what can be reached from outside the cluster, and what every workload admits from other namespaces')
      .argument('[paths...]', 'manifest files or directories; - reads stdin (default: the current directory, none with --cluster)')
      .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text')),
  )).action(async (givenPaths: string[], options: CommonOptions & ClusterCommandOptions & { format: 'text' | 'json' }) => {
    const paths = inputPaths(givenPaths, options);
    const configured = configuredSettings(paths, options);
    const cluster = await readClusterOption(options);
    const settings = { ...configured.analysis, ...(cluster === undefined ? {} : { cluster }) };
    const { analysis, inputFailed } = runAnalysis(paths, options, settings, io);
    const style = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(formatExposure(serviceLayer(analysis, configured.components, settings.defaultNamespace), options.format, style));
    setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
  });
}
