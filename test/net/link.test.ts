import { describe, expect, it } from 'vitest';
import { constant, uniform } from '../../src/kernel/distribution.ts';
import { RandomStreams, type AleaState } from '../../src/kernel/random.ts';
import { Links, SIP_GIVE_UP, SIP_T1, TCP_MIN_RTO, type LinkSpec } from '../../src/net/link.ts';
import { StateTable } from '../../src/net/state-table.ts';

/** A link in a table of its own. */
interface TestLink {
  links: Links;
  at: number;
}

/** A state table whose streams give the scripted values: a value below `loss` loses that attempt. */
class ScriptedTable extends StateTable {
  private i = 0;
  constructor(private readonly values: number[]) {
    super();
  }
  override next(): number {
    if (this.i >= this.values.length) throw new Error('link drew more random numbers than scripted');
    return this.values[this.i++] as number;
  }
}

const ANY_STATE: AleaState = { c: 1, s0: 0, s1: 0, s2: 0 };

/** A link of `spec` drawing the scripted values, or from a stream started from `state`. */
function makeLink(spec: LinkSpec, random: number[] | AleaState): TestLink {
  const table = Array.isArray(random) ? new ScriptedTable(random) : new StateTable();
  const links = new Links(table);
  const at = table.linkSlot();
  links.open(at, spec, Array.isArray(random) ? ANY_STATE : random);
  return { links, at };
}

const scripted = (values: number[]): number[] => values;

/** What one transmission decided: the arrival time (-1: lost) and the retransmissions it took. */
function deliver(l: TestLink, now: number, size: number): { arrive: number; retransmissions: number } {
  const arrive = l.links.transmit(l.at, now, size);
  return { arrive, retransmissions: l.links.retransmissions(l.at) };
}

const LOST = 0.1;
const KEPT = 0.9;

describe('Link delay', () => {
  it('is latency + size*8/bandwidth exactly under constant latency', () => {
    // 1200 bytes at 1 Mbit/s is 9600us on the wire.
    const link = makeLink({ latency: constant(20_000), bandwidthBps: 1_000_000 }, scripted([]));
    expect(deliver(link, 0, 1_200)).toEqual({ arrive: 9_600 + 20_000, retransmissions: 0 });
    expect(deliver(link, 1_000_000, 125)).toEqual({ arrive: 1_000_000 + 1_000 + 20_000, retransmissions: 0 });
  });

  it('without bandwidth is latency alone, whatever the size', () => {
    const link = makeLink({ latency: constant(3_000) }, scripted([]));
    expect(deliver(link, 500, 1e9).arrive).toBe(3_500);
  });

  it('queues back-to-back messages behind each other on a bandwidth-limited link', () => {
    const link = makeLink({ latency: constant(5_000), bandwidthBps: 8_000_000 }, scripted([]));
    // 1000 bytes at 8 Mbit/s = 1000us each; three sent at t=0 leave the wire at 1000, 2000, 3000.
    const arrivals = [0, 0, 0].map((t) => deliver(link, t, 1_000).arrive);
    expect(arrivals).toEqual([6_000, 7_000, 8_000]);
    // Once the wire is idle again a message waits for nobody.
    expect(deliver(link, 10_000, 1_000).arrive).toBe(16_000);
    // A message sent while the wire is still busy starts when it frees.
    deliver(link, 20_000, 4_000); // busy 20000-24000
    expect(deliver(link, 21_000, 1_000).arrive).toBe(25_000 + 5_000);
  });

  it('keeps its times exact past 2^31 us (runs longer than 35.8 min), to 2^52 us', () => {
    // A wire busy and an order kept far into a long run, to the microsecond.
    for (const base of [2 ** 30 - 500, 3_000_000_007, 2 ** 52 + 3]) {
      const link = makeLink({ latency: constant(5_000), bandwidthBps: 8_000_000 }, scripted([]));
      expect([0, 0, 0].map(() => deliver(link, base, 1_000).arrive)).toEqual([
        base + 6_000,
        base + 7_000,
        base + 8_000,
      ]);
      const tcp = makeLink({ latency: uniform(1_000, 9_000) }, scripted([0.9, 0.1]));
      const first = deliver(tcp, base, 100).arrive;
      expect(first).toBe(base + 8_200);
      // Drawn 1,800 us: it would overtake the first, so it arrives with it (TCP keeps order).
      expect(deliver(tcp, base + 1, 100).arrive).toBe(first);
    }
  });

  it('never reorders on a reliable link, even with jittery latency', () => {
    const spec: LinkSpec = { latency: uniform(0, 50_000), transport: 'reliable' };
    const link = makeLink(spec, new RandomStreams(3, 0).state('link/A-B'));
    let last = 0;
    for (let t = 0; t < 2_000_000; t += 1_000) {
      const { arrive } = deliver(link, t, 200);
      expect(arrive).toBeGreaterThanOrEqual(last);
      expect(arrive).toBeGreaterThanOrEqual(t);
      last = arrive;
    }
  });

  it('may reorder on an unreliable link with jittery latency', () => {
    const spec: LinkSpec = { latency: uniform(0, 50_000), transport: 'unreliable' };
    const link = makeLink(spec, new RandomStreams(3, 0).state('link/A-B'));
    const arrivals = Array.from({ length: 200 }, (_, i) => deliver(link, i * 1_000, 200).arrive);
    expect(arrivals.some((a, i) => i > 0 && a < (arrivals[i - 1] as number))).toBe(true);
  });
});

