import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../src/kernel/index.ts';
import { McModel } from '../../../src/mc/world/model.ts';
import { buildModelConfig } from '../../../src/scenario/build.ts';
import { parseText, validate } from '../../../src/scenario/load.ts';
import { constantDefaults, samplesOf, simulate, type Hop } from '../harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3 };
const ms = 1000;
const CYCLE = 1280 * ms;
const SETUP = 50 * ms;
const INACTIVITY = 10_000 * ms;

/** alice calls bob in system A; `radio` is the rrc block of the defaults, alice's and bob's own lines as given. */
const scenario = (radio: string, alice: string, bob: string, timeline: string[]) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server })}
    rrc: ${radio}
  systems: { A: {} }
population:
  users:
    - { name: alice, primary: A${alice} }
    - { name: bob, primary: A${bob} }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;
const RADIO = `{ inactivity: ${INACTIVITY / ms}ms, pagingCycle: ${CYCLE / ms}ms, setup: ${SETUP / ms}ms }`;
/** A wired console: its own access link, so no radio state. */
const WIRED = `, access: { latency: ${L.access}ms }`;

/**
 * Set-up with a connected callee, summed along the path: the request up and down, bob's job, the
 * accept up and down, then alice's jobs for the response and for Floor Granted, which arrive
 * together at her one worker.
 */
const CONNECTED = (L.access + P.server + L.access + P.client + L.access + P.server + L.access + 2 * P.client) * ms;

/** The wait from `t` to bob's next paging occasion, from his own stream as the model draws it. */
function pagingWait(t: number, seed = 1, replication = 0): number {
  const occasion = Math.floor(new RandomStreams(seed, replication).create('user/bob/paging').next() * CYCLE);
  return (((occasion - t) % CYCLE) + CYCLE) % CYCLE;
}

const setups = (model: McModel) => samplesOf(model, 'private_call.setup').map((s) => s.end - s.start);

describe('radio state of the access (rrc): paging and connection set-up', () => {
  it('without rrc the set-up is the connected sum', () => {
    const { model } = simulate(scenario('false', WIRED, '', ['{ at: 0ms, privateCall: { from: alice, to: bob } }']));
    expect(setups(model)).toEqual([CONNECTED]);
  });

  it('an idle callee: set-up = connected set-up + wait to its next paging occasion + connection set-up', () => {
    const { model, hops } = simulate(
      scenario(RADIO, WIRED, '', ['{ at: 0ms, privateCall: { from: alice, to: bob } }']),
    );
    // The request reaches serverA and is handled there at access + server job; it then waits for bob.
    const held = (L.access + P.server) * ms;
    const wait = pagingWait(held);
    expect(setups(model)).toEqual([CONNECTED + wait + SETUP]);
    // The trace shows the request leaving the network side once bob is connected.
    const delivery = hops.find((h) => h.type === 'PrivateCallRequest' && h.to === 'bob') as Hop;
    expect(delivery.t).toBe(held + wait + SETUP);
    expect(samplesOf(model, 'rrc.paging').map((s) => s.end - s.start)).toEqual([wait + SETUP]);
  });

  it('an idle caller sets a connection up before its first uplink message', () => {
    const { model, hops } = simulate(
      scenario(RADIO, '', WIRED, ['{ at: 0ms, privateCall: { from: alice, to: bob } }']),
    );
    expect(setups(model)).toEqual([CONNECTED + SETUP]);
    expect(hops.find((h) => h.type === 'PrivateCallRequest')?.t).toBe(SETUP);
    expect(samplesOf(model, 'rrc.setup').map((s) => s.end - s.start)).toEqual([SETUP]);
  });

  it('a callee still connected from an earlier call pays nothing; after the inactivity timer it is idle again', () => {
    const timeline = [
      '{ at: 0ms, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }',
      '{ at: 3s, privateCall: { from: alice, to: bob, hangUpAfter: 1s } }',
      '{ at: 30s, privateCall: { from: alice, to: bob } }',
    ];
    const { model, hops } = simulate(scenario(RADIO, WIRED, '', timeline));
    const held = (L.access + P.server) * ms;
    // bob's last radio message before 30 s: his answer to the second call's release, well over 10 s before.
    const lastBefore30 = Math.max(...hops.filter((h) => h.from === 'bob' && h.t < 30_000_000).map((h) => h.t));
    expect(30_000_000 - lastBefore30).toBeGreaterThan(INACTIVITY);
    expect(setups(model)).toEqual([
      CONNECTED + pagingWait(held) + SETUP,
      CONNECTED,
      CONNECTED + pagingWait(30_000_000 + held) + SETUP,
    ]);
    expect(samplesOf(model, 'rrc.paging')).toHaveLength(2);
  });

  it('paging waits are uniform over the cycle: over 10,000 calls the mean wait is cycle/2 within 2%', () => {
    const config = buildModelConfig(
      validate(
        'inline.yaml',
        parseText('inline.yaml', scenario(RADIO, WIRED, '', ['{ at: 0ms, privateCall: { from: alice, to: bob } }'])),
      ),
    );
    let sum = 0;
    const n = 10_000;
    for (let r = 0; r < n; r++) {
      const model = new McModel(config, { seed: 7, replication: r });
      model.run();
      const [paging] = samplesOf(model, 'rrc.paging');
      sum += (paging?.end ?? 0) - (paging?.start ?? 0) - SETUP;
    }
    const mean = sum / n;
    expect(Math.abs(mean - CYCLE / 2) / (CYCLE / 2)).toBeLessThan(0.02);
  });
});
