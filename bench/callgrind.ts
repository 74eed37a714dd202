/**
 * Reading callgrind's output (format of valgrind 3.x with `--dump-instr=yes`): last-level data
 * misses (reads and writes) per function, with code the JIT made named from V8's perf map.
 * Written here because no maintained JavaScript library reads this format; `callgrind_annotate`
 * does not read perf maps.
 */

/** The profiled process's id, which names its perf map (`/tmp/perf-<pid>.map`). */
export function pidOf(out: string): number {
  const m = /^pid: (\d+)$/m.exec(out);
  if (m === null) throw new Error('callgrind output without a pid line');
  return Number(m[1]);
}

interface Symbol {
  start: number;
  end: number;
  name: string;
}

/** A perf map's lines, `<start hex> <size hex> <name>`, sorted by start for a binary search. */
function parsePerfMap(map: string): Symbol[] {
  const symbols: Symbol[] = [];
  for (const line of map.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m !== null) {
      const start = parseInt(m[1] as string, 16);
      symbols.push({ start, end: start + parseInt(m[2] as string, 16), name: cleanName(m[3] as string) });
    }
  }
  return symbols.sort((a, b) => a.start - b.start);
}

/** `JS:*transmit file:///tmp/x/child.mjs:8426:11` -> `JS:transmit`: one name however the tier and bundle. */
export function cleanName(name: string): string {
  return name.replace(/ file:\/\/\S+$/, '').replace(/^JS:[*^~+]?/, 'JS:');
}

function lookup(symbols: readonly Symbol[], addr: number): string {
  let lo = 0;
  let hi = symbols.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = symbols[mid] as Symbol;
    if (addr < s.start) hi = mid - 1;
    else if (addr >= s.end) lo = mid + 1;
    else return s.name;
  }
  return 'JIT code (unnamed)';
}

/** Last-level data misses (DLmr + DLmw) of each function of callgrind output `out`. */
export function missesBySymbol(out: string, perfMap: string): Map<string, number> {
  const symbols = parsePerfMap(perfMap);
  const names = new Map<string, string>();
  const misses = new Map<string, number>();
  let columns: number[] = [];
  let fn = '?';
  let last = 0;
  let skipCallCost = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('events:')) {
      const events = line.split(/\s+/).slice(1);
      columns = ['DLmr', 'DLmw'].map((e) => events.indexOf(e)).filter((i) => i >= 0);
    } else if (line.startsWith('fn=')) fn = compressed(line.slice(3), names);
    else if (line.startsWith('cfn=')) compressed(line.slice(4), names);
    else if (line.startsWith('calls=')) skipCallCost = true;
    else if (/^[0-9+\-*]/.test(line)) {
      const parts = line.split(' ');
      last = position(parts[0] as string, last);
      // The line after `calls=` is the cost of the call, already counted in the callee.
      if (skipCallCost) {
        skipCallCost = false;
        continue;
      }
      // Positions are `instr line`; the events follow, trailing zeros left out.
      let v = 0;
      for (const c of columns) v += Number(parts[2 + c] ?? 0);
      if (v === 0) continue;
      const name = fn.startsWith('0x') || fn.startsWith('???') ? lookup(symbols, last) : fn;
      misses.set(name, (misses.get(name) ?? 0) + v);
    }
  }
  return misses;
}

/** `(12) name` defines id 12; `(12)` refers to it. */
function compressed(text: string, names: Map<string, string>): string {
  const m = /^\((\d+)\)(?: (.*))?$/.exec(text.trim());
  if (m === null) return text.trim();
  if (m[2] !== undefined) names.set(m[1] as string, m[2]);
  return names.get(m[1] as string) ?? '?';
}

/** An instruction address: absolute (`0x...`), relative to the last (`+n`, `-n`), or the same (`*`). */
function position(p: string, last: number): number {
  if (p === '*') return last;
  if (p.startsWith('+')) return last + Number(p.slice(1));
  if (p.startsWith('-')) return last - Number(p.slice(1));
  return Number(p);
}
