import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.ts';

// The kernel carries its own alea so that seeding is lazy and cheap; results must not move.
describe('RandomStreams alea', () => {
  it('draws exactly what seedrandom.alea draws for the same seed string', () => {
    const cases: [number | string, number, string][] = [
      [1, 0, 'link/alice-serverC/access:alice'],
      [42, 3, 'node/serverA/proc/PrivateCallRequest'],
      ['run-x', 17, 'user/alice/ptt'],
      [0, 0, ''],
      [7, 123_456, 'ü/名前/\u{1F600}'],
    ];
    for (const [seed, replication, name] of cases) {
      const reference = seedrandom.alea(`${seed}|${replication}|${name}`);
      const rng = new RandomStreams(seed, replication).stream(name);
      for (let i = 0; i < 2_000; i++) expect(rng.next()).toBe(reference());
    }
  });
});
