/**
 * How a replication worker thread starts. On Node 20 a worker does not inherit tsx's loader:
 * started from worker-boot.mjs it registers tsx and loads its sixty modules through a loader
 * thread of its own, some 0.5-0.8 s on a 2-core machine while the workers compete for the
 * cores. So the worker's code is bundled once per process into one script with esbuild (what
 * tsx itself transpiles with; about 0.1 s, in esbuild's own process), which a worker compiles
 * in some 50 ms. Stack traces from it read `[worker eval]`. If esbuild cannot bundle, workers
 * start from worker-boot.mjs: slower, same results.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

declare global {
  /** Set by bin/launch.mjs: the stamp of the source tree the running CLI was bundled from. */
  var mcsimSourceStamp: string | undefined;
}

export type WorkerSource = { kind: 'bundle'; code: string } | { kind: 'file'; url: URL; why: string };

const ENTRY = new URL('./worker.ts', import.meta.url);
const BOOT = new URL('./worker-boot.mjs', import.meta.url);
/** Where bin/launch.mjs keeps the CLI's bundle; the worker's is kept beside it, under the same stamp. */
const CACHE = new URL('../../node_modules/.cache/mcsim/', import.meta.url);

let pending: Promise<WorkerSource> | undefined;

/**
 * The worker's code: the compiled worker beside this module in an installed package (dist/);
 * from the sources, bundled on first use (later calls share the first one's result).
 */
export function workerSource(): Promise<WorkerSource> {
  if (import.meta.url.endsWith('.js'))
    return Promise.resolve({ kind: 'file', url: new URL('./worker.js', import.meta.url), why: 'compiled' });
  pending ??= bundle().catch((e: unknown): WorkerSource => ({
    kind: 'file',
    url: BOOT,
    why: e instanceof Error ? e.message : String(e),
  }));
  return pending;
}

/**
 * The bundle, read from the cache when the CLI was started from a bundle of the same sources
 * (a few ms rather than some 0.1 s), else made and, in that case, cached for the next run.
 */
async function bundle(): Promise<WorkerSource> {
  const stamp = globalThis.mcsimSourceStamp;
  const cached = stamp === undefined ? undefined : new URL(`worker-${stamp}.cjs`, CACHE);
  if (cached !== undefined) {
    try {
      return { kind: 'bundle', code: await readFile(cached, 'utf8') };
    } catch {
      // not made yet for these sources
    }
  }
  const code = await bundleWorker();
  // Written to a temporary file and renamed: a run starting meanwhile never reads half a script.
  if (cached !== undefined) {
    const tmp = new URL(`${cached.href}.${process.pid}.tmp`);
    await mkdir(CACHE, { recursive: true })
      .then(() => writeFile(tmp, code))
      .then(() => rename(tmp, cached))
      .catch(() => undefined);
  }
  return { kind: 'bundle', code };
}

async function bundleWorker(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [fileURLToPath(ENTRY)],
    bundle: true,
    platform: 'node',
    // A script run with `eval: true` is CommonJS; the worker's modules use no import.meta.
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  return (out.outputFiles[0] as { text: string }).text;
}