describe('Link loss and retransmission', () => {
  const unreliable: LinkSpec = { latency: constant(10_000), loss: 0.5, transport: 'unreliable' };
  const reliable: LinkSpec = { latency: constant(10_000), loss: 0.5, transport: 'reliable' };

  it('over UDP retransmits after T1, 2*T1, 4*T1... (RFC 3261 timers A/E)', () => {
    expect(SIP_T1).toBe(500_000);
    for (let lost = 0; lost <= 6; lost++) {
      const link = makeLink(unreliable, scripted([...Array<number>(lost).fill(LOST), KEPT]));
      // The k-th retransmission leaves at T1 * (2^k - 1) after the first send.
      expect(deliver(link, 0, 100)).toEqual({ arrive: SIP_T1 * (2 ** lost - 1) + 10_000, retransmissions: lost });
    }
  });

  it('over TCP retransmits after an RTO of 200ms, doubling', () => {
    expect(TCP_MIN_RTO).toBe(200_000);
    for (let lost = 0; lost <= 7; lost++) {
      const link = makeLink(reliable, scripted([...Array<number>(lost).fill(LOST), KEPT]));
      expect(deliver(link, 0, 100)).toEqual({ arrive: TCP_MIN_RTO * (2 ** lost - 1) + 10_000, retransmissions: lost });
    }
  });

  it('gives up after 64*T1: six UDP retransmissions, seven TCP ones, then the message is lost', () => {
    expect(SIP_GIVE_UP).toBe(64 * SIP_T1);
    // UDP: the 7th retransmission would leave at 63.5s > 32s.
    const udp = makeLink(unreliable, scripted(Array<number>(7).fill(LOST)));
    expect(deliver(udp, 0, 100)).toEqual({ arrive: -1, retransmissions: 6 });
    // TCP: the 8th would leave at 51s > 32s.
    const tcp = makeLink(reliable, scripted(Array<number>(8).fill(LOST)));
    expect(deliver(tcp, 0, 100)).toEqual({ arrive: -1, retransmissions: 7 });
  });

  it('a loss on a reliable link holds back the messages sent after it (head-of-line)', () => {
    const link = makeLink(reliable, scripted([LOST, KEPT, KEPT]));
    const first = deliver(link, 0, 100);
    const second = deliver(link, 1_000, 100);
    expect(first.arrive).toBe(TCP_MIN_RTO + 10_000);
    expect(second).toEqual({ arrive: first.arrive, retransmissions: 0 });
  });

  it('loses about the configured fraction of attempts over many messages', () => {
    const link = makeLink(
      { latency: constant(1), loss: 0.2, transport: 'unreliable' },
      new RandomStreams(1, 0).state('l'),
    );
    const n = 50_000;
    let retransmissions = 0;
    for (let i = 0; i < n; i++) retransmissions += deliver(link, i, 10).retransmissions;
    // Attempts per message are geometric: mean retransmissions = p/(1-p) = 0.25, sd sqrt(p)/(1-p).
    const sd = Math.sqrt(0.2) / 0.8;
    expect(Math.abs(retransmissions / n - 0.25)).toBeLessThan((5 * sd) / Math.sqrt(n));
  });

  it('draws what the stream of its name draws', () => {
    const spec: LinkSpec = { latency: uniform(0, 50_000), transport: 'unreliable', loss: 0.1 };
    const own = makeLink(spec, new RandomStreams(3, 0).state4('link/', 'A', '-', 'B'));
    const stream = new RandomStreams(3, 0).stream('link/A-B');
    for (let t = 0; t < 500_000; t += 1_000) {
      // The same rules, drawn from the named stream by hand: loss attempts, then the latency.
      let retransmissions = 0;
      let offset = 0;
      let timer = SIP_T1;
      let lost = false;
      while (!lost && stream.next() < 0.1) {
        if (offset + timer > SIP_GIVE_UP) lost = true;
        else [offset, timer, retransmissions] = [offset + timer, timer * 2, retransmissions + 1];
      }
      const arrive = lost ? -1 : t + offset + Math.round(50_000 * stream.next());
      expect(deliver(own, t, 200)).toEqual({ arrive, retransmissions });
    }
  });
});
