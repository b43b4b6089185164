// Which files kubereach reads from a folder: manifests by extension, the config file aside, the skipped folders left out; shared by the CLI and the language server.

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The names of the config file, looked for in this order. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.kubereach.yaml', '.kubereach.yml'];

/** Folders never holding the user's manifests: skipped while walking a folder or a git tree. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/** Whether a file found in a folder is read as manifests: by its extension, `.kubereach.yaml` (the config) aside. */
export function isManifestFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension)) && !CONFIG_FILE_NAMES.includes(name);
}
