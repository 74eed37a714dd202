/**
 * Queueing validation: a Node with c workers and one FIFO queue, fed by Poisson
 * arrivals, must reproduce the textbook mean sojourn time (wait + service).
 *
 * Method: R independent replications per case. Each starts empty, discards the sojourn times
 * of its first `warmup` customers (initial-transient bias), and averages the next `measured`
 * customers; arrivals stop after that, and the run drains so every measured customer
 * completes (under FIFO later arrivals cannot change an earlier customer's sojourn, so
 * stopping arrivals adds no bias). The R replication means are i.i.d., so the t-based ci95
 * of their mean is valid; the test asks that the theory lies inside it and that it is tight
 * (half-width under 3% of the mean), so a biased or sloppy station cannot hide behind a wide
 * interval.
 *
 * Run lengths: the variance of a mean sojourn estimate from n customers is about sigma^2 / n,
 * where the asymptotic sigma^2 grows like 1/(1 - rho)^4 (for M/M/1, in units of 1/mu^2, about
 * 30 at rho 0.5, 2,500 at 0.8 and 45,000 at 0.9, measured in pilot runs). With R = 20 and
 * t(19) = 2.093, the sizes below aim at an expected half-width near 2% of the mean, so the 3%
 * bound holds with margin against the sampling error of the sd itself (about 16% with 19 df).
 * Warm-ups are some 25 relaxation times, 1 / (mu (1 - sqrt(rho))^2): 12, 90 and 380 service
 * times at rho 0.5, 0.8 and 0.9. About 8.5 million customers in all, a few seconds.
 *
 * Times are integer microseconds; a mean service time of 10 ms keeps rounding of the drawn
 * times far below the interval widths.
 */
import { describe, expect, it } from 'vitest';
import { ci95, mean } from '../../src/experiment/stats.ts';
import { constant, exponential, type Distribution } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { Node } from '../../src/net/node.ts';
import { StateTable } from '../../src/net/state-table.ts';

const SERVICE_US = 10_000;
const MU = 1 / SERVICE_US;
const REPLICATIONS = 20;

interface Case {
  name: string;
  workers: number;
  /** Arrival rate per microsecond. */
  lambda: number;
  service: Distribution;
  warmup: number;
  measured: number;
  /** Mean sojourn time in microseconds from queueing theory. */
  theory: number;
}

/** M/M/1: the sojourn time is exponential with rate mu - lambda. */
function mm1(rho: number): number {
  return 1 / (MU - rho * MU);
}

/** M/D/1, Pollaczek-Khinchine: W = 1/mu + lambda E[S^2] / (2 (1 - rho)), with E[S^2] = 1/mu^2. */
function md1(rho: number): number {
  const lambda = rho * MU;
  return SERVICE_US + (lambda * SERVICE_US * SERVICE_US) / (2 * (1 - rho));
}

/** M/M/c, Erlang C: W = C(c, a) / (c mu - lambda) + 1/mu, with a = lambda/mu offered load. */
function mmc(c: number, rho: number): number {
  const a = c * rho;
  let term = 1;
  let below = 0;
  for (let k = 0; k < c; k++) {
    below += term;
    term *= a / (k + 1);
  }
  const top = term / (1 - rho);
  const erlangC = top / (below + top);
  return erlangC / (c * MU - a * MU) + SERVICE_US;
}

