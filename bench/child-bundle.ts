import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * Bundles `page-walks-child.ts` (one replication of `scale`'s scenario) into `dir`, for the
 * profiling tools: no transform of the sources runs inside the measurement, and the JIT's code
 * is named after the bundle's functions. Returns the bundle's path.
 */
export function bundleScaleChild(dir: string): string {
  const bundle = join(dir, 'child.mjs');
  buildSync({
    entryPoints: [fileURLToPath(new URL('./page-walks-child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'error',
    // The bundle's CommonJS dependencies (yaml) call require, which an ES module lacks.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return bundle;
}
