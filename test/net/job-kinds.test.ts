import { describe, expect, it } from 'vitest';
import { constant, exponential } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { kindsOf, KindStateTable } from '../../src/net/job-kinds.ts';
import { Network } from '../../src/net/network.ts';
import { Node, type ProcessingSpec } from '../../src/net/node.ts';

const service = exponential(1_000);

/** Service times of the jobs `kinds` submitted in order to a fresh node at `address`, by kind. */
function serviceTimes(
  address: string,
  kinds: string[],
  spec: ProcessingSpec = { workers: 1, timeFor: () => service },
): Map<string, number[]> {
  const sim = new Simulator();
  return drain(sim, new Node(address, sim, spec, new RandomStreams(3, 1)), kinds);
}

/** Service times of the jobs `kinds` submitted one after the other to `node`, by kind. */
function drain(sim: Simulator, node: Node, kinds: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  // One job at a time: each starts when submitted, and its service time is the gap to completion.
  const next = (i: number): void => {
    const kind = kinds[i];
    if (kind === undefined) return;
    const start = sim.now;
    node.submit(kind, () => {
      out.set(kind, [...(out.get(kind) ?? []), sim.now - start]);
      next(i + 1);
    });
  };
  next(0);
  sim.run();
  return out;
}

describe('job kinds', () => {
  it('draw each kind from its named stream node/<address>/proc/<kind>', () => {
    const times = serviceTimes('serverA', ['REQ', 'ACK', 'REQ', 'REQ', 'ACK']);
    const streams = new RandomStreams(3, 1);
    const expected = (kind: string, n: number): number[] => {
      const rng = streams.stream(`node/serverA/proc/${kind}`);
      return Array.from({ length: n }, () => service.sample(rng));
    };
    expect(times.get('REQ')).toEqual(expected('REQ', 3));
    expect(times.get('ACK')).toEqual(expected('ACK', 2));
  });

  it('keep common random numbers: a kind only one run has does not shift another kind', () => {
    const alone = serviceTimes('client7', ['REQ', 'REQ', 'REQ', 'REQ']);
    const mixed = serviceTimes('client7', ['KMS', 'REQ', 'KMS', 'REQ', 'SAKKE', 'REQ', 'REQ']);
    expect(mixed.get('REQ')).toEqual(alone.get('REQ'));
  });

  it('are numbered once per processing spec, in the order any of its nodes first sees them', () => {
    const spec: ProcessingSpec = { workers: 1, timeFor: () => service };
    serviceTimes('c1', ['B', 'A'], spec);
    serviceTimes('c2', ['C', 'A'], spec);
    const kinds = kindsOf(spec);
    expect(['B', 'A', 'C'].map((k) => kinds.numberOf(k))).toEqual([0, 1, 2]);
    expect(kindsOf({ timeFor: () => service }).numberOf('C')).toBe(0);
  });

  it('keep each node of a shared table on its own streams, through the growth of the table', () => {
    // Rows are added while earlier rows hold drawn states: growing the table must carry them over.
    const spec: ProcessingSpec = { workers: 1, timeFor: () => service };
    const streams = new RandomStreams(3, 1);
    const sim = new Simulator();
    const table = new KindStateTable();
    const got = new Map<Node, number[]>();
    const draw = (node: Node, count: number): void => {
      got.set(node, [
        ...(got.get(node) ?? []),
        ...(drain(sim, node, Array<string>(count).fill('REQ')).get('REQ') ?? []),
      ]);
    };
    for (const name of ['c0', 'c1', 'c2', 'c3', 'c4']) {
      for (const earlier of [...got.keys()]) draw(earlier, 1);
      draw(new Node(name, sim, spec, streams, table), 2);
    }
    for (const [node, times] of got) {
      const rng = new RandomStreams(3, 1).stream(`node/${node.address}/proc/REQ`);
      expect(times).toEqual(Array.from({ length: times.length }, () => service.sample(rng)));
    }
    expect([...got.values()].map((t) => t.length)).toEqual([6, 5, 4, 3, 2]);
  });

  it('keep every stream when a node sees more kinds than a row had room for', () => {
    // Rows start with room for eight kinds; the ninth widens every row, moving the states drawn so far.
    const spec: ProcessingSpec = { workers: 1, timeFor: () => service };
    const sim = new Simulator();
    const table = new KindStateTable();
    const nodes = ['c0', 'c1', 'c2'].map((name) => new Node(name, sim, spec, new RandomStreams(3, 1), table));
    const kinds = Array.from({ length: 20 }, (_, i) => `K${i}`);
    const got = new Map<string, number[]>();
    for (let round = 0; round < 3; round++) {
      for (const [i, node] of nodes.entries()) {
        const some = kinds.slice(0, 6 + 7 * round).filter((_, k) => k % 3 !== i);
        for (const [kind, times] of drain(sim, node, some))
          got.set(`${node.address}/${kind}`, [...(got.get(`${node.address}/${kind}`) ?? []), ...times]);
      }
    }
    // A table whose first draw is for a kind numbered past its rows' room (the spec's kinds are numbered across tables).
    const late = new Node('c9', sim, spec, new RandomStreams(3, 1), new KindStateTable());
    for (const [kind, times] of drain(sim, late, ['K19', 'K2', 'K19'])) got.set(`c9/${kind}`, times);
    expect(got.size).toBeGreaterThan(30);
    for (const [key, times] of got) {
      const rng = new RandomStreams(3, 1).stream(`node/${key.replace('/', '/proc/')}`);
      expect(times, key).toEqual(Array.from({ length: times.length }, () => service.sample(rng)));
    }
  });
});

describe("a node's block of link states", () => {
  it('takes over its first eight kinds when it is made, the streams drawn so far continuing there', () => {
    const sim = new Simulator();
    const net = new Network<{ type: string }>(sim, new RandomStreams(3, 1), {
      linkSpec: () => ({ latency: constant(10) }),
      sizeOf: () => 100,
    });
    const spec: ProcessingSpec = { workers: 1, timeFor: () => service };
    const server = net.addNode('s', spec, () => undefined);
    const client = net.addNode('c1', spec, () => undefined);
    const kinds = Array.from({ length: 10 }, (_, i) => `K${i}`);
    const got = new Map<string, number[]>();
    const draw = (some: string[]): void => {
      for (const [kind, times] of drain(sim, client, some)) got.set(kind, [...(got.get(kind) ?? []), ...times]);
    };
    draw(kinds.slice(0, 3));
    expect(client.linkBlock).toBe(-1);
    // The client's first send makes its block: its first outgoing link's state is kept there.
    net.sendBetween(client, server, { type: 'PING' });
    expect(client.linkBlock).toBeGreaterThanOrEqual(0);
    draw(kinds);
    draw(kinds.slice(0, 5));
    for (const [kind, times] of got) {
      const rng = new RandomStreams(3, 1).stream(`node/c1/proc/${kind}`);
      expect(times, kind).toEqual(Array.from({ length: times.length }, () => service.sample(rng)));
    }
    expect([...got.values()].map((t) => t.length)).toEqual([3, 3, 3, 2, 2, 1, 1, 1, 1, 1]);
  });
});
