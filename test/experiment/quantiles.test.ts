import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import type { RunResult } from '../../src/experiment/result.ts';
import { loadScenario } from '../../src/scenario/load.ts';
import { mcsim } from '../cli/helpers.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

/**
 * Every delay is constant except the server's processing of the call request, uniform over
 * [10 ms, 110 ms]: each set-up is a constant plus one uniform draw, so its distribution is a
 * uniform one whose quantiles are known exactly.
 */
const SCENARIO = `name: one-uniform-hop
topology:
  defaults:
    access: { latency: 20ms }
    core: { latency: 2ms }
    processing:
      client: { default: 5ms, workers: 1 }
      server: { default: 3ms, workers: 1, byKind: { PrivateCallRequest: { uniform: [10ms, 110ms] } } }
  systems: { A: {} }
population:
  users: [{ name: alice, primary: A }, { name: bob, primary: A }]
calls: { floorControl: false }
timeline: [{ at: 0ms, privateCall: { from: alice, to: bob } }]
experiment: { runs: 20000, standardKpis: false }
`;

function scenarioFile(): string {
  const file = join(tempDir('quantiles'), 'uniform.yaml');
  writeFileSync(file, SCENARIO);
  return file;
}

describe("a metric's stored distribution (101 quantiles)", () => {
  it('matches the exact quantiles of a uniform hop within 1%', () => {
    const result = runExperiment(loadScenario(scenarioFile()));
    const m = result.variants[0]?.metrics['private_call.setup'];
    expect(m?.n).toBe(20_000);
    const q = m?.quantiles as number[];
    // The constant part: the request over the access link to the server, the server's job on
    // it (the uniform hop), on to bob over his access link, bob's job, and back the same way.
    const lo = q[0] as number;
    const constant = 20 + 20 + 5 + 20 + 3 + 20 + 5;
    expect(lo).toBeGreaterThanOrEqual(constant + 10);
    for (let p = 1; p <= 99; p++) {
      const exact = constant + 10 + 100 * (p / 100);
      expect(Math.abs((q[p] as number) - exact) / exact).toBeLessThan(0.01);
    }
    expect(q[100]).toBeLessThanOrEqual(constant + 110);
    // Nearest-rank percentiles never decrease.
    for (let p = 1; p <= 100; p++) expect(q[p] as number).toBeGreaterThanOrEqual(q[p - 1] as number);
  });

  it('is the same, byte for byte, from shards merged as from one run', () => {
    const file = scenarioFile();
    const whole = mcsim('run', file, '--runs', '600', '--json', '--workers', '1');
    const dir = tempDir('quantile-shards');
    const parts = [0, 1, 2].map((i) => {
      const out = join(dir, `part-${i}.json`);
      expect(mcsim('run', file, '--runs', '600', '--shard', `${i}/3`, '--out', out, '--workers', '1').code).toBe(0);
      return out;
    });
    const merged = mcsim('merge', ...parts);
    expect(merged.code, merged.stderr).toBe(0);
    const quantiles = (text: string): unknown =>
      (JSON.parse(text) as RunResult).variants[0]?.metrics['private_call.setup']?.quantiles;
    expect(quantiles(merged.stdout)).toHaveLength(101);
    expect(quantiles(merged.stdout)).toEqual(quantiles(whole.stdout));
    expect(merged.stdout).toBe(whole.stdout);
  });
});
