import { describe, expect, it } from 'vitest';
import { constant, exponential } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { Network, type Envelope, type Message } from '../../src/net/network.ts';
import { Node, type ProcessingSpec } from '../../src/net/node.ts';

interface Msg extends Message {
  readonly type: 'REQ';
  readonly n: number;
}

/** A node that is its own recipient, as an actor is (mc/actor.ts). */
class Station extends Node {
  readonly got: [n: number, at: number][] = [];
  constructor(
    address: string,
    private readonly clock: Simulator,
    net: Network<Msg>,
    streams: RandomStreams,
    spec: ProcessingSpec,
  ) {
    super(address, clock, spec, streams, net.kindTable(spec));
    this.recipient = this;
  }

  receive(env: Envelope<Msg>): void {
    this.got.push([env.msg.n, this.clock.now]);
  }
}

/** A -> B over 1 ms; B takes a random service time per job, from its job kind's stream. */
function build(adopt: boolean) {
  const sim = new Simulator();
  const streams = new RandomStreams(7, 0);
  const net = new Network<Msg>(sim, streams, {
    linkSpec: (from, to) => (from === 'A' && to === 'B' ? { latency: constant(1_000) } : undefined),
    sizeOf: () => 100,
  });
  const spec: ProcessingSpec = { workers: 1, timeFor: () => exponential(2_000) };
  net.addNode('A', spec, () => {});
  const got: [number, number][] = [];
  if (adopt) {
    const b = net.adopt(new Station('B', sim, net, streams, spec));
    expect(net.node('B')).toBe(b);
    return { sim, net, got: b.got };
  }
  net.addNode('B', spec, (env) => got.push([env.msg.n, sim.now]));
  return { sim, net, got };
}

function run(adopt: boolean): [number, number][] {
  const { sim, net, got } = build(adopt);
  for (let n = 0; n < 5; n++) sim.schedule(n * 500, () => void net.send('A', 'B', { type: 'REQ', n }), undefined);
  sim.run();
  return got;
}

describe('a node its owner built (Network.adopt)', () => {
  it('receives, queues and draws its service times as a node the network built', () => {
    const adopted = run(true);
    expect(adopted.map(([n]) => n)).toEqual([0, 1, 2, 3, 4]);
    expect(adopted).toEqual(run(false));
  });

  it('shares the kind table of its processing spec with the nodes the network built', () => {
    const { net } = build(true);
    expect(net.node('B').table).toBe(net.node('A').table);
  });

  it('is refused when its address is taken, or when it has no recipient', () => {
    const { sim, net } = build(true);
    const spec: ProcessingSpec = { workers: 1, timeFor: () => constant(1) };
    const streams = new RandomStreams(7, 0);
    expect(() => net.adopt(new Station('A', sim, net, streams, spec))).toThrow('duplicate node address A');
    expect(() => net.adopt(new Node('C', sim, spec, streams))).toThrow('node C has no recipient');
  });
});
