// Loads the command's bundle (dist/kubereach.cjs) with a V8 code cache, so that a run does not compile again the
// functions every run compiles. Node 20 has no compile cache for ES modules (module.enableCompileCache is Node 22),
// hence a CommonJS bundle compiled through vm.Script.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import type { Io } from './context.js';
import { tuneRuntime } from './runtime.js';

/** What the bundle exports (src/main.ts). */
export interface Cli {
  main(argv: readonly string[], io?: Io): Promise<number>;
  setModuleImporter(importer: (name: string) => Promise<unknown>): void;
}

export interface LoadedCli {
  readonly cli: Cli;
  /** Whether V8 took the code cache: there was one, made from this very bundle, by this V8 with these flags. */
  readonly cacheAccepted: boolean;
  /** Writes the code cache of what has been compiled so far (the build calls it after running typical commands). */
  writeCache(): void;
}

/** The cache file: the SHA-256 of the bundle it was made from, then V8's data. */
const DIGEST_BYTES = 32;

/**
 * Loads the bundle for one command line. The V8 flags a command runs with (tuneRuntime) are set first: V8 rejects a
 * cache made under other flags, and the build makes it under a one-shot command's flags. V8 checks its version and
 * flags but only the length of the source, so the cache also names the bundle it belongs to by digest; a cache that
 * is missing, stale or rejected costs nothing but the compilation it would have saved.
 */
export function loadCli(
  argv: readonly string[],
  bundle: string = join(__dirname, 'kubereach.cjs'),
): LoadedCli {
  tuneRuntime(argv);
  const code = readFileSync(bundle);
  const digest = createHash('sha256').update(code).digest();
  const cacheFile = `${bundle}.cache`;
  const cachedData = readCache(cacheFile, digest);
  const script = new Script(Module.wrap(code.toString('utf8')), {
    filename: bundle,
    cachedData,
  });
  const exports = {};
  const module = { exports, id: bundle, filename: bundle };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(exports, exports, createRequire(bundle), module, bundle, dirname(bundle));
  const cli = module.exports as Cli;
  // import() in a vm.Script needs an experimental flag on Node 20: this module imports for the bundle what the build
  // bundled next to it (dist/lsp.mjs, dist/kubernetes-client.mjs).
  cli.setModuleImporter((name) => import(pathToFileURL(join(dirname(bundle), `${name}.mjs`)).href));
  return {
    cli,
    cacheAccepted: cachedData !== undefined && !script.cachedDataRejected,
    writeCache: () => writeFileSync(cacheFile, Buffer.concat([digest, script.createCachedData()])),
  };
}

function readCache(file: string, digest: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  return data.subarray(0, DIGEST_BYTES).equals(digest) ? data.subarray(DIGEST_BYTES) : undefined;
}
