import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/mc/measure/invariants.ts';
import { McModel } from '../../src/mc/world/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';
import { THREE_SYSTEMS, constantDefaults, samplesOf, simulate } from './harness.ts';

const RATE = 4; // per second
const DURATION = 25; // seconds
const START = 2; // seconds

const scenario = (load: string, extra = '') => `
topology:
${constantDefaults({ access: 20, inter: 15, client: 7, server: 3 })}
${THREE_SYSTEMS}
population:
  groups: [{ id: fire, home: A }, { id: police, home: B }, { id: empty, home: C }]
  users:
    - { name: a1, primary: A, groups: [fire] }
    - { name: a2, primary: A, groups: [fire, police] }
    - { name: b1, primary: B, groups: [police] }
    - { name: b2, primary: B, serving: C, groups: [fire, police] }
    - { name: c1, primary: C, groups: [fire] }
timers: { hangTime: 2s }
${extra}
timeline:
  - { at: ${START}s, groupCallLoad: { ${load} } }
`;

/** Every press of a replication: when, on which group, by whom, with which outcome. */
function presses(doc: string, runs: number) {
  const config = buildModelConfig(validate('inline.yaml', parseText('inline.yaml', doc)));
  return Array.from({ length: runs }, (_, replication) => {
    const model = new McModel(config, { seed: 7, replication });
    const sent: { t: number; group: string; from: string }[] = [];
    model.net.onSend((r) => {
      const m = r.envelope.msg;
      const fromClient = model.clients.has(r.envelope.from);
      if (fromClient && (m.type === 'GroupCallRequest' || m.type === 'FloorRequest'))
        sent.push({ t: r.envelope.sentAt, group: m.groupId, from: r.envelope.from });
    });
    model.run();
    expect(checkInvariants(model)).toEqual([]);
    return { model, sent, samples: samplesOf(model, 'group_call.setup') };
  });
}

describe('groupCallLoad: Poisson PTT presses over groups and their members', () => {
  it(`the number of presses follows Poisson theory: mean rate x duration = ${RATE * DURATION}, variance the same`, () => {
    const runs = presses(scenario(`rate: ${RATE}/s, duration: ${DURATION}s, holdFor: 3s`), 120);
    const counts = runs.map((r) => r.samples.length);
    const n = counts.length;
    const mean = counts.reduce((a, b) => a + b, 0) / n;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const lambda = RATE * DURATION;
    // 99.9% interval of the mean of n Poisson(lambda) counts: lambda +- 3.29 sqrt(lambda / n).
    expect(Math.abs(mean - lambda)).toBeLessThan(3.29 * Math.sqrt(lambda / n));
    // Sample variance of Poisson counts: sd about lambda sqrt(2 / (n - 1)); 99.9% band.
    expect(Math.abs(variance - lambda)).toBeLessThan(3.29 * lambda * Math.sqrt(2 / (n - 1)));
    // Every press is a sample with exactly one outcome, made inside [at, at + duration).
    for (const r of runs) {
      expect(r.samples.length).toBe(r.sent.length);
      for (const s of r.samples) expect(s.start >= START * 1e6 && s.start < (START + DURATION) * 1e6).toBe(true);
      // joined: the group's call was ongoing; aborted: it was released while the floor request was on its way.
      for (const s of r.samples) expect(['success', 'joined', 'aborted']).toContain(s.outcome);
    }
  });

  it("picks groups uniformly among those listed, and initiators among each group's members", () => {
    const runs = presses(scenario(`rate: ${RATE}/s, duration: ${DURATION}s, groups: [fire, police], holdFor: 1s`), 40);
    const all = runs.flatMap((r) => r.sent);
    const byGroup = (g: string) => all.filter((p) => p.group === g);
    const fire = byGroup('sip:fire@a.mcx');
    const police = byGroup('sip:police@b.mcx');
    expect(fire.length + police.length).toBe(all.length);
    // Binomial(N, 1/2): within 3.29 sd of N/2.
    expect(Math.abs(fire.length - all.length / 2)).toBeLessThan(3.29 * Math.sqrt(all.length / 4));
    const members = { fire: ['a1', 'a2', 'b2', 'c1'], police: ['a2', 'b1', 'b2'] };
    for (const [presses_, names] of [
      [fire, members.fire],
      [police, members.police],
    ] as const) {
      const per = names.map((u) => presses_.filter((p) => p.from === u).length);
      expect(per.reduce((a, b) => a + b, 0)).toBe(presses_.length);
      const expected = presses_.length / names.length;
      for (const k of per) expect(Math.abs(k - expected)).toBeLessThan(3.29 * Math.sqrt(expected));
    }
  });

  it('a busy group: presses on its ongoing call join it, and every call ends released', () => {
    const { model } = simulate(scenario('rate: 3/s, duration: 20s, groups: [fire], holdFor: 2s'));
    const samples = samplesOf(model, 'group_call.setup');
    const outcomes = new Map<string, number>();
    for (const s of samples) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
    // Mean gap 333 ms against a 2 s burst and 2 s hang time: most presses find the call ongoing.
    expect(outcomes.get('joined') ?? 0).toBeGreaterThan(outcomes.get('success') ?? 0);
    expect(outcomes.get('success') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].sort()).toEqual(['joined', 'success']);
    for (const s of model.servers.values()) expect([s.groups.homeCalls.size, s.groups.joined.size]).toEqual([0, 0]);
    for (const c of model.clients.values()) expect(c.groups.inCall.size).toBe(0);
  });

  it('draws from its own named stream: the same seed gives the same presses, private call load beside it does not move them', () => {
    const load = 'rate: 2/s, duration: 10s, holdFor: 1s';
    const key = (r: { sent: { t: number; group: string; from: string }[] } | undefined) =>
      (r?.sent ?? []).map((p) => `${p.t}/${p.group}/${p.from}`);
    const alone = presses(scenario(load), 1)[0];
    const again = presses(scenario(load), 1)[0];
    const beside = presses(
      `${scenario(load)}  - { at: 0s, privateCallLoad: { rate: 5/s, duration: 10s, hangUpAfter: 1s } }\n`,
      1,
    )[0];
    expect(key(alone).length).toBeGreaterThan(5);
    expect(key(again)).toEqual(key(alone));
    expect(key(beside)).toEqual(key(alone));
    expect(beside?.model.recorder.samples.some((s) => s.metric === 'private_call.setup')).toBe(true);
  });
});

describe('groupCallLoad scenario checks', () => {
  const bad = (load: string) => () => validate('inline.yaml', parseText('inline.yaml', scenario(load)));
  it('refuses a group that does not exist, or that nobody is a member of', () => {
    expect(bad('rate: 1/s, duration: 1s, groups: [ambulance], holdFor: 1s')).toThrow(
      /timeline\[0\]\.groupCallLoad\.groups\[0\]: expected a group of population\.groups \(fire, police, empty\), found "ambulance"/,
    );
    expect(bad('rate: 1/s, duration: 1s, groups: [empty], holdFor: 1s')).toThrow(
      /timeline\[0\]\.groupCallLoad\.groups\[0\]: group "empty" has no members/,
    );
  });
  it('requires holdFor', () => {
    expect(bad('rate: 1/s, duration: 1s')).toThrow(/holdFor/);
  });
});
