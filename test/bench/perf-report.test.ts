import { describe, expect, it } from 'vitest';
import { samplesBySymbol } from '../../bench/perf-report.ts';

// `perf report --stdio --no-children -n --sort sym` of perf 6.1: a header, then one line per
// function, JIT code named from V8's perf map (its tier marker and bundle address differ by run).
const REPORT = `# To display the perf.data header info, please use --header/--header-only options.
#
# Samples: 56K of event 'cpu-clock'
# Event count (approx.): 56508000000
#
# Overhead       Samples  Symbol
# ........  ............  ..........................
#
     6.25%          3534  [.] JS:*terminate file:///tmp/mcsim-perf-gap-x/child.mjs:8426:11
     5.86%          3314  [.] JS:~terminate file:///tmp/mcsim-perf-gap-x/child.mjs:8426:11
     2.99%          1689  [.] v8::internal::Scavenger::ScavengePage
     1.64%           925  [k] pvm_irq_enable
     0.01%             3  [.] 0x00007f0cbc124a9b


#
# (Tip: To show assembler sample contexts use perf record -b)
#
`;

describe('perf report', () => {
  it('counts samples per function, one name however the JIT tier, kernel code marked', () => {
    expect(Object.fromEntries(samplesBySymbol(REPORT))).toEqual({
      'JS:terminate': { samples: 6848, kernel: false },
      'v8::internal::Scavenger::ScavengePage': { samples: 1689, kernel: false },
      pvm_irq_enable: { samples: 925, kernel: true },
      '0x00007f0cbc124a9b': { samples: 3, kernel: false },
    });
  });

  it('reads nothing from a report without samples', () => {
    expect(samplesBySymbol('# Samples: 0\n#\n').size).toBe(0);
  });
});
