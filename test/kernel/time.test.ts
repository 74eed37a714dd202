import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/kernel/time.ts';

describe('durations', () => {
  it('parses every unit to integer microseconds', () => {
    expect(parseDuration('250us')).toBe(250);
    expect(parseDuration('20ms')).toBe(20_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('2min')).toBe(120_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('0.0005ms')).toBe(1);
  });

  it('refuses a number without a unit, a negative value and garbage', () => {
    expect(() => parseDuration('20')).toThrow(/unit/);
    expect(() => parseDuration('-5ms')).toThrow();
    expect(() => parseDuration('fast')).toThrow(/"fast"/);
  });

  it('formats back to the shortest exact unit', () => {
    expect(formatDuration(1_500)).toBe('1500us');
    expect(formatDuration(20_000)).toBe('20ms');
    expect(formatDuration(2_000_000)).toBe('2s');
    expect(parseDuration(formatDuration(123_456))).toBe(123_456);
  });
});
