import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { uniform } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { StateTable } from '../../src/net/state-table.ts';

describe('StateTable streams', () => {
  it('draw exactly what seedrandom.alea draws from the same state, stream by stream, through growth', () => {
    const streams = new RandomStreams(9, 4);
    const names = Array.from({ length: 50 }, (_, i) => `node/n${i}/proc/Request`);
    const table = new StateTable(8);
    const at = names.map((name) => {
      const slot = table.streamSlot();
      expect(table.isSeeded(slot)).toBe(false);
      table.seed(slot, streams.state(name));
      return slot;
    });
    const reference = names.map((name) => seedrandom.alea('', { state: streams.state(name) }));
    // Interleaved draws: each stream keeps its own place, and later slots grow the table.
    for (let round = 0; round < 200; round++) {
      names.forEach((_, i) => {
        table.load(at[i] as number);
        expect(table.next()).toBe(reference[i]?.());
        table.store(at[i] as number);
      });
      if (round === 100) table.nodeBlock();
    }
  });

  it('draws a distribution from a stream and keeps its place', () => {
    const table = new StateTable();
    const slot = table.streamSlot();
    const state = new RandomStreams(1, 0).state('x');
    table.seed(slot, state);
    const reference = seedrandom.alea('', { state });
    const dist = uniform(0, 1_000_000);
    for (let i = 0; i < 100; i++) expect(table.draw(slot, dist)).toBe(Math.round(1_000_000 * reference()));
  });

  it('keeps float64 times exact, whatever the neighbouring int32 fields hold', () => {
    const table = new StateTable();
    const a = table.linkSlot();
    const b = table.linkSlot();
    for (const t of [0, 2 ** 31 + 5, 2 ** 52 + 3]) {
      table.openLink(a, 0, -1);
      table.setBusyUntil(a, t);
      table.setLastArrival(a, t + 1);
      table.setRetransmissions(a, 7);
      table.setLastArrival(b, t + 2);
      expect([table.busyUntil(a), table.lastArrival(a), table.lastArrival(b)]).toEqual([t, t + 1, t + 2]);
    }
  });
});
