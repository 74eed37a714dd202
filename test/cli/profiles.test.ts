import { describe, expect, it } from 'vitest';
import { mcsim } from './helpers.ts';

interface Result {
  variants: { metrics: Record<string, { mean: number; n: number }> }[];
}

/** `mcsim run --set profile=NAME` on a private call whose delays all come from the profile. */
function run(profile: string): Result {
  const r = mcsim('run', 'test/fixtures/profile-call.yaml', '--runs', '50', '--json', '--set', `profile=${profile}`);
  // Exit 1 is a failed KPI 2, which idle callees on long paging cycles do fail.
  expect([0, 1], r.stderr).toContain(r.code);
  return JSON.parse(r.stdout) as Result;
}

const setup = (r: Result): number => r.variants[0]?.metrics['private_call.setup']?.mean ?? NaN;

describe('mcsim run --set profile=...', () => {
  const results = Object.fromEntries(
    ['generic', 'lte-public-safety', '5g-sa', '5g-urllc', 'satellite-backhaul', 'lab'].map((p) => [p, run(p)]),
  );

  it('lab: four access crossings of 38 ms and no processing, exactly', () => {
    expect(results.lab?.variants[0]?.metrics['private_call.setup']).toMatchObject({ n: 50, mean: 4 * 38 });
  });

  it('the radio profiles page the idle callee and set its connection up; generic and lab do not', () => {
    for (const p of ['lte-public-safety', '5g-sa', '5g-urllc', 'satellite-backhaul'])
      expect(results[p]?.variants[0]?.metrics['rrc.paging']?.n, p).toBe(50);
    for (const p of ['generic', 'lab']) expect(results[p]?.variants[0]?.metrics['rrc.paging'], p).toBeUndefined();
  });

  it('orders the profiles as their sources do: URLLC < 5G SA < LTE < LTE over a satellite', () => {
    const order = ['5g-urllc', '5g-sa', 'lte-public-safety', 'satellite-backhaul'].map((p) =>
      setup(results[p] as Result),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('refuses an unknown profile with the names it knows', () => {
    const r = mcsim('run', 'test/fixtures/profile-call.yaml', '--set', 'profile=6g');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lte-public-safety');
  });
});
