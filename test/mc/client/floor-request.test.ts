import { describe, expect, it } from 'vitest';
import { constantDefaults, samplesOf, simulate } from '../harness.ts';

const L = { access: 20, core: 2, inter: 15 };
const P = { client: 7, server: 3 };

const scenario = (timeline: string[]) => `
topology:
${constantDefaults({ access: L.access, core: L.core, inter: L.inter, client: P.client, server: P.server })}
  systems: { A: {} }
population:
  groups: [{ id: fire, home: A }]
  users:
    - { name: alice, primary: A, groups: [fire] }
    - { name: bob, primary: A, groups: [fire] }
timers: { hangTime: 5s }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

describe('group_call.floor_request: a press inside an established group call (24.380 Floor Request -> Floor Granted)', () => {
  it('measures the request to the grant: uplink, server job, downlink, client job', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
        '{ at: 2s, groupCall: { from: bob, group: fire, holdFor: 1s } }',
      ]),
    );
    const [sample, ...rest] = samplesOf(model, 'group_call.floor_request');
    expect(rest).toEqual([]);
    expect(sample).toMatchObject({ outcome: 'success', start: 2_000_000 });
    // FloorRequest over the access link, the server's job, FloorGranted back, bob's job.
    expect((sample?.end ?? 0) - (sample?.start ?? 0)).toBe((L.access + P.server + L.access + P.client) * 1000);
    // The press that set the call up is group call set-up, not a floor request; bob's press joined.
    expect(samplesOf(model, 'group_call.setup').map((s) => s.outcome)).toEqual(['success', 'joined']);
  });

  it('a request while another member talks is denied: outcome rejected, no latency sample', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 1s } }',
        '{ at: 500ms, groupCall: { from: bob, group: fire, holdFor: 1s } }',
      ]),
    );
    expect(samplesOf(model, 'group_call.floor_request').map((s) => s.outcome)).toEqual(['rejected']);
  });
});
