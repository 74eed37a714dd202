import { describe, expect, it } from 'vitest';
import { simulate } from '../harness.ts';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const scenario = (timeline: string): string => `
topology:
  systems:
    A:
      access: { latency: 20ms }
      core: { latency: 2ms }
      processing:
        client: { default: 7ms, workers: 1 }
        server: { default: 3ms, workers: 1 }
population:
  users: [${USERS.map((u) => `{ name: ${u}, primary: A }`).join(', ')}]
timeline:
${timeline}`;

const requests = (hops: ReturnType<typeof simulate>['hops']): string[] =>
  hops.filter((h) => h.type === 'PrivateCallRequest').map((h) => `${h.t / 1000}ms ${h.from} -> ${h.to}`);

describe('timeline: timed actions as one chain of events', () => {
  it('runs actions in time order, and same-time actions in the order the file lists them', () => {
    const { hops } = simulate(
      scenario(`
  - { at: 200ms, privateCall: { from: alice, to: bob } }
  - { at: 100ms, privateCall: { from: carol, to: dave } }
  - { at: 300ms, privateCall: { from: erin, to: alice } }
  - { at: 300ms, privateCall: { from: bob, to: carol } }
`),
    );
    expect(requests(hops).filter((r) => !r.includes('serverA ->'))).toEqual([
      '100ms carol -> serverA',
      '200ms alice -> serverA',
      '300ms erin -> serverA',
      '300ms bob -> serverA',
    ]);
  });

  it('runs an action before a model event of the same time scheduled after the run began, as if scheduled at the start', () => {
    // serverA starts on alice's request when it arrives at 20 ms and sends it on at 23 ms, an
    // event scheduled at 20 ms; erin's action at 23 ms enters the queue only when the action
    // at 21 ms runs, yet goes first, in the place it took when the timeline was read.
    const { hops } = simulate(
      scenario(`
  - { at: 0ms, privateCall: { from: alice, to: bob } }
  - { at: 21ms, privateCall: { from: carol, to: dave } }
  - { at: 23ms, privateCall: { from: erin, to: alice } }
`),
    );
    expect(requests(hops).slice(0, 4)).toEqual([
      '0ms alice -> serverA',
      '21ms carol -> serverA',
      '23ms erin -> serverA',
      '23ms serverA -> bob',
    ]);
  });

  it('keeps one entry in the event queue for a timeline of any length', () => {
    const calls = Array.from(
      { length: 400 },
      (_, i) =>
        `  - { at: ${i}s, privateCall: { from: ${USERS[i % 5]}, to: ${USERS[(i + 1) % 5]}, hangUpAfter: 500ms } }`,
    );
    const pending: number[] = [];
    const { model } = simulate(
      scenario(calls.slice(0, 1).join('\n')),
      {},
      1,
      0,
      (m) => void pending.push(m.sim.pending),
    );
    const long = simulate(scenario(calls.join('\n')), {}, 1, 0, (m) => void pending.push(m.sim.pending));
    expect(pending[1]).toBe(pending[0]);
    expect(model.sim.eventsRun).toBeLessThan(long.model.sim.eventsRun / 100);
    expect(
      long.model.recorder.samples.filter((s) => s.metric === 'private_call.setup' && s.outcome === 'success'),
    ).toHaveLength(400);
  });
});
