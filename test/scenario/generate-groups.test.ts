import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/mc/world/load.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { parseText, validate } from '../../src/scenario/load.ts';

const doc = (generateGroups: string, extra = '', declared = 'fire') => `
topology:
  systems: { A: {}, B: {} }
  interconnects: [{ between: [A, B] }]
population:
  generate:
    - { prefix: a, count: 10, primary: A, migrated: { share: 0.2, to: B } }
    - { prefix: b, count: 5, primary: B }
  groups: [{ id: ${declared}, home: A }]
  generateGroups:
${generateGroups}
${extra}
`;

const load = (yaml: string) => buildModelConfig(validate('inline.yaml', parseText('inline.yaml', yaml)));

describe('population.generateGroups: groups made in bulk, members dealt round-robin from generated users', () => {
  it('user j of the listed blocks, in order, joins group j mod count; every group is defined at its home', () => {
    const config = load(doc('    - { prefix: team, count: 4, home: B, membersFrom: [a, b] }'));
    expect(config.groups.map((g) => `${g.id}@${g.home}`)).toEqual([
      'fire@A',
      'team0@B',
      'team1@B',
      'team2@B',
      'team3@B',
    ]);
    const members = groupMembers(config);
    expect(members.get('team0')).toEqual(['a0', 'a4', 'a8', 'b2']);
    expect(members.get('team1')).toEqual(['a1', 'a5', 'a9', 'b3']);
    expect(members.get('team2')).toEqual(['a2', 'a6', 'b0', 'b4']);
    expect(members.get('team3')).toEqual(['a3', 'a7', 'b1']);
    // The migrated share of a block (its first users) spreads over the groups.
    expect(config.users.filter((u) => u.serving !== u.primary).map((u) => [u.name, u.groups])).toEqual([
      ['a0', ['team0']],
      ['a1', ['team1']],
    ]);
  });

  it('adds to the groups a generate block lists, and may be called by a groupCallLoad', () => {
    const yaml = doc(
      '    - { prefix: t, count: 2, home: A, membersFrom: [b] }',
      'timeline:\n  - { at: 0s, groupCallLoad: { rate: 1/s, duration: 1s, groups: [t0, t1], holdFor: 1s } }',
    ).replace('{ prefix: b, count: 5, primary: B }', '{ prefix: b, count: 5, primary: B, groups: [fire] }');
    const config = load(yaml);
    expect(config.users.find((u) => u.name === 'b3')?.groups).toEqual(['fire', 't1']);
  });

  it.each([
    [
      'an unknown block',
      '    - { prefix: team, count: 2, home: A, membersFrom: [a, zz] }',
      '',
      'population.generateGroups[0].membersFrom[1]: expected the prefix of a population.generate block (a, b), found "zz"',
    ],
    [
      'an unknown home',
      '    - { prefix: team, count: 2, home: Q, membersFrom: [a] }',
      '',
      'population.generateGroups[0].home: expected one of the systems (A, B), found "Q"',
    ],
    [
      'a clash with a declared group',
      '    - { prefix: fire, count: 2, home: A, membersFrom: [a] }',
      'fire1',
      'population.generateGroups[0].prefix: generated group "fire1" clashes with another group',
    ],
    [
      'an unknown key',
      '    - { prefix: team, count: 2, home: A, membersFrom: [a], size: 3 }',
      'fire',
      'population.generateGroups[0]: unknown key "size"',
    ],
  ])('refuses %s, naming the path', (_name, generateGroups, declared, message) => {
    expect(() => load(doc(generateGroups, '', declared || 'fire'))).toThrow(message);
  });

  it('refuses a load on a generated group no user is dealt into', () => {
    const yaml = doc(
      '    - { prefix: team, count: 20, home: A, membersFrom: [b] }',
      'timeline:\n  - { at: 0s, groupCallLoad: { rate: 1/s, duration: 1s, groups: [team7], holdFor: 1s } }',
    );
    expect(() => load(yaml)).toThrow('timeline[0].groupCallLoad.groups[0]: group "team7" has no members');
  });
});
