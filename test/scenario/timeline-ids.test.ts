import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/experiment/experiment.ts';
import { loadScenario, ScenarioError } from '../../src/scenario/load.ts';
import { parseSetArgs } from '../../src/scenario/overrides.ts';

const FAULTS = 'scenarios/faults.yaml';

const problem = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('no error');
};

describe('timeline actions with ids', () => {
  it('a variant drops actions by id: the no-faults variant of faults.yaml has none of its four faults', () => {
    const l = loadScenario(FAULTS);
    const [faults, clean] = l.variants;
    expect(faults?.model.timeline.filter((a) => a.kind === 'fault')).toHaveLength(4);
    expect(clean?.model.timeline.map((a) => a.kind)).toEqual(['privateCallLoad', 'migrate']);
    expect(clean?.params).toEqual({ drop: ['interconnect-down', 'radio-loss', 'kms-hung', 'server-crash'] });
  });

  it('dropping gives the numbers that replacing the faults by actions that do nothing gave', () => {
    const runs = { runs: 3, variants: ['no-faults'] };
    const dropped = runExperiment(loadScenario(FAULTS), runs);
    // The way the file had it before: each fault turned into a release of an idle user at 0 s.
    const release = (user: string) => ({ at: '0s', release: { user } });
    const inert = {
      'experiment.variants[1]': {
        name: 'no-faults',
        set: {
          'timeline[1]': release('a0'),
          'timeline[3]': release('a1'),
          'timeline[4]': release('a2'),
          'timeline[5]': release('a3'),
        },
      },
    };
    const replaced = runExperiment(loadScenario(FAULTS, inert), runs);
    const [a, b] = [dropped.variants[0], replaced.variants[0]];
    expect(a?.metrics).toEqual(b?.metrics);
    expect(a?.outcomes).toEqual(b?.outcomes);
  });

  it('a path reaches an action by its id: timeline[#kms-hung]', () => {
    const l = loadScenario(FAULTS, parseSetArgs(['timeline[#kms-hung].fault.for=40s']));
    const hung = l.variants[0]?.model.timeline.find((a) => a.kind === 'fault' && a.fault.type === 'mute');
    expect(hung?.kind === 'fault' ? hung.duration : 0).toBe(40_000_000);
  });

  it('refuses an unknown id in drop or in a path, and an id used twice', () => {
    expect(problem(() => loadScenario(FAULTS, { 'experiment.variants[1].drop': ['kms-hang'] }))).toMatch(
      /experiment\.variants\[1\]\.drop\[0\]: no timeline action has id "kms-hang"; the ids are interconnect-down, radio-loss, kms-hung, server-crash/,
    );
    expect(problem(() => loadScenario(FAULTS, parseSetArgs(['timeline[#nope].at=1s'])))).toMatch(
      /timeline\[#nope\] does not exist: no item of timeline has id "nope"/,
    );
    expect(problem(() => loadScenario(FAULTS, parseSetArgs(['timeline[2].id=kms-hung'])))).toMatch(
      /timeline\[4\]\.id: id "kms-hung" is already the id of timeline\[2\]/,
    );
  });
});
