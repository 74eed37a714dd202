/**
 * Reading `perf report --stdio --no-children -n --sort sym` (Linux perf 6.x): samples per
 * function, JIT code already named by perf from V8's perf map. Written here because no
 * maintained JavaScript library reads perf's text report, and perf's own `diff` matches
 * functions by DSO and address, which the JIT's code of two processes never share.
 */
import { cleanName } from './callgrind.ts';

export interface Sampled {
  samples: number;
  /** Run in the kernel (`[k]`), not in user space (`[.]`). */
  kernel: boolean;
}

/** A report's lines `  4.46%   844  [.] name` as name -> samples; one name however the JIT tier. */
export function samplesBySymbol(report: string): Map<string, Sampled> {
  const out = new Map<string, Sampled>();
  for (const line of report.split('\n')) {
    const m = /^\s+[\d.]+%\s+(\d+)\s+\[([.k])\]\s+(.+?)\s*$/.exec(line);
    if (m === null) continue;
    const name = cleanName(m[3] as string);
    const known = out.get(name);
    if (known !== undefined) known.samples += Number(m[1]);
    else out.set(name, { samples: Number(m[1]), kernel: m[2] === 'k' });
  }
  return out;
}
