// `kubereach lsp`: the language server over stdin/stdout, for editors that start it from the CLI.
import type { Command } from 'commander';
import type { CommandEnv } from '../context.js';
import { importModule } from '../import-module.js';

export function registerLsp(program: Command, _env: CommandEnv): void {
  program
    .command('lsp')
    .description('run the kubereach language server over stdio (for editors: VS Code, Neovim, Emacs)')
    .option('--stdio', 'talk LSP over stdin and stdout (the default and only transport)')
    .action(async () => {
      // Loaded on demand, so the other commands do not pay for the server's start-up.
      const { startStdioServer } = await importModule('lsp');
      startStdioServer();
    });
}
