/**
 * A replication worker (pool.ts starts it bundled, see worker-source.ts). It receives chunks of
 * tasks with the scenario of each (point, variant), builds the model config once per key and
 * returns one message per replication, so a run stopped early loses only the replications in
 * flight.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelConfig } from '../mc/config.ts';
import { buildModelConfig } from '../scenario/build.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './pool.ts';
import { runReplication } from './replication.ts';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as a worker thread');

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

port.on('message', (req: WorkerRequest) => {
  for (const t of req.tasks) {
    const key = `${t.g}:${t.v}`;
    const scenario = req.scenarios[key];
    if (scenario === undefined) throw new Error(`no scenario sent for ${key}`);
    const data = runReplication(configFor(key, scenario), init.seed, t.r, {
      maxEvents: init.maxEvents,
      checkInvariants: init.checkInvariants,
      ...(init.until === undefined ? {} : { until: init.until }),
    });
    port.postMessage({ task: t, data } satisfies WorkerReply);
  }
});
