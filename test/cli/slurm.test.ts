import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.ts';
import { ROOT } from './helpers.ts';
import { slurmUnavailable, startCluster, type Cluster } from './slurm-cluster.ts';

const unavailable = slurmUnavailable();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A small sweep: three points, six replications of the two variants each, in four shards.
const SWEEP = {
  MCSIM_SCENARIO: 'scenarios/private-call-to-migrated-user.yaml',
  MCSIM_SWEEP: 'experiment.sweep={"topology.defaults.interconnect.latency": [10ms, 40ms, 80ms]}',
  MCSIM_RUNS: '6',
  MCSIM_SEED: '3',
};

describe.skipIf(unavailable !== undefined)(
  `docs/slurm-sweep.sh on a single-node Slurm cluster${unavailable === undefined ? '' : ` (${unavailable}: skipped)`}`,
  () => {
    const dir = tempDir('slurm');
    let cluster: Cluster | undefined;
    let failedToStart = '';
    const jobs: string[] = [];
    beforeAll(async () => {
      try {
        cluster = await startCluster(dir);
      } catch (e) {
        failedToStart = e instanceof Error ? e.message : String(e);
      }
    }, 60_000);
    afterAll(() => cluster?.stop(jobs), 30_000);

    it('runs the sweep as a job array and merges it into the unsharded result, byte for byte', async (ctx) => {
      if (cluster === undefined) return ctx.skip(`Slurm could not be started: ${failedToStart}`);
      const c = cluster;
      const results = join(dir, 'results');
      const unsharded = join(dir, 'unsharded.json');
      const env = { ...process.env, ...c.env, ...SWEEP, MCSIM_RESULTS: results, FORCE_COLOR: '0' };
      const alone = spawnSync(
        process.execPath,
        [
          'bin/mcsim.js',
          'sweep',
          SWEEP.MCSIM_SCENARIO,
          '--set',
          SWEEP.MCSIM_SWEEP,
          '--runs',
          SWEEP.MCSIM_RUNS,
          '--seed',
          SWEEP.MCSIM_SEED,
          '--json',
          '--out',
          unsharded,
        ],
        { cwd: ROOT, env, encoding: 'utf8' },
      );
      expect(alone.status, alone.stderr).toBe(0);

      const submitted = spawnSync('bash', ['docs/slurm-sweep.sh', '--submit', '--array=0-3', '--cpus-per-task=1'], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      });
      expect(submitted.status, submitted.stderr).toBe(0);
      const ids = /^array (\d+) merge (\d+)$/m.exec(submitted.stdout);
      expect(ids, submitted.stdout).not.toBeNull();
      const [array, merge] = [ids?.[1] as string, ids?.[2] as string];
      jobs.push(array, merge);

      // The merge job waits for every array task (afterok); Slurm keeps a finished job's state a while.
      let state = '';
      for (let i = 0; i < 480 && !/^(COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL)$/.test(state); i++) {
        await sleep(500);
        state = /JobState=(\w+)/.exec(c.run('scontrol', 'show', 'job', merge))?.[1] ?? '';
      }
      const logs = readdirSync(results)
        .filter((f) => f.endsWith('.log'))
        .map((f) => `${f}:\n${readFileSync(join(results, f), 'utf8')}`)
        .join('\n');
      expect(state, `${logs}\n${c.logs()}`).toBe('COMPLETED');
      expect(
        readdirSync(results)
          .filter((f) => f.startsWith('part-'))
          .sort(),
      ).toEqual(['part-0.json', 'part-1.json', 'part-2.json', 'part-3.json']);
      expect(readFileSync(join(results, 'result.json'), 'utf8')).toBe(readFileSync(unsharded, 'utf8'));
    }, 300_000);
  },
);
