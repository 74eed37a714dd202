import { describe, expect, it } from 'vitest';
import { constant, uniform } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import { SIP_GIVE_UP, type LinkSpec } from '../../src/net/link.ts';
import { Network, type Envelope, type Message } from '../../src/net/network.ts';

interface Msg extends Message {
  readonly type: 'REQ';
  readonly n: number;
}

function build(spec: LinkSpec, opts: { serviceUs?: number; seed?: number } = {}) {
  const sim = new Simulator();
  const net = new Network<Msg>(sim, new RandomStreams(opts.seed ?? 1, 0), {
    linkSpec: (from, to) => (from === 'A' && to === 'B' ? spec : undefined),
    sizeOf: () => 1_000,
  });
  const processing = { workers: 1, timeFor: () => constant(opts.serviceUs ?? 0) };
  const received: { n: number; at: number; env: Envelope<Msg> }[] = [];
  net.addNode('A', processing, () => {});
  net.addNode('B', processing, (env) => received.push({ n: env.msg.n, at: sim.now, env }));
  return { sim, net, received };
}

const req = (n: number): Msg => ({ type: 'REQ', n });

describe('Network', () => {
  it('delivers after latency + transmission + processing, exactly', () => {
    // 1000 bytes at 1 Mbit/s = 8000us on the wire.
    const { sim, net, received } = build({ latency: constant(20_000), bandwidthBps: 1_000_000 }, { serviceUs: 300 });
    sim.schedule(5_000, () => void net.send('A', 'B', req(1)), undefined);
    sim.run();
    expect(received.map((r) => r.at)).toEqual([5_000 + 8_000 + 20_000 + 300]);
    expect(received[0]?.env).toMatchObject({ from: 'A', to: 'B', size: 1_000, sentAt: 5_000 });
  });

  it('queues a burst behind itself on a bandwidth-limited link', () => {
    const { sim, net, received } = build({ latency: constant(1_000), bandwidthBps: 8_000_000 });
    for (let i = 0; i < 4; i++) net.send('A', 'B', req(i));
    sim.run();
    expect(received.map((r) => r.at)).toEqual([2_000, 3_000, 4_000, 5_000]);
  });

  it('keeps send order on a reliable link with jittery latency', () => {
    const { sim, net, received } = build({ latency: uniform(0, 30_000), loss: 0.1, transport: 'reliable' });
    let n = 0;
    const tick = (): void => {
      net.send('A', 'B', req(n++));
      if (n < 2_000) sim.schedule(500, tick, undefined);
    };
    sim.schedule(0, tick, undefined);
    sim.run();
    expect(received.map((r) => r.n)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    expect(net.counters.retransmissions).toBeGreaterThan(0);
  });

  it('traces every send once, with the arrival time it will have', () => {
    const { sim, net, received } = build({ latency: uniform(1_000, 9_000), transport: 'unreliable' });
    const traced = new Map<number, number>();
    net.onSend((rec) => traced.set(rec.envelope.id, rec.arrive));
    for (let i = 0; i < 50; i++) net.send('A', 'B', req(i));
    sim.run();
    expect(traced.size).toBe(50);
    for (const r of received) expect(r.at).toBe(traced.get(r.env.id));
  });

  it('tells the sender, right after each send, when that message will arrive, or -1 when it is lost', () => {
    const { sim, net } = build({ latency: uniform(1_000, 9_000), loss: 0.8, transport: 'unreliable' });
    const traced: number[] = [];
    const told: number[] = [];
    net.onSend((rec) => traced.push(rec.arrive));
    for (let i = 0; i < 200; i++) {
      net.send('A', 'B', req(i));
      told.push(net.lastArrive);
    }
    sim.run();
    expect(told).toEqual(traced);
    expect(told.some((t) => t < 0)).toBe(true);
    expect(told.some((t) => t > 0)).toBe(true);
  });

  it('keeps messages = delivered + lost + inFlight throughout, and reports losses at give-up time', () => {
    const { sim, net, received } = build({ latency: constant(10_000), loss: 0.6, transport: 'unreliable' });
    const lostAt: [number, number][] = [];
    net.onLost((env) => lostAt.push([env.sentAt, sim.now]));
    let inFlightSeen = 0;
    const check = (): void => {
      const c = net.counters;
      expect(c.messages).toBe(c.delivered + c.lost + net.inFlight);
      expect(c.delivered).toBe(received.length);
      inFlightSeen = Math.max(inFlightSeen, net.inFlight);
    };
    for (let i = 0; i < 400; i++) {
      sim.schedule(
        i * 10_000,
        () => {
          net.send('A', 'B', req(i));
          check();
        },
        undefined,
      );
      sim.schedule(i * 10_000 + 5_000, check, undefined);
    }
    sim.run();
    check();
    const c = net.counters;
    expect(net.inFlight).toBe(0);
    expect(inFlightSeen).toBeGreaterThan(0);
    expect(c.messages).toBe(400);
    expect(c.lost).toBeGreaterThan(0);
    expect(c.delivered + c.lost).toBe(400);
    expect(c.bytes).toBe(400 * 1_000);
    // The chance of losing all 7 attempts is 0.6^7, about 2.8%.
    expect(c.lost / 400).toBeGreaterThan(0.005);
    expect(c.lost / 400).toBeLessThan(0.07);
    expect(lostAt).toHaveLength(c.lost);
    for (const [sent, at] of lostAt) expect(at).toBe(sent + SIP_GIVE_UP);
  });

  it('is reproducible from the seed and differs across seeds', () => {
    const run = (seed: number): number[] => {
      const { sim, net, received } = build(
        { latency: uniform(0, 50_000), loss: 0.3, transport: 'unreliable' },
        { seed },
      );
      for (let i = 0; i < 100; i++) net.send('A', 'B', req(i));
      sim.run();
      return received.map((r) => r.at);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('refuses unconnected pairs, unknown and duplicate nodes', () => {
    const { net } = build({ latency: constant(1) });
    expect(() => net.send('B', 'A', req(0))).toThrow(/no link from B to A/);
    expect(() => net.node('Z')).toThrow(/unknown node Z/);
    expect(() => net.addNode('A', { workers: 1, timeFor: () => constant(0) }, () => {})).toThrow(/duplicate/);
  });
});
