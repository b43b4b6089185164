// The `kubereach` command line: the program, its commands, and exit-code handling.
import { Command, CommanderError } from 'commander';
import { registerDiff } from './commands/diff.js';
import { registerExplain } from './commands/explain.js';
import { registerExposure } from './commands/exposure.js';
import { registerLint } from './commands/lint.js';
import { registerLsp } from './commands/lsp.js';
import { registerMatrix } from './commands/matrix.js';
import { registerRules } from './commands/rules.js';
import { registerTest } from './commands/test.js';
import { EXIT, processIo, type Io } from './context.js';
import { tuneRuntime } from './runtime.js';
import { VERSION } from './version.js';

export { VERSION } from './version.js';
export { setModuleImporter } from './import-module.js';

export function createProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('kubereach')
    .description('Which pod can talk to which, and why: static analysis of Kubernetes network policy.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const env = { io, setExitCode };
  registerMatrix(program, env);
  registerExplain(program, env);
  registerExposure(program, env);
  registerLint(program, env);
  registerLsp(program, env);
  registerRules(program, env);
  registerDiff(program, env);
  registerTest(program, env);
  return program;
}

/** Runs the CLI and returns the exit code; usage errors exit 2, like input errors. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  tuneRuntime(argv);
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
    return EXIT.internal;
  }
  return exitCode;
}
