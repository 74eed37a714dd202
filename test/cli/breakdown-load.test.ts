import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.ts';
import { mcsim } from './helpers.ts';

/**
 * Under load, queueing is a part of its own. Every KMS is one worker with a constant 5 ms per job
 * and Poisson background jobs of the same length (an M/D/1 queue); a KMS lookup (33.180 D.2.7)
 * queues three times, twice at alice's Home KMS and once at B's, each arrival seeing the queue as
 * it is on average (Poisson arrivals see time averages): its queue.kms part should be three times
 * M/D/1's mean wait, rho S / (2 (1 - rho)), and grow with the load, while its processing.kms part
 * stays three jobs.
 */
const S = 5;
const RATES = [20, 60, 100, 140];
const SCENARIO = `name: kms-under-load
topology:
  defaults:
    access: { latency: 5ms }
    core: { latency: 2ms }
    interconnect: { latency: 12ms }
    processing:
      kms: { default: ${S}ms, workers: 1 }
    background: { kms: ${RATES[0]}/s }
  systems: { A: { hiding: true }, B: { hiding: true }, C: { hiding: true } }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]
population:
  users:
    - { name: alice, primary: C }
    - { name: bob, primary: A, serving: B }
security: { e2ee: true, kmsUriInRedirection: false }
# The call comes after two seconds of background load: the queues are in their steady state.
timeline: [{ at: 2s, privateCall: { from: alice, to: bob } }]
experiment:
  runs: 400
  until: 4s
  sweep:
    topology.defaults.background.kms: { from: ${RATES[0]}/s, to: ${RATES.at(-1)}/s, step: 40/s }
`;

describe('a background-load sweep on the KMS, sweep --breakdown', () => {
  const file = join(tempDir('kms-load'), 'kms-load.yaml');
  writeFileSync(file, SCENARIO);
  const r = mcsim('sweep', file, '--breakdown', '--format', 'csv');
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const [head] = rows;
  const col = (name: string): number => (head as string[]).indexOf(name);
  /** The lookup's mean ms in a category at each swept rate, 0 where the category took no time. */
  const part = (category: string): number[] =>
    RATES.map((_, point) => {
      const row = rows.find(
        (c) =>
          c[col('point')] === String(point) &&
          c[col('metric')] === 'kms.lookup' &&
          c[col('part')] === 'category' &&
          c[col('name')] === category,
      );
      return row === undefined ? 0 : Number(row[col('mean_ms')]);
    });

  it('queue.kms grows with the load, strictly, and follows three M/D/1 waits', () => {
    expect(r.code, r.stderr).toBe(0);
    const queue = part('queue.kms');
    queue.slice(1).forEach((q, i) => expect(q).toBeGreaterThan(queue[i] as number));
    RATES.forEach((rate, i) => {
      const rho = (rate * S) / 1000;
      const theory = (3 * rho * S) / (2 * (1 - rho));
      expect(Math.abs((queue[i] as number) / theory - 1)).toBeLessThan(0.15);
    });
  });

  it('processing.kms stays three jobs at every load: the time the load adds is all queueing', () => {
    expect(part('processing.kms')).toEqual(RATES.map(() => 3 * S));
  });
});
