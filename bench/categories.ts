/**
 * Where a profiled function's cost falls, for the profiling tools (page-walks.ts, perf-gap.ts):
 * the collector, the model's own code, hash-table look-ups, the write barrier, V8's other
 * built-ins, the kernel, the rest. Names are as callgrind, perf and V8's perf map give them.
 */
export const CATEGORIES = ['model', 'collector', 'maps', 'write barrier', 'built-ins', 'kernel', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export function categoryOf(name: string, kernel = false): Category {
  if (kernel) return 'kernel';
  if (/Scaveng|Mark|Sweep|Evacuat|Heap::|heap::|Worklist|SlotSet|RememberedSet|MemoryChunk|PagedSpace/.test(name))
    return 'collector';
  if (name.startsWith('JS:')) return 'model';
  if (/OrderedHash|^Builtins_Map|^Builtins_Set/.test(name)) return 'maps';
  if (name.startsWith('Builtins_RecordWrite')) return 'write barrier';
  if (name.startsWith('Builtins_')) return 'built-ins';
  return 'other';
}

/** Costs summed by category, every category present (in CATEGORIES order). */
export function byCategory(
  perSymbol: ReadonlyMap<string, number>,
  isKernel: (name: string) => boolean = () => false,
): Map<Category, number> {
  const out = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
  for (const [name, x] of perSymbol) {
    const c = categoryOf(name, isKernel(name));
    out.set(c, (out.get(c) as number) + x);
  }
  return out;
}
