// How bin/mcsim.js starts the CLI. Loading its sixty TypeScript modules through tsx's loader
// takes 1-1.5 s before a command does anything; one esbuild bundle of them loads in some 0.4 s.
// The bundle is kept in node_modules/.cache/mcsim, named by a stamp of the sources (path, size
// and modification time of every file under src/, this file and tsconfig.json), so an edited
// source is bundled again on the next start (some 0.3 s) and a fresh clone needs no build step.
// Without esbuild, where the cache cannot be written, or with MCSIM_NO_BUNDLE=1, the CLI runs
// through tsx as before.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const ENTRY = join(SRC, 'cli', 'main.ts');
export const CACHE = join(ROOT, 'node_modules', '.cache', 'mcsim');
/** Bundles of other source states older than this are removed (a concurrent start may still use a newer one). */
const STALE_MS = 10 * 60 * 1000;

/** What else shapes the bundle: this file's build options and the TypeScript settings. */
const BUILD_INPUTS = [fileURLToPath(import.meta.url), join(ROOT, 'tsconfig.json')];

/** A stamp of the source tree (and, for the sources, BUILD_INPUTS): any file added, removed, resized or touched changes it. */
export function sourceStamp(dir = SRC) {
  const hash = createHash('sha256');
  const stamp = (p) => {
    const s = statSync(p);
    hash.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
  };
  if (dir === SRC) BUILD_INPUTS.forEach(stamp);
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else stamp(p);
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

export const bundlePath = (stamp) => join(CACHE, `cli-${stamp}.mjs`);

/**
 * `import.meta.url` of each source module, as it is where the source lies: the modules that find
 * files beside them (the bundled scenarios, the worker's entry, the report's scripts) find them
 * there, not beside the bundle.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/** Writes the bundle for `stamp` (to a temporary file, then renamed: concurrent starts never see half a file). */
async function makeBundle(stamp) {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay imports, resolved from node_modules above the cache.
    packages: 'external',
    plugins: [sourceUrls],
    // An internal error's stack names the TypeScript sources (launch() enables source maps).
    sourcemap: 'inline',
    write: false,
    logLevel: 'silent',
  });
  const path = bundlePath(stamp);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, out.outputFiles[0].text);
  renameSync(tmp, path);
  for (const name of readdirSync(CACHE)) {
    const p = join(CACHE, name);
    // The CLI's bundles and the workers' (src/experiment/worker-source.ts) of other source states.
    if (name.includes(stamp) || !(name.startsWith('cli-') || name.startsWith('worker-'))) continue;
    // Another start may rename or remove the same file meanwhile: cleaning up is not worth failing for.
    try {
      if (Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { force: true });
    } catch {
      // already gone
    }
  }
}

/** The stamp of the sources whose bundle is there to run, made if need be; undefined when the CLI should run through tsx. */
async function bundle() {
  if (process.env.MCSIM_NO_BUNDLE === '1') return undefined;
  try {
    const stamp = sourceStamp();
    try {
      statSync(bundlePath(stamp));
    } catch {
      await makeBundle(stamp);
    }
    return stamp;
  } catch {
    return undefined;
  }
}

export async function launch() {
  const stamp = await bundle();
  if (stamp !== undefined) {
    // The workers' bundle is cached under the same stamp (src/experiment/worker-source.ts).
    globalThis.mcsimSourceStamp = stamp;
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(bundlePath(stamp)).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(ENTRY).href);
}
