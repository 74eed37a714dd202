import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenario/format/scenario.ts';
import type { Plan, Task } from './plan.ts';
import type { ReplicationData } from './replication.ts';
import { CUT_REASONS, type CutReason } from './result.ts';
import { workerSource, type WorkerSource } from './worker-source.ts';

/** What every worker is started with: the plan's constants. */
export interface WorkerInit {
  seed: number | string;
  until: number | undefined;
  maxEvents: number;
  checkInvariants: boolean;
  /** The memory guard's cap on live heap bytes (`--max-memory`); the worker's own default without. */
  maxMemory: number | undefined;
}

/** A chunk of tasks and the scenario of every (point, variant) key `g:v` in it. */
export interface WorkerRequest {
  tasks: Task[];
  scenarios: Record<string, Scenario>;
}

/** Tells a worker to cut the replication it runs and take no other. */
export interface WorkerStop {
  stop: CutReason;
}

/** A replication's data, or (`idle`) that the worker runs nothing and will run nothing more. */
export type WorkerReply = { task: Task; data: ReplicationData } | { idle: true };

export type PoolEnd = 'done' | CutReason;

export interface PoolOptions {
  workers: number;
  onResult: (t: Task, data: ReplicationData) => void;
  /** Aborting (its reason a CutReason) stops the run: the replications running are cut and kept. */
  signal?: AbortSignal | undefined;
  /** Wall-clock milliseconds left for the whole run. */
  wallMs?: number | undefined;
  /** The memory guard's cap on each worker's live heap (`--max-memory`). */
  maxMemory?: number | undefined;
}

/** What an aborted signal stops the run for: its reason when that is a CutReason, else an interruption. */
export const abortReason = (signal: AbortSignal): CutReason =>
  (CUT_REASONS as readonly unknown[]).includes(signal.reason) ? (signal.reason as CutReason) : 'interrupted';

/** Tasks in one message at most: where tasks differ in cost (a sweep's points, in order), no chunk is a large share of the run. */
const MAX_CHUNK = 32;

/**
 * How long a stopped pool waits for its workers to hand in the replications they were cutting.
 * A replication sees the request within a step (tens of ms); a worker still building a large
 * model's configuration may not, and is terminated with it.
 */
const STOP_GRACE_MS = 700;

/** The next chunk's size when `left` tasks remain for `workers` workers (guided self-scheduling). */
export const chunkSize = (left: number, workers: number): number =>
  Math.max(1, Math.min(MAX_CHUNK, Math.ceil(left / (workers * 4))));

/**
 * Runs `tasks` on worker threads, handing out chunks of consecutive tasks as workers go idle.
 * A chunk is a quarter of a worker's share of what is left (guided self-scheduling), at most
 * MAX_CHUNK: large while much is left, so messages cost little next to a replication, and
 * down to one task at the end, so the workers finish close together. A stop (the signal, the
 * wall-clock budget, a worker's memory guard) cuts the replications running, whose data comes
 * back marked; a worker that does not answer within STOP_GRACE_MS is terminated.
 */
export function runPool(plan: Plan, tasks: readonly Task[], opts: PoolOptions): Promise<PoolEnd> {
  const count = Math.max(1, Math.min(opts.workers, tasks.length));
  const init: WorkerInit = {
    seed: plan.spec.seed,
    until: plan.until,
    maxEvents: plan.maxEvents,
    checkInvariants: plan.checkInvariants,
    maxMemory: opts.maxMemory,
  };
  const workers: (Worker & { pending?: number; idle?: boolean })[] = [];
  let next = 0;
  let outstanding = 0;
  let settled = false;
  let stopping: CutReason | undefined;
  let outOfMemory = false;
  let timer: NodeJS.Timeout | undefined;

  return new Promise<PoolEnd>((resolve, reject) => {
    const finish = (end: PoolEnd | Error): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() =>
        end instanceof Error ? reject(end) : resolve(end),
      );
    };
    const stop = (reason: CutReason): void => {
      if (settled || stopping !== undefined) return;
      stopping = reason;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => finish(reason), STOP_GRACE_MS);
      for (const w of workers) w.postMessage({ stop: reason } satisfies WorkerStop);
      if (workers.length === 0) finish(reason);
    };
    const onAbort = (): void => stop(opts.signal === undefined ? 'interrupted' : abortReason(opts.signal));
    const feed = (w: (typeof workers)[number]): void => {
      const slice = tasks.slice(next, next + chunkSize(tasks.length - next, count));
      next += slice.length;
      if (slice.length === 0) return;
      const scenarios: Record<string, Scenario> = {};
      for (const t of slice)
        scenarios[`${t.g}:${t.v}`] ??= (plan.variants[t.g]?.[t.v] as { scenario: Scenario }).scenario;
      w.pending = slice.length;
      outstanding += slice.length;
      w.postMessage({ tasks: slice, scenarios } satisfies WorkerRequest);
    };
    const onReply = (w: (typeof workers)[number], reply: WorkerReply): void => {
      if (settled) return;
      if ('idle' in reply) {
        w.idle = true;
        if (workers.every((x) => x.idle === true)) finish(stopping ?? 'done');
        return;
      }
      outstanding--;
      opts.onResult(reply.task, reply.data);
      if (reply.data.cut === 'memory') return stop('memory');
      if (stopping !== undefined) return;
      if (--(w.pending as number) === 0) feed(w);
      if (outstanding === 0 && next >= tasks.length) finish('done');
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.wallMs !== undefined) timer = setTimeout(() => stop('max-wall'), Math.max(0, opts.wallMs));
    const start = (source: WorkerSource): void => {
      if (settled) return;
      const options = { workerData: init };
      for (let i = 0; i < count; i++) {
        const w: (typeof workers)[number] =
          source.kind === 'bundle'
            ? new Worker(source.code, { eval: true, ...options })
            : new Worker(source.url, options);
        workers.push(w);
        w.on('message', (reply: WorkerReply) => onReply(w, reply));
        w.on('error', (e) => {
          // Out of its heap despite the guard (a burst between two collections): the run ends as the guard would end it.
          if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_OUT_OF_MEMORY')
            return finish(e instanceof Error ? e : new Error(String(e)));
          w.idle = true;
          outOfMemory = true;
          stop('memory');
          if (workers.every((x) => x.idle === true)) finish('memory');
        });
        w.on('exit', (code) => {
          if (!settled && !outOfMemory) finish(new Error(`a replication worker exited with code ${code}`));
        });
        if (stopping !== undefined) w.postMessage({ stop: stopping } satisfies WorkerStop);
        else feed(w);
      }
    };
    void workerSource().then(start);
  });
}
