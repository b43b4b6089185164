// Entry of the bundled language server shipped inside the extension.
import { startStdioServer } from '@kubereach/lsp';

startStdioServer();
