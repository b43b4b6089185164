// `kubereach exposure`: what outside clients reach (through which Service type or Ingress) and what each workload admits from other namespaces.
import { Option, type Command } from 'commander';
import { addCommonOptions, EXIT, runAnalysis, type CommandEnv, type CommonOptions } from '../context.js';
import { formatExposure, serviceLayer } from '../service-views.js';
import { colorWanted, createStyle } from '../terminal.js';

export function registerExposure(program: Command, { io, setExitCode }: CommandEnv): void {
  addCommonOptions(
    program
      .command('exposure')
      .description('what can be reached from outside the cluster, and what every workload admits from other namespaces')
      .argument('[paths...]', 'manifest files or directories; - reads stdin', ['.'])
      .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text')),
  ).action((paths: string[], options: CommonOptions & { format: 'text' | 'json' }) => {
    const namespace = options.namespace ?? 'default';
    const { analysis, inputFailed } = runAnalysis(paths, options, { defaultNamespace: namespace }, io);
    const style = createStyle(colorWanted(process.stdout, options.color));
    io.stdout(formatExposure(serviceLayer(analysis, paths, namespace), options.format, style));
    setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
  });
}
