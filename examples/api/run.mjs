// Runs a scenario through mcsim's library API and prints, per variant, every metric's 95th
// percentile and the KPI verdicts: what `mcsim run` shows, taken from the result document.
//
//   node run.mjs <scenario.yaml> [runs]
import { loadScenario, runScenario, ScenarioError } from 'mcsim';

const [file, runs] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node run.mjs <scenario.yaml> [runs]');
  process.exit(2);
}

let scenario;
try {
  scenario = loadScenario(file);
} catch (e) {
  // A bad scenario file: the message names the file and the path inside it.
  if (!(e instanceof ScenarioError)) throw e;
  console.error(e.message);
  process.exit(2);
}

const result = await runScenario(scenario, runs === undefined ? {} : { runs: Number(runs) });
for (const v of result.variants) {
  for (const [metric, m] of Object.entries(v.metrics)) console.log(`${v.name}  ${metric}  p95 ${m.p95} ms  (n ${m.n})`);
  for (const k of v.kpis)
    console.log(
      `${v.name}  ${k.id}  p${k.percentile} ${k.value_ms} ms < ${k.limit_ms} ms: ${k.pass ? 'PASS' : 'FAIL'}`,
    );
}
process.exitCode = result.variants.every((v) => v.kpis.every((k) => k.pass)) ? 0 : 1;
