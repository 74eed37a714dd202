/**
 * What `page-walks.ts` runs under callgrind and `perf-gap.ts` under perf, bundled
 * (child-bundle.ts): one replication of `scale`'s scenario with USERS users and CALLS calls.
 * Bundled so that no transform of the sources runs inside the measurement.
 */
import { runReplication } from '../src/experiment/replication.ts';
import { buildModelConfig } from '../src/scenario/build.ts';
import { validate } from '../src/scenario/load.ts';
import { scaleScenario, scaleUntil } from './scale.ts';

const users = Number(process.argv[2]);
const calls = Number(process.argv[3]);
const data = runReplication(buildModelConfig(validate('page-walks', scaleScenario(users, calls))), 1, 0, {
  until: scaleUntil(calls),
});
process.stdout.write(`${users} users, ${calls} calls, ${data.counters.events} events\n`);
