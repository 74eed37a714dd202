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
    - { name: dave, primary: A }
timers: { hangTime: 2s }
timeline:
${timeline.map((t) => `  - ${t}`).join('\n')}
`;

describe('group_call.late_entry (KPI 4: from the affiliation to the ongoing call reaching the member)', () => {
  it('is measured when the member affiliates while the call is ongoing: affiliation confirmed to Floor Taken', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, groupCall: { from: alice, group: fire, holdFor: 5s } }',
        '{ at: 1s, affiliate: { user: dave, group: fire } }',
      ]),
    );
    // Affiliation: request and response over the access link each way, a server and a client
    // job. The server sends the late-entry invitation with the response: it arrives with it and
    // waits one client job behind it. Then dave's answer, and Floor Taken.
    const affiliation = 2 * L.access + P.server + P.client;
    const invitation = P.client;
    const answer = L.access + P.server;
    const floorTaken = L.access + P.client;
    const [sample] = samplesOf(model, 'group_call.late_entry');
    expect(sample?.start).toBe((1000 + affiliation) * 1000);
    expect(((sample?.end ?? 0) - (sample?.start ?? 0)) / 1000).toBe(invitation + answer + floorTaken);
  });

  it('is not measured when the member affiliates with no call ongoing and a new call starts later', () => {
    const { model } = simulate(
      scenario([
        '{ at: 0ms, affiliate: { user: dave, group: fire } }',
        '{ at: 3s, groupCall: { from: alice, group: fire, holdFor: 1s } }',
      ]),
    );
    expect(samplesOf(model, 'group_call.setup').map((s) => s.outcome)).toEqual(['success']);
    expect(samplesOf(model, 'group_call.late_entry')).toEqual([]);
  });
});
