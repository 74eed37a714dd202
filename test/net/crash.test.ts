import { describe, expect, it } from 'vitest';
import { constant } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { Network, type Message } from '../../src/net/network.ts';

interface Msg extends Message {
  readonly type: 'REQ';
  readonly n: number;
}

/** A -> B over 1 ms; B has one worker taking 1 ms a job. */
function build() {
  const sim = new Simulator();
  const net = new Network<Msg>(sim, new RandomStreams(1, 0), {
    linkSpec: (from, to) => (from === 'A' && to === 'B' ? { latency: constant(1_000) } : undefined),
    sizeOf: () => 100,
  });
  const processing = { workers: 1, timeFor: () => constant(1_000) };
  const received: number[] = [];
  const refused: [n: number, at: number][] = [];
  const lost: number[] = [];
  // A hears of what it sent that B refused, as its transport would.
  net.addNode('A', processing, { receive: () => {}, transportError: (env) => refused.push([env.msg.n, sim.now]) });
  net.addNode('B', processing, (env) => received.push(env.msg.n));
  net.onLost((env) => lost.push(env.msg.n));
  const at = (t: number, f: () => void): void => void sim.schedule(t, f, undefined);
  return { sim, net, received, refused, lost, at };
}

describe('a crashed node', () => {
  it('refuses what arrives while it is down, as lost', () => {
    const { sim, net, received, refused, lost, at } = build();
    at(0, () => net.setDown('B', true));
    at(0, () => void net.send('A', 'B', { type: 'REQ', n: 0 }));
    sim.run();
    expect(received).toEqual([]);
    expect(refused).toEqual([[0, 1_000]]);
    expect(lost).toEqual([0]);
    expect(net.counters).toMatchObject({ messages: 1, delivered: 0, lost: 1 });
  });

  it('refuses what it had received and not yet handled: queued ones at the crash, the one in service when its service would have ended', () => {
    const { sim, net, received, refused, lost, at } = build();
    // All three arrive at 1 ms: #0 in service until 2 ms, #1 and #2 queued; the crash is at 1.5 ms.
    at(0, () => [0, 1, 2].forEach((n) => net.send('A', 'B', { type: 'REQ', n })));
    at(1_500, () => net.setDown('B', true));
    sim.run();
    expect(received).toEqual([]);
    expect(refused).toEqual([
      [1, 1_500],
      [2, 1_500],
      [0, 2_000],
    ]);
    // They reached the node: delivered, not lost on the way.
    expect(lost).toEqual([]);
    expect(net.counters).toMatchObject({ messages: 3, delivered: 3, lost: 0 });
  });

  it('refuses no job of its own, and handles what arrives after it is back up', () => {
    const { sim, net, received, refused, at } = build();
    let ran = false;
    at(0, () => net.node('B').submit('timer', () => (ran = true)));
    at(500, () => net.setDown('B', true));
    at(3_000, () => net.setDown('B', false));
    at(3_000, () => void net.send('A', 'B', { type: 'REQ', n: 7 }));
    sim.run();
    expect(ran).toBe(false);
    expect(refused).toEqual([]);
    expect(received).toEqual([7]);
    expect(sim.now).toBe(5_000);
  });
});
