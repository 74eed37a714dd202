// Compares the variants of a scenario: the paired difference (b - a) of every metric's mean, with
// its 95% interval. Replication r of every variant draws the same random numbers, so the paired
// interval is much narrower than the unpaired one printed beside it.
//
//   node compare.mjs <scenario.yaml> [runs] [metric..]
import { compareVariants } from 'mcsim';

const [file, runs, ...metrics] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node compare.mjs <scenario.yaml> [runs] [metric..]');
  process.exit(2);
}

const result = await compareVariants(file, { ...(runs === undefined ? {} : { runs: Number(runs) }), metrics });
const interval = (ci) => (ci === null ? 'n/a' : `[${ci[0]}, ${ci[1]}]`);
for (const c of result.comparisons) {
  console.log(
    `${c.metric}: ${c.b} - ${c.a} = ${c.mean_diff} ms, paired 95% ${interval(c.ci95)}, ` +
      `unpaired ${interval(c.unpaired_ci95)}${c.significant ? ', significant' : ''} (${c.n} runs)`,
  );
}
