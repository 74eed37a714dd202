/**
 * The `model` benchmark's main case as a child process for compare.ts: the bundled scenario of a
 * private call towards a migrated user, its call repeated LONG_CALLS times in one replication
 * (model-case.ts), with the KMS URI in the redirection and with a KMS lookup in turn, run through
 * runReplication (the path `mcsim run` takes) until WORK calls are made. It speaks interleave.ts's
 * protocol: `ready` once warmed up, then a line on stdin to start, `progress N` in calls, and its
 * report as one line of JSON. It reaches the model through model-entry.ts, so that compare.ts can
 * run it in a checkout of another commit.
 */
import { readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from './interleave.ts';
import { LONG_CALLS, longConfig, variantConfigs } from './model-case.ts';
import { loadModel } from './model-entry.ts';

export const MODEL_CHILD_FLAG = '--model-child';
/** Calls per round: some 20-40 s of work on a 2-core VM. */
const WORK = 400_000;

async function child(scenarioFile: string): Promise<void> {
  const { loadScenario, runReplication } = await loadModel();
  const configs = variantConfigs(loadScenario(scenarioFile), scenarioFile).map((v) => longConfig(v.config));
  for (const c of configs) runReplication(c, 1, 0);
  process.stdout.write('ready\n');
  readSync(0, Buffer.alloc(16));
  const report = { calls: 0, events: 0, replications: 0 };
  for (let r = 0; report.calls < WORK; r++) {
    for (const c of configs) {
      const data = runReplication(c, 1, r);
      report.events += data.counters.events;
      report.calls += LONG_CALLS;
      report.replications++;
      process.stdout.write(`progress ${report.calls}\n`);
    }
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

/** The command of the child, run from the copy of this file at `script` in the tree `cwd`. */
export function modelChild(script: string, scenarioFile: string, cwd?: string): ChildSpec {
  return { label: 'model child', cwd, args: ['--import', 'tsx', script, MODEL_CHILD_FLAG, scenarioFile] };
}

if (process.argv[2] === MODEL_CHILD_FLAG && process.argv[1] === fileURLToPath(import.meta.url))
  await child(process.argv[3] as string);
