import { describe, expect, it } from 'vitest';
import { samplesOf, simulate, type Hop } from '../harness.ts';

// Twenty users of one system calling each other at 2/s for 120 s: some 240 calls.
const USERS = Array.from({ length: 20 }, (_, i) => `{ name: u${i}, primary: A, groups: [fire] }`).join(', ');
const scenario = (load: string) => `
topology:
  defaults:
    access: { latency: 20ms }
    core: { latency: 2ms }
    interconnect: { latency: 15ms }
    processing: { client: { default: 7ms }, server: { default: 3ms } }
  systems: { A: {} }
population:
  groups: [{ id: fire, home: A }]
  users: [${USERS}]
timers: { hangTime: 500ms }
timeline:
  - { at: 0s, ${load} }
`;
const privateLoad = (hold: string): string =>
  scenario(`privateCallLoad: { rate: 2/s, duration: 120s, hangUpAfter: ${hold} }`);

/** Per call set up: from its establishment at the caller to the caller's release, in seconds. */
function holdingTimes(model: ReturnType<typeof simulate>['model'], hops: Hop[]): number[] {
  const released = new Map<string, number>();
  for (const h of hops) {
    const callId = (h.msg as { callId?: string }).callId;
    if (h.type === 'CallEndRequest' && model.clients.has(h.from) && callId !== undefined && !released.has(callId))
      released.set(callId, h.t);
  }
  return samplesOf(model, 'private_call.setup')
    .filter((s) => s.outcome === 'success' && released.has(s.key))
    .map((s) => ((released.get(s.key) as number) - s.end) / 1e6);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('holding times of load generators drawn per call', () => {
  it('privateCallLoad hangUpAfter {exponential: 2s}: mean 2 s and P(hold > mean) = 1/e, within 99.9% bands', () => {
    const { model, hops } = simulate(privateLoad('{ exponential: 2s }'));
    const holds = holdingTimes(model, hops);
    const n = holds.length;
    expect(n).toBeGreaterThan(150);
    expect(Math.abs(mean(holds) - 2)).toBeLessThan(3.29 * (2 / Math.sqrt(n)));
    const p = Math.exp(-1);
    const above = holds.filter((h) => h > 2).length / n;
    expect(Math.abs(above - p)).toBeLessThan(3.29 * Math.sqrt((p * (1 - p)) / n));
  });

  it('a plain duration holds every call exactly that long', () => {
    const { model, hops } = simulate(privateLoad('2s'));
    const holds = holdingTimes(model, hops);
    expect(holds.length).toBeGreaterThan(150);
    expect(new Set(holds)).toEqual(new Set([2]));
  });

  it('the holding time has a stream of its own: the call attempts are the same whatever its distribution', () => {
    const attempts = (hold: string): string[] =>
      simulate(privateLoad(hold))
        .hops.filter((h) => h.type === 'PrivateCallRequest' && h.to === 'serverA' && h.from.startsWith('u'))
        .map((h) => `${h.t} ${h.from} ${(h.msg as { target?: string }).target ?? ''}`);
    const fixed = attempts('2s');
    expect(fixed.length).toBeGreaterThan(200);
    expect(attempts('{ exponential: 2s }')).toEqual(fixed);
  });

  it('groupCallLoad holdFor {uniform: [1s, 3s]}: every talk burst within the bounds, mean 2 s', () => {
    const { model, hops } = simulate(
      scenario('groupCallLoad: { rate: 0.2/s, duration: 120s, holdFor: { uniform: [1s, 3s] } }'),
    );
    const granted = new Map<string, number>();
    const bursts: number[] = [];
    for (const h of hops) {
      // The first grant starts the burst (a press while talking is granted again, the burst goes
      // on); the client takes its 7 ms to handle it.
      if (h.type === 'FloorGranted' && model.clients.has(h.to) && !granted.has(h.to))
        granted.set(h.to, h.arrive + 7_000);
      if (h.type === 'FloorRelease' && granted.has(h.from)) {
        bursts.push((h.t - (granted.get(h.from) as number)) / 1e6);
        granted.delete(h.from);
      }
    }
    expect(bursts.length).toBeGreaterThan(12);
    for (const b of bursts) expect(b >= 1 && b <= 3).toBe(true);
    // Uniform on [1, 3]: sd 2/sqrt(12).
    expect(Math.abs(mean(bursts) - 2)).toBeLessThan(3.29 * (2 / Math.sqrt(12) / Math.sqrt(bursts.length)));
    expect(new Set(bursts).size).toBeGreaterThan(bursts.length / 2);
  });
});
