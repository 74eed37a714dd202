// Entry of a replication worker thread when esbuild cannot bundle it (worker-source.ts).
// Workers do not inherit the parent's tsx loader (and `--import tsx` in a Worker's execArgv is
// ignored on Node 20), so register it here, resolved from this file, then load the TypeScript
// worker. Works under `node bin/mcsim.js` and under vitest.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
