// A CI gate in a script: the first time, make a baseline of the scenarios and write it; every later
// time, run them again and compare with it (as `mcsim baseline` and `mcsim check` do). Exit 1 when
// a number moved beyond its tolerance or a KPI verdict flipped.
//
//   node ci-gate.mjs <baseline.json> <scenario.yaml..>   the first time
//   node ci-gate.mjs <baseline.json>                     then on every change
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkBaseline, checkExitCode, makeBaseline, parseBaseline, renderBaseline, renderCheckTable } from 'mcsim';

const [baselineFile, ...scenarios] = process.argv.slice(2);
if (baselineFile === undefined || (scenarios.length === 0 && !existsSync(baselineFile))) {
  console.error('usage: node ci-gate.mjs <baseline.json> [<scenario.yaml..>, to make a first baseline]');
  process.exit(2);
}

if (!existsSync(baselineFile)) {
  const { baseline, warnings } = await makeBaseline(scenarios, baselineFile);
  writeFileSync(baselineFile, renderBaseline(baseline));
  for (const w of warnings) console.error(`warning: ${w}`);
  console.log(`${baselineFile}: first baseline of ${baseline.scenarios.length} scenario(s); commit it`);
} else {
  // The baseline names its scenarios (relative to its own directory), seeds and runs.
  const baseline = parseBaseline(baselineFile, readFileSync(baselineFile, 'utf8'));
  const { report } = await checkBaseline(baseline, baselineFile);
  process.stdout.write(renderCheckTable(report, { color: false }));
  process.exitCode = checkExitCode(report);
}
