import { describe, expect, it } from 'vitest';
import { constant } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import type { LinkSpec } from '../../src/net/link.ts';
import { Network, type Message } from '../../src/net/network.ts';

interface Msg extends Message {
  readonly type: 'REQ';
}
const REQ: Msg = { type: 'REQ' };
const processing = { workers: 1, timeFor: () => constant(0) };

/** A server S, clients c1..c3 and a gateway G, every pair connected by `specFor`; epochs as the test sets them. */
function build(specFor: (from: string, to: string) => LinkSpec | undefined) {
  const sim = new Simulator();
  const clock = { epoch: 0 };
  const net = new Network<Msg>(sim, new RandomStreams(1, 0), {
    linkSpec: specFor,
    linkEpoch: () => clock.epoch,
    sizeOf: () => 100,
  });
  const arrivals: string[] = [];
  for (const a of ['S', 'c1', 'c2', 'c3', 'G'])
    net.addNode(a, processing, (env) => arrivals.push(`${env.from}->${env.to}@${sim.now}`));
  return { sim, net, clock, arrivals };
}

const fixed = (us: number, name = 'l'): LinkSpec => ({ name, latency: constant(us) });

describe('Pairs (pair records kept in the nodes)', () => {
  it('a node keeps its first outgoing pair; a server its later pairs in the receiving clients', () => {
    const spec = fixed(1_000);
    const { net } = build(() => spec);
    const [s, c1, c2, c3] = ['S', 'c1', 'c2', 'c3'].map((a) => net.node(a));
    net.send('c1', 'S', REQ);
    net.send('S', 'c1', REQ);
    net.send('S', 'c2', REQ);
    net.send('S', 'c3', REQ);
    expect(c1?.pairOutTo).toBe('S');
    // S's first pair is its own (to c1); the others are held by the clients they reach.
    expect(s?.pairOutTo).toBe('c1');
    expect(c2?.pairInFrom).toBe(s);
    expect(c3?.pairInFrom).toBe(s);
    expect(c1?.pairIn).toBeUndefined();
  });

  it('a pair with no room in either node still finds its link, sent after sent', () => {
    const { sim, net, arrivals } = build(() => fixed(1_000));
    net.send('c1', 'S', REQ); // kept by c1, its first outgoing pair
    net.send('c2', 'c1', REQ); // kept by c2
    net.send('G', 'c1', REQ); // kept by G
    net.send('c1', 'G', REQ); // c1 keeps c1 -> S: kept by G, its first incoming pair
    net.send('c2', 'G', REQ); // c2 keeps c2 -> c1, G keeps c1 -> G: in the table
    net.send('c2', 'G', REQ);
    sim.run();
    expect([...arrivals].sort()).toEqual([
      'G->c1@1000',
      'c1->G@1000',
      'c1->S@1000',
      'c2->G@1000',
      'c2->G@1000',
      'c2->c1@1000',
    ]);
    expect(net.node('G').pairInFrom).toBe(net.node('c1'));
  });

  it('a send in a new link epoch asks the topology again; within one epoch the kept link serves', () => {
    let latency = 1_000;
    const asked: string[] = [];
    const { sim, net, clock, arrivals } = build((from, to) => {
      asked.push(`${from}->${to}`);
      return fixed(latency, `l${latency}`);
    });
    net.send('c1', 'S', REQ);
    net.send('S', 'c2', REQ);
    net.send('S', 'c1', REQ);
    const firstAsks = asked.length;
    net.send('c1', 'S', REQ);
    net.send('S', 'c1', REQ);
    expect(asked.length).toBe(firstAsks);
    latency = 5_000;
    clock.epoch = 1;
    net.send('c1', 'S', REQ);
    net.send('S', 'c1', REQ);
    expect(asked.slice(firstAsks)).toEqual(['c1->S', 'S->c1']);
    sim.run();
    expect(arrivals.filter((a) => a.endsWith('@5000'))).toEqual(['c1->S@5000', 'S->c1@5000']);
  });

  it('a path taken again finds the link it had, with its stream where it left it', () => {
    const jitter: LinkSpec = {
      name: 'access:A',
      latency: { mean: 1, constant: false, sample: (rng) => Math.round(rng.next() * 1e6) },
    };
    const other: LinkSpec = { name: 'access:B', latency: constant(7) };
    const draws = (switchBack: boolean): number[] => {
      let spec = jitter;
      const { sim, net, clock, arrivals } = build(() => spec);
      const at: number[] = [];
      for (let i = 0; i < 3; i++) net.send('c1', 'S', REQ);
      if (switchBack) {
        spec = other;
        clock.epoch++;
        net.send('c1', 'S', REQ);
        spec = jitter;
        clock.epoch++;
      }
      for (let i = 0; i < 3; i++) net.send('c1', 'S', REQ);
      sim.run();
      for (const a of arrivals) at.push(Number(a.split('@')[1]));
      return at.filter((t) => t !== 7).sort((x, y) => x - y);
    };
    // The detour over access:B draws nothing from access:A's stream: the same six latencies.
    expect(draws(true)).toEqual(draws(false));
  });

  it('sendBetween and send deliver alike', () => {
    const a = build(() => fixed(2_000));
    const b = build(() => fixed(2_000));
    a.net.send('S', 'c2', REQ);
    b.net.sendBetween(b.net.node('S'), b.net.node('c2'), REQ);
    a.sim.run();
    b.sim.run();
    expect(b.arrivals).toEqual(a.arrivals);
  });
});
