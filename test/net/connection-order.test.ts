import { describe, expect, it } from 'vitest';
import { constant } from '../../src/kernel/distribution.ts';
import { RandomStreams } from '../../src/kernel/random.ts';
import { Simulator } from '../../src/kernel/simulator.ts';
import type { LinkSpec, Transport } from '../../src/net/link.ts';
import { Network, type Message } from '../../src/net/network.ts';

interface Msg extends Message {
  readonly type: 'REQ';
  readonly n: number;
}

// Found by random scenarios (seed 872): a client's TCP connection stalled in a loss burst, its
// messages retransmitted for 25 s; when the burst ended, a release sent then overtook the call
// request still on its way, and the call the request set up later stayed half-open.
const base = (transport: Transport): LinkSpec => ({ name: 'access:A', latency: constant(1_000), transport });
/** The spec a fault puts in its place: a 5 s stall, the same path. */
const stalled = (transport: Transport): LinkSpec => ({
  name: 'fault-0:access:A',
  path: 'access:A',
  latency: constant(5_000_000),
  transport,
});
const detour: LinkSpec = { name: 'access:B', latency: constant(1_000) };

/** Message 0 is sent over `first` at 0, message 1 over `then` at 1 ms; their arrival times. */
function arrivals(first: LinkSpec, then: LinkSpec): number[] {
  const sim = new Simulator();
  let spec = first;
  let epoch = 0;
  const net = new Network<Msg>(sim, new RandomStreams(1, 0), {
    linkSpec: () => spec,
    linkEpoch: () => epoch,
    sizeOf: () => 100,
  });
  const at: number[] = [];
  const processing = { workers: 1, timeFor: () => constant(0) };
  net.addNode('c1', processing, () => {});
  net.addNode('S', processing, (env) => (at[env.msg.n] = sim.now));
  net.send('c1', 'S', { type: 'REQ', n: 0 });
  sim.schedule(
    1_000,
    () => {
      spec = then;
      epoch++;
      net.send('c1', 'S', { type: 'REQ', n: 1 });
    },
    undefined,
  );
  sim.run();
  return at;
}

describe('a connection whose link changes', () => {
  it('keeps TCP order across the end of a fault on its path: nothing overtakes what is still on its way', () => {
    expect(arrivals(stalled('reliable'), base('reliable'))).toEqual([5_000_000, 5_000_000]);
  });

  it('and its bytes queued for the wire: a message sent as the fault starts waits for them', () => {
    // 100 bytes at 800 bit/s hold the wire for 1 s.
    const slow = { ...base('reliable'), bandwidthBps: 800 };
    const faulted = { ...slow, name: 'fault-0:access:A', path: 'access:A', loss: 0.000001 };
    expect(arrivals(slow, faulted)).toEqual([1_001_000, 2_001_000]);
  });

  it('does not order UDP datagrams', () => {
    expect(arrivals(stalled('unreliable'), base('unreliable'))).toEqual([5_000_000, 2_000]);
  });

  it('owes nothing to another path (the user moved): a new connection', () => {
    expect(arrivals(stalled('reliable'), detour)).toEqual([5_000_000, 2_000]);
  });
});
