// `kubereach matrix`: every allowed connection between workloads and external address ranges.
import { Option, type Command } from 'commander';
import { analyzeLoaded, compareProfiles, streamMatrix, type Granularity } from '@kubereach/core';
import { CNI_COMPARE_FORMATS, formatCniComparison, type CniCompareFormat } from '../formats/cni-compare.js';
import {
  addClusterOptions,
  addCommonOptions,
  configuredSettings,
  EXIT,
  readClusterOption,
  runAnalysis,
  type ClusterCommandOptions,
  type CommandEnv,
  type CommonOptions,
} from '../context.js';
import { MATRIX_FORMATS, writeChunked, type MatrixFormatName } from '../formats/format.js';
import { formatServiceView, SERVICE_VIEW_FORMATS, serviceLayer, type ServiceViewFormat } from '../service-views.js';
import { colorWanted, createStyle } from '../terminal.js';

export function registerMatrix(program: Command, { io, setExitCode }: CommandEnv): void {
  addClusterOptions(addCommonOptions(
    program
      .command('matrix')
      .description('print the connectivity matrix: every allowed connection between workloads and external address ranges')
      .argument('[paths...]', 'manifest files or directories (searched recursively for .yaml, .yml, .json); - reads stdin; required unless --cluster')
      .addOption(new Option('-o, --format <format>', 'output format').choices(Object.keys(MATRIX_FORMATS)).default('table'))
      .option('--services', 'client workload to Service port (and Ingress route), following DNAT to each backend (formats table, connlist, json)')
      .addOption(
        new Option('-g, --granularity <level>', 'one row per workload pair, per pair of workload classes (workloads no policy tells apart), or per namespace pair')
          .choices(['workload', 'class', 'namespace'])
          .default('workload'),
      ),
    { comparesCni: true },
  )).action(async (paths: string[], options: CommonOptions & ClusterCommandOptions & { format: MatrixFormatName; granularity: Granularity; services?: boolean }) => {
    if (paths.length === 0 && options.cluster !== true) {
      io.stderr("error: missing required argument 'paths' (or --cluster)\n");
      setExitCode(EXIT.inputOrUsage);
      return;
    }
    const configured = configuredSettings(paths, options);
    const profiles = configured.analysis.cni?.split(',');
    const { defaultNamespace } = configured.analysis;
    const cluster = await readClusterOption(options);
    const settings = { ...configured.analysis, cni: profiles?.[0], ...(cluster === undefined ? {} : { cluster }) };
    const { analysis, locations, inputFailed } = runAnalysis(paths, options, settings, io);
    const style = createStyle(colorWanted(process.stdout, options.color));
    if (profiles !== undefined && profiles.length > 1) {
      if (!(CNI_COMPARE_FORMATS as readonly string[]).includes(options.format)) {
        io.stderr(`error: --cni compares two profiles with --format ${CNI_COMPARE_FORMATS.join(', ')}\n`);
        setExitCode(EXIT.inputOrUsage);
        return;
      }
      // The second profile changes what follows loading only: the input is parsed once.
      const other = analyzeLoaded(analysis.load, { defaultNamespace, cni: profiles[1]! });
      const pair = [profiles[0]!, profiles[1]!] as const;
      io.stdout(formatCniComparison(compareProfiles(analysis, other), pair, options.format as CniCompareFormat, style));
      setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
      return;
    }
    if (options.services === true) {
      if (!(SERVICE_VIEW_FORMATS as readonly string[]).includes(options.format)) {
        io.stderr(`error: --services writes --format ${SERVICE_VIEW_FORMATS.join(', ')}\n`);
        setExitCode(EXIT.inputOrUsage);
        return;
      }
      io.stdout(formatServiceView(serviceLayer(analysis, configured.components, defaultNamespace).serviceView(), options.format as ServiceViewFormat, style));
      setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
      return;
    }
    const matrix = streamMatrix(analysis.result, options.granularity);
    await writeChunked(MATRIX_FORMATS[options.format](matrix, { style, issues: analysis.issues, locations }), io);
    setExitCode(inputFailed ? EXIT.inputOrUsage : EXIT.ok);
  });
}
