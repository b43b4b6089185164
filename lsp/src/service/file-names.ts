// Document identity and names: one key per file however a client spells its URI, and the name core reads it under.
import { posix, win32 } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONFIG_FILE_NAMES, isManifestFileName, SKIPPED_DIRECTORIES } from '@kubereach/core';

const IS_WINDOWS = process.platform === 'win32';

/** A URI scheme of two letters or more (one letter is a Windows drive). */
const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** The `node:path` functions for paths of one platform. */
export const pathsFor = (windows = IS_WINDOWS) => (windows ? win32 : posix);

/**
 * The file-system path a `file:` URI names, undefined for other schemes. Clients spell one file differently (VS Code
 * `file:///c%3A/team%40corp`, Neovim `%5b` for `%5B`, Node `file:///C:/team@corp`); LSP says to compare parsed URIs,
 * and this is the parse. A Windows drive letter is lower-cased, as VS Code writes it, since Windows ignores its case.
 */
export function uriPath(uri: string, windows = IS_WINDOWS): string | undefined {
  if (!/^file:/i.test(uri)) return undefined;
  try {
    const path = fileURLToPath(uri, { windows });
    return windows ? path.replace(/^[A-Z]:/, (drive) => drive.toLowerCase()) : path;
  } catch {
    return undefined;
  }
}

export function pathUri(path: string, windows = IS_WINDOWS): string {
  return pathToFileURL(path, { windows }).href;
}

/** One spelling per document: Node's for a file, the URI as given for other schemes (`untitled:`). */
export function canonicalUri(uri: string, windows = IS_WINDOWS): string {
  const path = uriPath(uri, windows);
  return path === undefined ? uri : pathUri(path, windows);
}

/** The key a document is known by: its path for a file, its URI otherwise. */
export function documentKey(uri: string, windows = IS_WINDOWS): string {
  return uriPath(uri, windows) ?? uri;
}

export function isConfigPath(path: string): boolean {
  return CONFIG_FILE_NAMES.includes(fileName(path));
}

/** Whether a file found in a folder is read as manifests: by its extension, the config file aside (as the CLI reads). */
export function isManifestPath(path: string): boolean {
  return isManifestFileName(fileName(path));
}

/** The last part of a path of either platform. */
function fileName(path: string): string {
  return posix.basename(path.replaceAll('\\', '/'));
}

/** `path` relative to `folder` when it lies below it (or is it: ''), else undefined. */
export function pathBelow(folder: string, path: string, windows = IS_WINDOWS): string | undefined {
  const paths = pathsFor(windows);
  const relative = paths.relative(folder, path);
  if (relative === '..' || relative.startsWith(`..${paths.sep}`) || paths.isAbsolute(relative)) return undefined;
  return relative;
}

/**
 * Whether a path below `folder` lies in a folder the scan skips (`node_modules`, `.git`): one of its parent folders
 * below `folder` is, or, for a directory, the path itself.
 */
export function isSkippedBelow(folder: string, path: string, { directory = false, windows = IS_WINDOWS }: { directory?: boolean; windows?: boolean } = {}): boolean {
  const relative = pathBelow(folder, path, windows);
  if (relative === undefined || relative === '') return false;
  const segments = relative.split(pathsFor(windows).sep);
  return (directory ? segments : segments.slice(0, -1)).some((segment) => SKIPPED_DIRECTORIES.has(segment));
}

/**
 * The names core reads documents under, which its messages print ("already defined (in shop/api.yaml)"). `paths`: as
 * `kubereach lint` run in the folder prints them, relative to `root` for the files below it, else absolute; the URI
 * for other schemes. `uris` (a workspace without folder, as tests build it): every document by its canonical URI.
 */
export class FileNames {
  /** URIs by name, computed once: every analysis turns every file's name into its URI. */
  private readonly uris = new Map<string, string>();

  private constructor(
    private readonly byPath: boolean,
    readonly root: string | undefined,
    private readonly windows: boolean,
  ) {}

  static paths(root: string | undefined, windows = IS_WINDOWS): FileNames {
    return new FileNames(true, root, windows);
  }

  static uris(windows = IS_WINDOWS): FileNames {
    return new FileNames(false, undefined, windows);
  }

  nameOf(uri: string): string {
    const path = uriPath(uri, this.windows);
    if (path === undefined) return uri;
    if (!this.byPath) return pathUri(path, this.windows);
    const relative = this.root === undefined ? undefined : pathBelow(this.root, path, this.windows);
    if (relative === undefined || relative === '') return path;
    // A relative name that reads as a URI (a file named `untitled:x.yaml`) is written `./untitled:x.yaml`.
    return SCHEME.test(relative) ? `.${pathsFor(this.windows).sep}${relative}` : relative;
  }

  uriOf(name: string): string {
    let uri = this.uris.get(name);
    if (uri === undefined) {
      const path = this.pathOf(name);
      uri = path === undefined ? name : pathUri(path, this.windows);
      this.uris.set(name, uri);
    }
    return uri;
  }

  /** The absolute path of a named file; undefined for a document that is no file. */
  pathOf(name: string): string | undefined {
    if (!this.byPath) return uriPath(name, this.windows);
    const paths = pathsFor(this.windows);
    if (paths.isAbsolute(name)) return name;
    if (SCHEME.test(name) || this.root === undefined) return undefined;
    return paths.join(this.root, name);
  }
}
