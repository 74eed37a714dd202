import { Worker } from 'node:worker_threads';
import type { Scenario } from '../scenario/format/scenario.ts';
import type { Plan, Task } from './plan.ts';
import type { ReplicationData } from './replication.ts';
import { workerSource, type WorkerSource } from './worker-source.ts';

/** What every worker is started with: the plan's constants. */
export interface WorkerInit {
  seed: number | string;
  until: number | undefined;
  maxEvents: number;
  checkInvariants: boolean;
}

/** A chunk of tasks and the scenario of every (point, variant) key `g:v` in it. */
export interface WorkerRequest {
  tasks: Task[];
  scenarios: Record<string, Scenario>;
}

export interface WorkerReply {
  task: Task;
  data: ReplicationData;
}

export type PoolEnd = 'done' | 'interrupted' | 'maxWall';

export interface PoolOptions {
  workers: number;
  onResult: (t: Task, data: ReplicationData) => void;
  /** Aborting ends the run at once: workers are terminated, replications in flight dropped. */
  signal?: AbortSignal | undefined;
  /** Wall-clock milliseconds left for the whole run. */
  wallMs?: number | undefined;
}

/** Tasks in one message at most: where tasks differ in cost (a sweep's points, in order), no chunk is a large share of the run. */
const MAX_CHUNK = 32;

/** The next chunk's size when `left` tasks remain for `workers` workers (guided self-scheduling). */
export const chunkSize = (left: number, workers: number): number =>
  Math.max(1, Math.min(MAX_CHUNK, Math.ceil(left / (workers * 4))));

/**
 * Runs `tasks` on worker threads, handing out chunks of consecutive tasks as workers go idle.
 * A chunk is a quarter of a worker's share of what is left (guided self-scheduling), at most
 * MAX_CHUNK: large while much is left, so messages cost little next to a replication, and
 * down to one task at the end, so the workers finish close together.
 */
export function runPool(plan: Plan, tasks: readonly Task[], opts: PoolOptions): Promise<PoolEnd> {
  const count = Math.max(1, Math.min(opts.workers, tasks.length));
  const init: WorkerInit = {
    seed: plan.spec.seed,
    until: plan.until,
    maxEvents: plan.maxEvents,
    checkInvariants: plan.checkInvariants,
  };
  const workers: Worker[] = [];
  let next = 0;
  let outstanding = 0;
  let settled = false;
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
    const onAbort = (): void => finish('interrupted');
    const feed = (w: Worker & { pending?: number }): void => {
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
    if (opts.signal?.aborted) return finish('interrupted');
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.wallMs !== undefined) timer = setTimeout(() => finish('maxWall'), Math.max(0, opts.wallMs));
    const start = (source: WorkerSource): void => {
      if (settled) return;
      for (let i = 0; i < count; i++) {
        const w: Worker & { pending?: number } =
          source.kind === 'bundle'
            ? new Worker(source.code, { eval: true, workerData: init })
            : new Worker(source.url, { workerData: init });
        workers.push(w);
        w.on('message', (reply: WorkerReply) => {
          if (settled) return;
          outstanding--;
          opts.onResult(reply.task, reply.data);
          if (--(w.pending as number) === 0) feed(w);
          if (outstanding === 0 && next >= tasks.length) finish('done');
        });
        w.on('error', (e) => finish(e instanceof Error ? e : new Error(String(e))));
        w.on('exit', (code) => {
          if (!settled) finish(new Error(`a replication worker exited with code ${code}`));
        });
        feed(w);
      }
    };
    void workerSource().then(start);
  });
}
