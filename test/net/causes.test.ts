import { describe, expect, it } from 'vitest';
import { constant } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import type { LinkSpec } from '../../src/net/link.ts';
import { Network, type Envelope, type Message } from '../../src/net/network.ts';
import type { Job } from '../../src/net/node.ts';

interface Msg extends Message {
  readonly type: 'PING' | 'PONG';
}

/**
 * A sends PING to B, which answers PONG: every send knows the event that sent it (the job that
 * handled the message before, or nothing for a plain event), every job the message it handles,
 * and each stretch of the exchange is recorded where it happened.
 */
function exchange(spec: LinkSpec, serviceUs: number) {
  const sim = new Simulator();
  const net = new Network<Msg>(sim, new RandomStreams(1, 0), { linkSpec: () => spec, sizeOf: () => 1_000 });
  const processing = { workers: 1, timeFor: () => constant(serviceUs) };
  const got: { env: Envelope<Msg>; cause: unknown }[] = [];
  net.addNode('A', processing, (env) => got.push({ env, cause: sim.cause }));
  net.addNode('B', processing, (env) => {
    got.push({ env, cause: sim.cause });
    net.send('B', 'A', { type: 'PONG' });
  });
  let ping: Envelope<Msg> | undefined;
  sim.schedule(
    1_000,
    () => {
      expect(sim.cause).toBeNull();
      ping = net.send('A', 'B', { type: 'PING' });
    },
    undefined,
  );
  sim.run();
  return { got, ping: ping as Envelope<Msg> };
}

describe('causal links of sends and jobs', () => {
  it('link every message to the job that sent it and every job to the message it handles', () => {
    // 1000 bytes at 8 Mbit/s: 1000 us on the wire.
    const { got, ping } = exchange({ latency: constant(5_000), bandwidthBps: 8_000_000 }, 300);
    expect(ping.cause).toBeNull();
    expect(ping).toMatchObject({ sentAt: 1_000, wire: 1_000, resent: 0 });
    const [atB, atA] = got;
    const jobAtB = atB?.cause as Job;
    expect(jobAtB.cause).toBe(ping);
    expect(jobAtB).toMatchObject({ kind: 'PING', enqueuedAt: 7_000, waited: 0 });
    const pong = atA?.env as Envelope<Msg>;
    expect(pong.cause).toBe(jobAtB);
    expect(pong.sentAt).toBe(7_300);
    expect((atA?.cause as Job).cause).toBe(pong);
  });

  it('record the timeouts of lost attempts apart from the wire and the latency', () => {
    // SIP over UDP: a lost attempt is sent again after T1 = 500 ms, doubling (RFC 3261 timer A).
    const spec: LinkSpec = { latency: constant(5_000), loss: 0.5, transport: 'unreliable' };
    const sim = new Simulator();
    const net = new Network<Msg>(sim, new RandomStreams(1, 0), { linkSpec: () => spec, sizeOf: () => 100 });
    const processing = { workers: 1, timeFor: () => constant(0) };
    net.addNode('A', processing, () => {});
    net.addNode('B', processing, () => {});
    const seen: { resent: number; retransmissions: number; transit: number }[] = [];
    net.onSend((rec) => {
      const e = rec.envelope;
      expect(e.spec).toBe(spec);
      if (rec.arrive >= 0)
        seen.push({ resent: e.resent, retransmissions: rec.retransmissions, transit: rec.arrive - e.sentAt });
    });
    for (let i = 0; i < 200; i++) net.send('A', 'B', { type: 'PING' });
    expect(seen.filter((s) => s.retransmissions > 1).length).toBeGreaterThan(10);
    for (const s of seen) {
      expect(s.resent).toBe((2 ** s.retransmissions - 1) * 500_000);
      expect(s.transit).toBe(s.resent + 5_000);
    }
  });
});
