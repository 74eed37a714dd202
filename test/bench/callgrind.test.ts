import { describe, expect, it } from 'vitest';
import { missesBySymbol, pidOf } from '../../bench/callgrind.ts';

// A callgrind output as valgrind 3.19 writes it with --dump-instr=yes and --cache-sim=yes: positions
// `instr line`, compressed names, relative addresses, trailing zero events left out.
const OUT = `# callgrind format
version: 1
pid: 4242
positions: instr line
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw

fl=(1) ???
fn=(1) 0x0000000004000000
0x4000010 0 9 3 1 0 2 0 0 5 1
+16 0 4 1 0 0 1 0 0 2
fn=(2) v8::internal::Scavenger::ScavengePage(v8::internal::MemoryChunk*)
0x5000000 0 7 2 0 0 1 0 0 3 4
cfn=(1)
calls=1 0x4000010 0
* 0 100 50 0 0 40 0 0 99 99
fn=(1)
-0x10 0 1 1 0 0 1 0 0 1
0x7000000 0 1 1 0 0 1 0 0 7
fn=(3) Builtins_FindOrderedHashMapEntry
0x6000000 0 2 2 0 0 2 0 0 4
`;

const MAP = `4000000 20 JS:*transmit file:///tmp/mcsim-page-walks-x/child.mjs:8426:11
4000020 10 JS:~deliver file:///tmp/mcsim-page-walks-x/child.mjs:8309:17
`;

describe('callgrind output', () => {
  it('names the process whose perf map names its JIT code', () => {
    expect(pidOf(OUT)).toBe(4242);
    expect(() => pidOf('events: Ir')).toThrow(/pid/);
  });

  it('counts last-level read and write misses per function, JIT code named from the perf map', () => {
    // 0x4000010: 5 + 1 (transmit); +16 = 0x4000020: 2 (deliver). The line after calls= is the
    // callee's cost, counted in the callee, at the call site (`*`): relative positions after it
    // count from 0x5000000, so -0x10 is 0x4fffff0, in no symbol of the map, as is 0x7000000.
    expect(Object.fromEntries(missesBySymbol(OUT, MAP))).toEqual({
      'JS:transmit': 6,
      'JS:deliver': 2,
      'v8::internal::Scavenger::ScavengePage(v8::internal::MemoryChunk*)': 7,
      'JIT code (unnamed)': 8,
      Builtins_FindOrderedHashMapEntry: 4,
    });
  });
});
