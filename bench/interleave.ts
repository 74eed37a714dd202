/**
 * Runs child processes in turns, one at a time, and measures each one's wall time while it alone
 * ran. `scale` compares sizes whose runs last half a minute each, on a machine whose speed wanders
 * by 20-40% over minutes with other tenants' load: run one after the other, the sizes would meet
 * different machines, and the ratio between them would follow the machine. Run in turns of a
 * second, each size meets the same machine at every stretch of the run.
 *
 * A child writes `ready` once it is set up (untimed: everything before it runs concurrently),
 * then waits for a line on its stdin; while it works it writes `progress N` (any measure of work
 * done that is comparable across the children), and at the end one line of JSON, its report.
 * Each turn goes to the child furthest behind, so all finish at about the same time and every
 * stretch of the machine's speed is shared out among them. The children are stopped and
 * continued with SIGSTOP and SIGCONT (POSIX only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** A turn: long beside the time a child takes to bring its working set back into the caches (a few ms). */
export const TURN_MS = 1000;

export interface ChildSpec {
  readonly args: readonly string[];
  readonly label: string;
  /** Working directory; tsx takes tsconfig.json from here, and `--import tsx` resolves from here. */
  readonly cwd?: string;
}

export interface Finished<R> {
  readonly report: R;
  /** Wall time during the child's turns, from its first turn to its report, in seconds. */
  readonly wallSeconds: number;
  readonly turns: number;
}

interface Running<R> {
  readonly spec: ChildSpec;
  readonly child: ChildProcess;
  progress: number;
  activeMs: number;
  turns: number;
  report?: R;
  reportAt: number;
  stderr: string;
  ready: Promise<void>;
  done: Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops or continues a child. One that has just died is let be: its `done` rejects with what it
 * said, which is the error to report, not the failed signal's.
 */
function signal(child: ChildProcess, sig: 'SIGSTOP' | 'SIGCONT'): void {
  try {
    process.kill(child.pid as number, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function start<R>(spec: ChildSpec): Running<R> {
  // A process group of its own: a group holding a stopped process gets SIGHUP from the kernel
  // when the shell that started it exits (an orphaned group), which would end this process too.
  const child = spawn(process.execPath, [...spec.args], {
    cwd: spec.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let onReady: () => void = () => undefined;
  let onDone: () => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  // Both promises reject when the child dies without its report; each is awaited, so neither goes unhandled.
  const run: Running<R> = {
    spec,
    child,
    progress: 0,
    activeMs: 0,
    turns: 0,
    reportAt: 0,
    stderr: '',
    ready: Promise.race([new Promise<void>((resolve) => (onReady = resolve)), failed]),
    done: Promise.race([new Promise<void>((resolve) => (onDone = resolve)), failed]),
  };
  run.ready.catch(() => undefined);
  run.done.catch(() => undefined);
  let buffered = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line === 'ready') onReady();
      else if (line.startsWith('progress ')) run.progress = Number(line.slice('progress '.length));
      else if (line.startsWith('{')) {
        run.reportAt = performance.now();
        run.report = JSON.parse(line) as R;
        onDone();
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  child.on('close', (code, killedBy) => {
    if (run.report === undefined || code !== 0)
      fail(new Error(`${spec.label} failed (${String(code ?? killedBy)}): ${run.stderr.slice(-2000)}`));
  });
  return run;
}

/** Runs the children in turns (see above); resolves to their reports, in the order given, once all have exited. */
export async function interleave<R>(
  specs: readonly ChildSpec[],
  log: (line: string) => void,
  turnMs = TURN_MS,
): Promise<Finished<R>[]> {
  const runs = specs.map((s) => start<R>(s));
  // Out of the terminal's process group, the children see no Ctrl-C: this process ends them.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (received: NodeJS.Signals): void => {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    process.exit(128 + (received === 'SIGINT' ? 2 : received === 'SIGTERM' ? 15 : 1));
  };
  for (const s of signals) process.once(s, onSignal);
  try {
    await Promise.all(runs.map((r) => r.ready));
    for (const r of runs) {
      signal(r.child, 'SIGSTOP');
      r.child.stdin?.end('go\n');
    }
    log(`  in turns of ${turnMs} ms: ${specs.map((s) => s.label).join(', ')}`);
    for (;;) {
      const waiting = runs.filter((r) => r.report === undefined);
      if (waiting.length === 0) break;
      const next = waiting.reduce((a, b) => (b.progress < a.progress ? b : a));
      const from = performance.now();
      signal(next.child, 'SIGCONT');
      await Promise.race([sleep(turnMs), next.done]);
      if (next.report === undefined) signal(next.child, 'SIGSTOP');
      next.activeMs += (next.report === undefined ? performance.now() : next.reportAt) - from;
      next.turns++;
    }
    // A report read after its writer's turn ended finds the writer stopped, with its exit to come.
    for (const r of runs) if (r.child.exitCode === null) signal(r.child, 'SIGCONT');
    await Promise.all(
      runs.map(
        (r) =>
          new Promise<void>((resolve) =>
            r.child.exitCode !== null ? resolve() : r.child.once('close', () => resolve()),
          ),
      ),
    );
    return runs.map((r) => ({ report: r.report as R, wallSeconds: r.activeMs / 1000, turns: r.turns }));
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
    for (const r of runs) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    }
  }
}
