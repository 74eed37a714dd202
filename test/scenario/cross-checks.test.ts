import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp-dir.ts';

const dir = tempDir('checks');

function validate(name: string, yaml: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const r = spawnSync(process.execPath, ['bin/mcsim.js', 'validate', file], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, file };
}

const base = (systems: string, users: string, extra = '') => `
topology:
  systems: ${systems}
${extra}
population:
  users: ${users}
`;

describe('interconnection mistakes are refused at load (exit 2, file and path named)', () => {
  it('a user whose primary system does not exist', () => {
    const r = validate('no-primary', base('{ A: {} }', '[{ name: bob, primary: Z }]'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${r.file}: population.users[0].primary: expected one of the systems (A), found "Z"`);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a gateway link when hiding is off', () => {
    const links = '  interconnects: [{ between: [A, B] }]\n  links: [{ from: gatewayA, to: serverB, latency: 5ms }]';
    const r = validate(
      'gateway-no-hiding',
      base('{ A: { hiding: false }, B: {} }', '[{ name: bob, primary: A }]', links),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('topology.links[0].from: "gatewayA" does not exist: system A has topology hiding off');
  });

  it('a partner that is not interconnected', () => {
    const r = validate('not-interconnected', base('{ A: {}, B: {} }', '[{ name: bob, primary: A, serving: B }]'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'population.users[0].serving: partner system B is not interconnected with primary system A',
    );
  });

  it('a migration towards a system not interconnected with the primary', () => {
    const yaml = `${base('{ A: {}, B: {} }', '[{ name: bob, primary: A }]')}\ntimeline: [{ at: 1s, migrate: { user: bob, to: B } }]\n`;
    const r = validate('migrate-not-interconnected', yaml);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "timeline[0].migrate.to: partner system B is not interconnected with bob's primary system A",
    );
  });

  it('a group call to an undefined group', () => {
    const yaml = `${base('{ A: {} }', '[{ name: bob, primary: A }]')}\ntimeline: [{ at: 1s, groupCall: { from: bob, group: police } }]\n`;
    const r = validate('unknown-group', yaml);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'timeline[0].groupCall.group: expected a group of population.groups (none defined), found "police"',
    );
  });
});
