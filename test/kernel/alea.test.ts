import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.ts';

// Streams are seedrandom's alea generator, started from a state hashed from (seed, replication,
// name) rather than from seedrandom's Mash over a seed string.
const aleaState = (seed: number | string, replication: number, name: string) =>
  new RandomStreams(seed, replication).state(name);
const cases: [number | string, number, string][] = [
  [1, 0, 'link/alice-serverC/access:alice'],
  [42, 3, 'node/serverA/proc/PrivateCallRequest'],
  ['run-x', 17, 'user/alice/ptt'],
  [0, 0, ''],
  [7, 123_456, 'ü/名前/\u{1F600}'],
];

describe('RandomStreams alea', () => {
  it('draws exactly what seedrandom.alea draws from the same state', () => {
    for (const [seed, replication, name] of cases) {
      const reference = seedrandom.alea('', { state: aleaState(seed, replication, name) });
      const rng = new RandomStreams(seed, replication).stream(name);
      for (let i = 0; i < 2_000; i++) expect(rng.next()).toBe(reference());
    }
  });

  it('starts from a state alea could have seeded itself into: fractions on the 2^-32 grid, carry 1', () => {
    for (const [seed, replication, name] of cases) {
      const state = aleaState(seed, replication, name);
      expect(state.c).toBe(1);
      for (const s of [state.s0, state.s1, state.s2]) {
        expect(s >= 0 && s < 1).toBe(true);
        expect(Number.isInteger(s * 2 ** 32)).toBe(true);
      }
    }
  });

  it('gives every name of a replication its own state', () => {
    // Names that differ in one character, or only where the prefix ends, must not collide.
    const names = Array.from({ length: 2_000 }, (_, i) => `node/server${i}/proc/PrivateCallRequest`);
    names.push('1|a', '1a', 'a|1', '');
    const states = new Set(names.map((n) => JSON.stringify(aleaState(1, 0, n))));
    expect(states.size).toBe(names.length);
    expect(aleaState(1, 0, 'x')).not.toEqual(aleaState(1, 1, 'x'));
    expect(aleaState(1, 0, 'x')).not.toEqual(aleaState(2, 0, 'x'));
    expect(aleaState(1, 10, 'x')).not.toEqual(aleaState(11, 0, 'x'));
  });

  it('hashes a name given in parts as the whole name', () => {
    const streams = new RandomStreams(5, 2);
    expect(streams.state4('node/', 'serverA', '/proc/', 'PrivateCallRequest')).toEqual(
      streams.state('node/serverA/proc/PrivateCallRequest'),
    );
  });

  it('draws uniformly: first draws of 20,000 streams pass a chi-square test on 20 bins', () => {
    // Streams are started from hashed states, so the first draw of each must already be uniform.
    const streams = new RandomStreams(1, 0);
    const bins = new Array<number>(20).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) bins[Math.floor(streams.create(`link/user${i}-serverA`).next() * 20)]! += 1;
    const expected = n / 20;
    const chi2 = bins.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9th percentile is 43.82.
    expect(chi2).toBeLessThan(43.82);
  });
});
