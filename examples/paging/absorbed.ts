/**
 * For each paging cycle of paging-cycle.yaml: replication by replication (common random numbers),
 * how often the KMS lookup changes the callee's set-up at all. The request reaches the idle callee
 * at its next paging occasion; 56 ms more on the way (the lookup) moves it past that occasion only
 * when the occasion fell in those 56 ms, and then it costs a whole cycle. Prints a Markdown table.
 * `node --import tsx examples/paging/absorbed.ts [runs]` (default 1000).
 */
import { McModel } from '../../src/mc/world/model.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { loadScenario } from '../../src/scenario/load.ts';

const FILE = 'examples/paging/paging-cycle.yaml';
const CYCLES = ['0.32s', '0.64s', '1.28s', '2.56s'];
const runs = Number(process.argv[2] ?? 1000);

/** Set-up of the one call of each replication, in ms, under the given overrides. */
function setups(overrides: Record<string, unknown>): number[] {
  const config = buildModelConfig(loadScenario(FILE, overrides).scenario);
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const model = new McModel(config, { seed: 1, replication: r });
    model.run();
    const s = model.recorder.samples.find((x) => x.metric === 'private_call.setup');
    out.push(s === undefined ? NaN : (s.end - s.start) / 1000);
  }
  return out;
}

const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1] as number;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const rows = [
  '| paging cycle | set-up, URI in redirection (mean / p95 ms) | set-up, KMS lookup (mean / p95 ms) | lookup penalty, mean ms | calls the lookup does not delay | KPI 2 (p95 < 1 s) URI / lookup |',
  '|---|---|---|---|---|---|',
];
for (const cycle of CYCLES) {
  const at = { 'topology.defaults.rrc.pagingCycle': cycle };
  const uri = setups(at);
  const lookup = setups({ ...at, 'security.kmsUriInRedirection': false });
  const same = uri.filter((u, i) => Math.abs(u - (lookup[i] as number)) < 1e-9).length;
  const verdict = (xs: number[]): string => (p95(xs) < 1000 ? 'pass' : 'FAIL');
  rows.push(
    `| ${cycle} | ${mean(uri).toFixed(0)} / ${p95(uri).toFixed(0)} | ${mean(lookup).toFixed(0)} / ${p95(lookup).toFixed(0)} | ${(mean(lookup) - mean(uri)).toFixed(1)} | ${((100 * same) / runs).toFixed(1)}% | ${verdict(uri)} / ${verdict(lookup)} |`,
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
