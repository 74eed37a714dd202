import { getHeapStatistics } from 'node:v8';
import { defaultGuardLimit } from '../experiment/heap.ts';
import { parseDuration } from '../kernel/index.ts';
import type { ExperimentRun } from '../experiment/parallel.ts';
import type { CutReason } from '../experiment/result.ts';
import { estimateFootprint, largestHolding, HEAP_BYTES } from '../mc/measure/footprint.ts';
import type { LoadedScenario } from '../scenario/load.ts';
import { UsageError } from './io.ts';

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30 };

/** `--max-memory`: a size such as `200MB`, `1.5GB` or `512MiB` (kB, MB, GB in powers of 1000; KiB, MiB, GiB of 1024). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim());
  const unit = UNITS[m?.[2]?.toUpperCase() ?? ''];
  if (m === null || unit === undefined || !(Number(m[1]) > 0))
    throw new UsageError(`--max-memory expects a size such as 200MB, 1.5GB or 512MiB, found "${text}"`);
  return Math.round(Number(m[1]) * unit);
}

const gb = (bytes: number): string =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The live heap a thread may hold before the guard stops the run: `--max-memory`, at most the guard's share of its heap. */
function guardLimit(maxMemory: number | undefined): number {
  return Math.min(maxMemory ?? Infinity, defaultGuardLimit(getHeapStatistics().heap_size_limit));
}

/**
 * Before a run: the most a replication of any variant (or sweep point) is estimated to hold
 * (mc/measure/footprint.ts), and a warning when that exceeds what the memory guard allows one
 * thread, which would then stop the run early.
 */
export function warnIfTooLarge(l: LoadedScenario, maxMemory: number | undefined): void {
  const variants = [...l.variants, ...l.points.flatMap((p) => p.variants)];
  let worst: ReturnType<typeof estimateFootprint> | undefined;
  for (const v of variants) {
    const until = v.scenario.experiment?.until;
    const f = estimateFootprint(v.model, until === undefined ? undefined : parseDuration(until));
    if (worst === undefined || f.bytes > worst.bytes) worst = f;
  }
  const limit = guardLimit(maxMemory);
  if (worst === undefined || worst.bytes <= limit) return;
  process.stderr.write(
    `mcsim: ${l.file}: warning: a replication may hold some ${gb(worst.bytes)} (${count(worst.users)} users x ${HEAP_BYTES.user} B, ` +
      `${count(worst.calls)} calls held at once x ${HEAP_BYTES.call} B, ${count(worst.samples)} samples x ${HEAP_BYTES.sample} B), ` +
      `more than the memory guard's limit of ${gb(limit)} (--max-memory); the run will likely stop early with partial results\n`,
  );
}

const HOLDINGS = {
  calls: 'held calls',
  jobs: 'messages queued at busy nodes',
  events: 'pending events',
  samples: 'samples',
};

const CUT_BY: Record<CutReason, string> = {
  'max-events': 'the event ceiling (--max-events)',
  'max-wall': '--max-wall',
  interrupted: 'Ctrl-C (SIGINT)',
  terminated: 'SIGTERM',
  memory: 'the memory guard',
};

/** One line per way the run was cut short: what stopped it, what it kept. */
export function reportStop(l: LoadedScenario, run: ExperimentRun, maxMemory: number | undefined): void {
  const done = run.tasks.filter((t) => run.grid[t.g]?.[t.v]?.[t.r]?.complete === true).length;
  const kept = run.cut > 0 ? ` and ${run.cut} cut short (kept)` : '';
  if (run.stopped === 'memory') {
    const m = run.memory;
    const held =
      m === undefined
        ? ''
        : `; replication ${m.task.r} of ${run.plan.variants[m.task.g]?.[m.task.v]?.name ?? m.task.v} held ${count(m.census.calls)} calls, ` +
          `${count(m.census.jobs)} queued messages, ${count(m.census.events)} pending events and ${count(m.census.samples)} samples ` +
          `at ${(m.census.now / 1e6).toFixed(1)} s simulated, most of it ${HOLDINGS[largestHolding(m.census).what]}`;
    process.stderr.write(
      `mcsim: ${l.file}: the memory guard stopped the run: live heap over ${gb(guardLimit(maxMemory))}${held}; ` +
        `${done} of ${run.tasks.length} replications finished${kept}; the results are partial (complete: false)\n`,
    );
  } else if (run.stopped !== undefined && run.stopped !== 'interrupted' && run.stopped !== 'terminated') {
    process.stderr.write(
      `mcsim: ${l.file}: ${CUT_BY[run.stopped]} reached after ${done} of ${run.tasks.length} replications${kept}; the results are partial (complete: false)\n`,
    );
  }
  if (run.capped > 0) {
    process.stderr.write(
      `mcsim: ${l.file}: ${run.capped} replication${run.capped > 1 ? 's' : ''} stopped at the event ceiling of ${run.plan.maxEvents.toLocaleString('en-US')} events (--max-events); their results are partial (complete: false)\n`,
    );
  }
}

/**
 * SIGINT and SIGTERM abort the run, which then ends with what it has, the replications running
 * cut and kept (`complete: false`, exit 130 or 143). A second SIGINT quits at once: the handler
 * is removed after the first. Later SIGTERMs change nothing: a batch system may send one to
 * every process of a job, and this one is already stopping.
 */
export function onSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = (reason: CutReason, what: string): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nmcsim: ${what}; writing what the run has so far (complete: false).\n`);
    controller.abort(reason);
  };
  const int = (): void => stop('interrupted', 'interrupted; Ctrl-C again quits at once');
  const term = (): void => stop('terminated', 'terminated (SIGTERM)');
  process.once('SIGINT', int);
  process.on('SIGTERM', term);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', int);
      process.removeListener('SIGTERM', term);
    },
  };
}

/** 128 + the signal's number, as shells report it: 130 after SIGINT, 143 after SIGTERM. */
export function signalCode(stopped: CutReason | undefined): number | undefined {
  return stopped === 'interrupted' ? 130 : stopped === 'terminated' ? 143 : undefined;
}
