import { describe, expect, it } from 'vitest';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { ScenarioError } from '../../src/scenario/errors.ts';
import { validate } from '../../src/scenario/load.ts';

const base = {
  topology: { systems: { A: {} } },
  population: {
    users: [
      { name: 'alice', primary: 'A' },
      { name: 'bob', primary: 'A' },
    ],
  },
};

/** The one-line message validation gives for a document with `extra` merged in. */
const problem = (extra: Record<string, unknown>): string => {
  try {
    validate('s.yaml', { ...base, ...extra });
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error('expected a problem');
};

describe('scenario keys of MCData communications, KMS URI source and redirection memory', () => {
  it('read into the model: defaults, and values given per call', () => {
    const config = buildModelConfig(
      validate('s.yaml', {
        ...base,
        calls: { fileSize: '2.5MB', redirectionMemory: '90s' },
        security: { kmsUriInRedirection: false },
        timeline: [
          { at: '0s', privateCall: { from: 'alice', to: 'bob', service: 'mcdata', mcdata: 'fd-http' } },
          {
            at: '1s',
            privateCall: { from: 'alice', to: 'bob', service: 'mcdata', mcdata: 'fd-media', fileSize: '10kB' },
          },
          { at: '2s', privateCall: { from: 'alice', to: 'bob', service: 'mcdata' } },
          { at: '3s', privateCall: { from: 'alice', to: 'bob', mcdata: 'ipcon' } },
        ],
      }),
    );
    expect(config.calls).toMatchObject({ mcdata: 'sds', fileBytes: 2_500_000, redirectionMemory: 90_000_000 });
    expect(config.security.kmsUri).toBe('lookup');
    expect(config.timeline.map((a) => (a.kind === 'privateCall' ? [a.data, a.fileBytes] : []))).toEqual([
      ['fd-http', 2_500_000],
      ['fd-media', 10_000],
      ['sds', undefined],
      [undefined, undefined], // an MCPTT call: mcdata does not apply
    ]);
    const none = buildModelConfig(validate('s.yaml', { ...base, security: { kmsUri: 'profile' } }));
    expect([none.calls.redirectionMemory, none.security.kmsUri]).toEqual([0, 'profile']);
  });

  it('refuse bad values with the path and what was expected', () => {
    expect(problem({ calls: { fileSize: 5 } })).toBe('s.yaml: calls.fileSize: expected a size such as "2MB", found 5');
    expect(problem({ calls: { fileSize: '5MiB' } })).toBe(
      's.yaml: calls.fileSize: expected a size such as "2MB" (B, kB, MB, GB), found "5MiB"',
    );
    expect(problem({ calls: { redirectionMemory: 'forever' } })).toBe(
      's.yaml: calls.redirectionMemory: expected "none" or a duration with a unit (us, ms, s, min, h), e.g. "20ms"; found "forever"',
    );
    expect(problem({ calls: { redirectionMemory: '-5s' } })).toBe(
      's.yaml: calls.redirectionMemory: expected "none" or a non-negative duration, found "-5s"',
    );
    expect(problem({ calls: { mcdata: 'fax' } })).toMatch(
      /^s\.yaml: calls\.mcdata: .*"sds"\|"sds-session"\|"fd-http"\|"fd-media"\|"ipcon"/,
    );
    expect(problem({ security: { kmsUri: 'dns' } })).toMatch(
      /^s\.yaml: security\.kmsUri: .*"redirection"\|"lookup"\|"profile"/,
    );
  });
});
