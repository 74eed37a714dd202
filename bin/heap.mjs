// Gives a simulating command a heap limit that fits the machine. V8 sizes its heap from the
// memory it sees (a quarter of it, at most some 4 GiB), which leaves most of a large machine idle
// under a long run, and gives every worker thread as much, which may be more than a small
// machine has. A run started without --max-old-space-size (on the command line or in
// NODE_OPTIONS) is therefore started again in a child process with HEAP_SHARE of the memory
// (the cgroup's limit where it is lower) divided among the threads that simulate: V8 gives each
// worker thread the process's --max-old-space-size, whatever its resourceLimits say.
//
// The child runs in a process group of its own, so a Ctrl-C in a terminal reaches it once,
// through this process, which passes SIGINT, SIGTERM and SIGHUP on and exits as the child did.
// Should this process die without passing anything on (SIGKILL), the child sees its IPC channel
// close and stops as on SIGTERM, writing what it has.
import { spawn } from 'node:child_process';
import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** Share of the machine's memory the simulating threads' heaps may take in all. */
export const HEAP_SHARE = 0.5;
/** The smallest heap a thread is given, MiB. */
const MIN_MB = 256;
/** Commands that simulate; the others need no more than V8's default. */
const SIMULATING = new Set(['run', 'compare', 'sweep']);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** Set in the child: it watches its IPC channel (watchParent). */
const CHILD_MARK = 'MCSIM_HEAP_CHILD';

/** The machine's memory in bytes: its physical memory, or the cgroup's limit where lower. */
export function machineMemory() {
  const total = totalmem();
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return limit > 0 && limit < total ? limit : total;
}

/** The threads that simulate for these arguments: `--workers N`, else the core count (the CLI's default). */
export function simulatingThreads(args, cores = availableParallelism()) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = a === '--workers' ? args[i + 1] : a.startsWith('--workers=') ? a.slice(10) : undefined;
    if (value !== undefined && /^\d+$/.test(value) && Number(value) >= 1) return Number(value);
  }
  return Math.max(1, cores);
}

/** The heap limit (MiB) each thread gets: HEAP_SHARE of `memory` over the simulating threads. */
export function fittingHeapMb(args, memory = machineMemory(), cores = availableParallelism()) {
  return Math.max(MIN_MB, Math.floor((HEAP_SHARE * memory) / simulatingThreads(args, cores) / 2 ** 20));
}

/** True when the user chose a heap limit: on the command line of node or in NODE_OPTIONS. */
export function heapChosen(execArgv, nodeOptions) {
  return /--max[-_]old[-_]space[-_]size/.test([...execArgv, nodeOptions ?? ''].join(' '));
}

/** In the child: stop as on SIGTERM when the parent goes away without a word. */
function watchParent() {
  if (process.env[CHILD_MARK] !== '1' || process.channel === undefined) return;
  process.channel.unref();
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/**
 * Runs the CLI again in a child with a fitting heap limit, when this process should; resolves
 * false when this process should run the CLI itself, and never resolves otherwise (it exits as
 * the child did).
 */
export async function relaunch() {
  watchParent();
  const args = process.argv.slice(2);
  if (process.env[CHILD_MARK] === '1' || !SIMULATING.has(args[0] ?? '')) return false;
  if (heapChosen(process.execArgv, process.env.NODE_OPTIONS)) return false;
  const mb = fittingHeapMb(args);
  const current = getHeapStatistics().heap_size_limit / 2 ** 20;
  if (Math.abs(current - mb) <= 0.1 * mb) return false;
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${mb}`, process.argv[1], ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env: { ...process.env, [CHILD_MARK]: '1' },
  });
  const pass = (signal) => child.kill(signal);
  for (const s of SIGNALS) process.on(s, pass);
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  for (const s of SIGNALS) process.removeListener(s, pass);
  if (signal !== null) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}
