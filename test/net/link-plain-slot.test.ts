import { describe, expect, it } from 'vitest';
import { uniform } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Link, type LinkSpec } from '../../src/net/link.ts';
import { LinkStates } from '../../src/net/link-states.ts';

const spec: LinkSpec = { latency: uniform(1_000, 90_000), bandwidthBps: 64_000, loss: 0.3, transport: 'unreliable' };
const lanes = (): ReturnType<RandomStreams['lanes4']> => new RandomStreams(11, 0).lanes4('link/', 'A', '-', 'B');

describe('a plain link sent over by its slot', () => {
  it('decides every send as the link itself does: arrivals, losses and retransmissions', () => {
    const byLink = new Link('A', 'B', spec, lanes());
    const table = new LinkStates();
    const bySlot = new Link('A', 'B', spec, lanes(), table);
    const slot = bySlot.plainSlot;
    expect(slot).toBeGreaterThanOrEqual(0);
    const sends = Array.from({ length: 3_000 }, (_, i) => [i * 15_000, 100 + (i % 7) * 50] as const);
    const viaLink = sends.map(([now, size]) => [byLink.transmit(now, size), byLink.retransmissions]);
    const viaSlot = sends.map(([now, size]) => [
      Link.transmitAt(table, slot, spec, now, size),
      Link.lastRetransmissions,
    ]);
    expect(viaSlot).toEqual(viaLink);
    // The case is not trivial: some sends were lost, some retransmitted, some queued on the wire.
    expect(viaLink.some(([a]) => a === -1)).toBe(true);
    expect(viaLink.some(([, r]) => (r as number) > 0)).toBe(true);
  });

  it('is none for a link that draws from a stream given to it, or keeps a loss burst', () => {
    const given = new Link('A', 'B', spec, new Link('A', 'B', spec, lanes()));
    const burst = new Link(
      'A',
      'B',
      { latency: uniform(1_000, 2_000), burst: { p: 0.1, r: 0.5, lossGood: 0, lossBad: 0.5 } },
      lanes(),
    );
    expect([given.plainSlot, burst.plainSlot]).toEqual([-1, -1]);
  });
});
