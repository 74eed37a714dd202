/**
 * A replication worker (pool.ts starts it bundled, see worker-source.ts). It receives chunks of
 * tasks with the scenario of each (point, variant), builds the model config once per key and
 * returns one message per replication. Replications run in steps with a turn of the event loop
 * between them, so a stop from the main thread and the heap's readings reach a replication of
 * any length: it is cut there and its data so far sent back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../mc/config.ts';
import { buildModelConfig } from '../scenario/build.ts';
import { watchHeap } from './heap.ts';
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerStop } from './pool.ts';
import { runReplicationAsync, type CutReason } from './replication.ts';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');
// As in the main thread (parallel.ts): no guard unless the run asks for one.
const heap = init.maxMemory === undefined ? undefined : watchHeap(init.maxMemory);

/** A few configs only: a sweep sends its points in order, and a 100k-user config is large. */
const CACHE = 4;
const configs = new Map<string, ModelConfig>();

function configFor(key: string, scenario: WorkerRequest['scenarios'][string]): ModelConfig {
  let c = configs.get(key);
  if (c === undefined) {
    if (configs.size >= CACHE) configs.delete(configs.keys().next().value as string);
    c = buildModelConfig(scenario);
    configs.set(key, c);
  }
  return c;
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const queue: WorkerRequest[] = [];
let running = false;
let stopped: CutReason | undefined;
const shouldCut = (): CutReason | undefined => stopped ?? (heap?.exceeded() ? 'memory' : undefined);
const reply = (r: WorkerReply): void => port.postMessage(r);

async function drain(): Promise<void> {
  running = true;
  for (let req = queue.shift(); req !== undefined && stopped === undefined; req = queue.shift()) {
    for (const t of req.tasks) {
      if (stopped !== undefined) break;
      const key = `${t.g}:${t.v}`;
      const scenario = req.scenarios[key];
      if (scenario === undefined) throw new Error(`no scenario sent for ${key}`);
      const data = await runReplicationAsync(
        configFor(key, scenario),
        init.seed,
        t.r,
        {
          maxEvents: init.maxEvents,
          checkInvariants: init.checkInvariants,
          ...(init.until === undefined ? {} : { until: init.until }),
          shouldCut,
        },
        pause,
      );
      reply({ task: t, data });
      // Cut by this thread's memory guard: the next replication would be cut at once.
      if (data.cut === 'memory') stopped ??= 'memory';
    }
  }
  running = false;
  if (stopped !== undefined) reply({ idle: true });
}

port.on('message', (msg: WorkerRequest | WorkerStop) => {
  if ('stop' in msg) {
    stopped ??= msg.stop;
    if (!running) reply({ idle: true });
    return;
  }
  queue.push(msg);
  if (!running) void drain();
});
