import { describe, expect, it } from 'vitest';
import { uniform } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Link, type LinkSpec } from '../../src/net/link.ts';
import { LinkStates } from '../../src/net/link-states.ts';

const spec: LinkSpec = { latency: uniform(1_000, 90_000), bandwidthBps: 64_000, loss: 0.05, transport: 'unreliable' };

/** Arrivals of `n` sends, one every `every` us, over each link in turn. */
function interleaved(links: Link[], n: number, every: number): number[][] {
  const out: number[][] = links.map(() => []);
  for (let i = 0; i < n; i++) links.forEach((l, k) => (out[k] as number[]).push(l.transmit(i * every, 300 + k)));
  return out;
}

describe('LinkStates', () => {
  it('hands out node blocks of six slots (192 bytes from a multiple of 64) and single slots, growing without losing earlier states', () => {
    const table = new LinkStates();
    const got = Array.from({ length: 40 }, (_, i) => (i % 3 === 2 ? table.single() : table.block()));
    const expected: number[] = [];
    let next = 0;
    for (let i = 0; i < 40; i++) {
      expected.push(next);
      next += i % 3 === 2 ? 1 : LinkStates.NODE_SLOTS;
    }
    expect(got).toEqual(expected);
    expect(LinkStates.NODE_SLOTS * LinkStates.WIDTH * 4).toBe(192);
    expect(table.states.length).toBeGreaterThanOrEqual(next * LinkStates.WIDTH);
    // Every block's job kinds start unseeded (carry -1), also in blocks made after the array grew.
    for (const slot of got.filter((_, i) => i % 3 !== 2)) {
      for (let n = 0; n < LinkStates.KINDS; n++) expect(table.states[LinkStates.kindAt(slot, n) + 3]).toBe(-1);
    }
  });

  it('keeps each link of a shared table apart: links side by side send as links with tables of their own', () => {
    const streams = new RandomStreams(7, 0);
    const names = ['a', 'b', 'c', 'd', 'e'];
    const table = new LinkStates();
    // The first two share a block, as a node's outgoing and incoming links do; the table grows
    // under the later ones.
    const first = table.block();
    const shared = names.map(
      (n, i) => new Link('A', n, spec, streams.lanes4('link/', 'A', '-', n), table, i < 2 ? first + i : table.block()),
    );
    const apart = names.map((n) => new Link('A', n, spec, new RandomStreams(7, 0).lanes4('link/', 'A', '-', n)));
    // Sends faster than the 64 kbit/s wire drains, so the busy times matter too.
    expect(interleaved(shared, 2_000, 20_000)).toEqual(interleaved(apart, 2_000, 20_000));
  });

  it('keeps times past 2^31 us exactly', () => {
    const link = new Link('A', 'B', { latency: uniform(0, 0) }, new RandomStreams(1, 0).lanes4('link/', 'A', '-', 'B'));
    const late = 2 ** 40 + 12_345;
    expect(link.transmit(late, 100)).toBe(late);
    // In order behind the late one (TCP): an earlier send cannot arrive before it.
    expect(link.transmit(late - 5_000, 100)).toBe(late);
  });
});
