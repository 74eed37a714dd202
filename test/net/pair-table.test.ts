import { describe, expect, it } from 'vitest';
import { PairTable } from '../../src/net/pair-table.ts';

describe('PairTable', () => {
  it('keeps one pair per from, then a table once a second to comes', () => {
    const t = new PairTable<number>();
    expect(t.get('a', 'x')).toBeUndefined();
    t.set('a', 'x', 1);
    expect(t.get('a', 'x')).toBe(1);
    expect(t.get('a', 'y')).toBeUndefined();
    t.set('a', 'x', 2);
    expect(t.get('a', 'x')).toBe(2);
    t.set('a', 'y', 3);
    t.set('a', 'z', 4);
    expect([t.get('a', 'x'), t.get('a', 'y'), t.get('a', 'z')]).toEqual([2, 3, 4]);
    t.set('b', 'x', 5);
    expect([t.get('b', 'x'), t.get('b', 'y'), t.get('c', 'x')]).toEqual([5, undefined, undefined]);
    t.clear();
    expect([t.get('a', 'x'), t.get('b', 'x')]).toEqual([undefined, undefined]);
  });
});
