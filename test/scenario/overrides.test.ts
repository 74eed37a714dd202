import { describe, expect, it } from 'vitest';
import { OverrideError, parseSetArgs, schemaAt, typeOverride } from '../../src/scenario/overrides.ts';
import { parsePath } from '../../src/scenario/paths.ts';

const set = (arg: string): unknown => parseSetArgs([arg])[arg.slice(0, arg.indexOf('='))];
const failure = (arg: string): string => {
  try {
    parseSetArgs([arg]);
  } catch (e) {
    if (e instanceof OverrideError) return e.message;
    throw e;
  }
  throw new Error(`expected ${arg} to fail`);
};

describe('--set typed by the schema', () => {
  it('reads YAML values where the schema wants them', () => {
    expect(set('topology.systems.A.hiding=true')).toBe(true);
    expect(set('experiment.runs=12')).toBe(12);
    expect(set('topology.systems.A.core.latency={uniform: [1ms, 3ms]}')).toEqual({ uniform: ['1ms', '3ms'] });
    expect(set('population.users[0].serving=B')).toBe('B');
  });

  it('keeps the raw text where the schema wants a string that looks like a number', () => {
    expect(set('name=123')).toBe('123');
    expect(set('experiment.seed=42')).toBe(42);
  });

  it('names the --set argument for an unknown key, listing the known ones', () => {
    const m = failure('topology.systems.A.hidng=true');
    expect(m).toMatch(
      /^--set topology\.systems\.A\.hidng=true: unknown key "hidng" in topology\.systems\.A; expected one of hiding, access/,
    );
    expect(failure('topologyy.x=1')).toMatch(/unknown key "topologyy" at the top level/);
  });

  it('names the --set argument for a value of the wrong type', () => {
    expect(failure('topology.systems.A.hiding=maybe')).toBe(
      '--set topology.systems.A.hiding=maybe: expected boolean, found "maybe"',
    );
    expect(failure('topology.systems.A.core.latency=5')).toMatch(/found the bare number 5/);
    expect(failure('topology.systems.A.core.latency=-5ms')).toMatch(/non-negative/);
  });

  it('refuses malformed arguments and paths', () => {
    expect(failure('hiding')).toMatch(/expected path=value/);
    expect(failure('topology..x=1')).toMatch(/expected a path/);
    expect(failure('topology.interconnects.x=1')).toMatch(/is a list: expected an index/);
    expect(failure('topology.systems.A.hiding.x=1')).toMatch(/holds a plain value/);
  });

  it('walks unions and open records', () => {
    expect(schemaAt(parsePath('timeline[0].privateCall.from') ?? []).ok).toBe(true);
    expect(schemaAt(parsePath('experiment.variants[0].set.anything') ?? []).ok).toBe(true);
    expect(() => typeOverride('x', 'timeline[0].privateCall.form', 'alice')).toThrow(/unknown key "form"/);
  });
});
