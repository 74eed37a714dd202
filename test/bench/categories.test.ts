import { describe, expect, it } from 'vitest';
import { byCategory, categoryOf } from '../../bench/categories.ts';

describe('profile categories', () => {
  it('puts each function where its cost falls', () => {
    expect(categoryOf('v8::internal::Scavenger::ScavengePage(v8::internal::MemoryChunk*)')).toBe('collector');
    expect(categoryOf('v8::internal::MarkingVisitorBase<v8::internal::ConcurrentMarkingVisitor>::Process')).toBe(
      'collector',
    );
    expect(categoryOf('JS:transmit')).toBe('model');
    expect(categoryOf('Builtins_FindOrderedHashMapEntry')).toBe('maps');
    expect(categoryOf('Builtins_MapPrototypeSet')).toBe('maps');
    expect(categoryOf('Builtins_RecordWriteSaveFP')).toBe('write barrier');
    expect(categoryOf('Builtins_LoadIC_Megamorphic')).toBe('built-ins');
    expect(categoryOf('pvm_irq_enable', true)).toBe('kernel');
    expect(categoryOf('_int_malloc')).toBe('other');
  });

  it('sums by category, every category present', () => {
    const sums = byCategory(
      new Map([
        ['JS:transmit', 6],
        ['JS:deliver', 2],
        ['Builtins_FindOrderedHashMapEntry', 4],
        ['[k] clear_page_erms', 3],
      ]),
      (name) => name.startsWith('[k] '),
    );
    expect(Object.fromEntries(sums)).toEqual({
      model: 8,
      collector: 0,
      maps: 4,
      'write barrier': 0,
      'built-ins': 0,
      kernel: 3,
      other: 0,
    });
  });
});