const CASES: Case[] = [
  {
    name: 'M/M/1 rho 0.5',
    workers: 1,
    lambda: 0.5 * MU,
    service: exponential(SERVICE_US),
    warmup: 500,
    measured: 10_000,
    theory: mm1(0.5),
  },
  {
    name: 'M/M/1 rho 0.8',
    workers: 1,
    lambda: 0.8 * MU,
    service: exponential(SERVICE_US),
    warmup: 3_000,
    measured: 80_000,
    theory: mm1(0.8),
  },
  {
    name: 'M/M/1 rho 0.9',
    workers: 1,
    lambda: 0.9 * MU,
    service: exponential(SERVICE_US),
    warmup: 10_000,
    measured: 250_000,
    theory: mm1(0.9),
  },
  {
    name: 'M/D/1 rho 0.8',
    workers: 1,
    lambda: 0.8 * MU,
    service: constant(SERVICE_US),
    warmup: 3_000,
    measured: 20_000,
    theory: md1(0.8),
  },
  {
    name: 'M/M/4 rho 0.8',
    workers: 4,
    lambda: 4 * 0.8 * MU,
    service: exponential(SERVICE_US),
    warmup: 1_000,
    measured: 40_000,
    theory: mmc(4, 0.8),
  },
];

/** One replication: the mean sojourn time of the measured customers, in microseconds. */
function replicate(c: Case, replication: number, seed = `queueing-theory/${c.name}`): number {
  const sim = new Simulator();
  const streams = new RandomStreams(seed, replication);
  const node = new Node('station', sim, { workers: c.workers, timeFor: () => c.service }, new StateTable(), streams);
  const interarrival = exponential(1 / c.lambda);
  const arrivals = streams.stream('arrivals');
  const total = c.warmup + c.measured;
  let arrived = 0;
  let sum = 0;
  let done = 0;
  const ignore = (): void => {};
  const arrive = (): void => {
    const at = sim.now;
    const measured = arrived++ >= c.warmup;
    node.submit(
      'job',
      measured
        ? () => {
            sum += sim.now - at;
            done++;
          }
        : ignore,
    );
    if (arrived < total) sim.schedule(interarrival.sample(arrivals), arrive, undefined);
  };
  sim.schedule(interarrival.sample(arrivals), arrive, undefined);
  sim.run();
  expect(done).toBe(c.measured);
  return sum / done;
}

describe('Node under Poisson arrivals matches queueing theory', () => {
  it('checks the theory formulas against known values', () => {
    expect(mm1(0.8)).toBeCloseTo(5 * SERVICE_US, 6);
    expect(md1(0.8)).toBeCloseTo(3 * SERVICE_US, 6);
    // One worker: Erlang C reduces to rho, so M/M/c gives M/M/1 back.
    expect(mmc(1, 0.9)).toBeCloseTo(mm1(0.9), 6);
    // M/M/2 at a = 1: C = 1/3, W = (1/3) / (2 mu - mu) + 1/mu = 4/3 service times.
    expect(mmc(2, 0.5)).toBeCloseTo((4 / 3) * SERVICE_US, 6);
  });

  for (const c of CASES) {
    it(`${c.name}: theory ${(c.theory / 1000).toFixed(2)} ms lies within the ci95, half-width under 3%`, () => {
      const means = Array.from({ length: REPLICATIONS }, (_, r) => replicate(c, r));
      const m = mean(means);
      const [lo, hi] = ci95(means) as [number, number];
      const half = (hi - lo) / 2;
      expect(half / m).toBeLessThan(0.03);
      expect(c.theory).toBeGreaterThanOrEqual(lo);
      expect(c.theory).toBeLessThanOrEqual(hi);
    });
  }

  it('covers the theory about 95% of the time: M/M/1 rho 0.5 under 40 independent seeds', () => {
    // A ci95 misses the truth once in twenty by construction, so each case above passes or
    // fails with its seed; this shows the misses are chance, not bias. With 40 seeds, 7 or
    // more misses has probability 0.0004 for a sound interval (Binomial(40, 0.05)).
    const c = CASES[0] as Case;
    let misses = 0;
    for (let s = 0; s < 40; s++) {
      const means = Array.from({ length: REPLICATIONS }, (_, r) => replicate(c, r, `queueing-coverage/${s}`));
      const [lo, hi] = ci95(means) as [number, number];
      if (c.theory < lo || c.theory > hi) misses++;
    }
    expect(misses).toBeLessThan(7);
  });
});
