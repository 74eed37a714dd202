import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario } from '../../src/scenario/load.ts';

/**
 * NIST psc-ns3 (github.com/usnistgov/psc-ns3), src/psc/examples/mcptt-operational-modes-static.cc
 * with its defaults: the on-network team's floor access time (Pending Request -> Has Permission,
 * immediate grants) lies at about 78 ms in the CDF of src/psc/doc/source/figures/
 * mcptt-operational-modes-static-access-cdf.png. Its configuration: LTE at 700 MHz (EARFCN 5330,
 * 50 RBs), 10 ms on each of S1-U, S5 and the PGW-server link, floor queueing off, four UEs per team.
 */
const PSC_ACCESS_MS = 78;

describe('cross-check against psc-ns3 mcptt-operational-modes-static, on-network team', () => {
  const result = runExperiment(loadScenario('examples/psc-ns3-cross-check/operational-modes-static.yaml'), { runs: 2 });
  const variant = result.variants[0];
  const floor = variant?.metrics['group_call.floor_request'];

  it('measures floor requests inside the established call, and judges KPI 1 on them', () => {
    expect(floor?.n).toBeGreaterThan(100);
    expect(variant?.kpis.find((k) => k.id === 'KPI1-floor')?.pass).toBe(true);
  });

  it(`puts the floor access time within 10% of psc-ns3's ${PSC_ACCESS_MS} ms`, () => {
    const mean = floor?.mean ?? NaN;
    expect(Math.abs(mean - PSC_ACCESS_MS) / PSC_ACCESS_MS).toBeLessThan(0.1);
  });
});
