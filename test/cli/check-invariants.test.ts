import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario } from '../../src/scenario/load.ts';

describe('--check-invariants', () => {
  it('checks every replication of the faults scenario and reports them sound', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/mcsim.js', 'run', 'scenarios/faults.yaml', '--runs', '2', '--workers', '1', '--check-invariants', '--json'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('invariants hold in all 4 replications');
    expect(JSON.parse(r.stdout).complete).toBe(true);
  });

  it('leaves the numbers unchanged', () => {
    const l = loadScenario('scenarios/migration-during-group-call.yaml');
    const plain = runExperiment(l, { runs: 5 });
    const checked = runExperiment(l, { runs: 5, checkInvariants: true });
    expect(JSON.stringify(checked)).toBe(JSON.stringify(plain));
  });
});
