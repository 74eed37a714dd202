import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/kernel/random.ts';

const draw = (streams: RandomStreams, name: string, n = 20): number[] => {
  const rng = streams.stream(name);
  return Array.from({ length: n }, () => rng.next());
};

describe('RandomStreams', () => {
  it('gives the same sequence for the same (seed, replication, name)', () => {
    expect(draw(new RandomStreams(42, 3), 'link/A-B')).toEqual(draw(new RandomStreams(42, 3), 'link/A-B'));
    expect(draw(new RandomStreams('run-x', 0), 'user/alice/ptt')).toEqual(
      draw(new RandomStreams('run-x', 0), 'user/alice/ptt'),
    );
  });

  it('returns the same stream object for a name, continuing where it left off', () => {
    const streams = new RandomStreams(1, 0);
    const first = draw(streams, 'x', 5);
    const next = draw(streams, 'x', 5);
    expect(draw(new RandomStreams(1, 0), 'x', 10)).toEqual([...first, ...next]);
  });

  it('differs across names, replications and seeds', () => {
    const base = draw(new RandomStreams(42, 0), 'a');
    expect(draw(new RandomStreams(42, 0), 'b')).not.toEqual(base);
    expect(draw(new RandomStreams(42, 1), 'a')).not.toEqual(base);
    expect(draw(new RandomStreams(43, 0), 'a')).not.toEqual(base);
  });

  it("creating or drawing from another stream does not shift a stream's draws", () => {
    const alone = new RandomStreams(9, 2);
    const expected = draw(alone, 'node/serverA/proc', 30);

    const crowded = new RandomStreams(9, 2);
    const rng = crowded.stream('node/serverA/proc');
    const got: number[] = [];
    for (let i = 0; i < 30; i++) {
      got.push(rng.next());
      draw(crowded, `user/u${i}/ptt`, 3);
    }
    expect(got).toEqual(expected);
  });

  it('draws uniformly in [0, 1)', () => {
    const xs = draw(new RandomStreams(5, 0), 'u', 100_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    // Standard error of the mean of U(0,1) over n draws is sqrt(1/12/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / xs.length));
  });
});
