import { selectVariants } from '../experiment/experiment.ts';
import { parseDuration } from '../kernel/index.ts';
import type { Sample } from '../mc/measure/metrics.ts';
import type { McMessage } from '../mc/protocol/messages.ts';
import { McModel } from '../mc/world/model.ts';
import type { SendRecord } from '../net/index.ts';
import type { LoadedScenario } from '../scenario/load.ts';

/** One replication's signalling, in the shape a sequence chart needs: who, when, what. */

export interface SeqNode {
  name: string;
  system: string;
  role: string;
}

export interface SeqMessage {
  /** Send and arrival time in ms; arrive is null when the message was lost. */
  t: number;
  arrive: number | null;
  from: string;
  to: string;
  type: string;
  size: number;
  retransmissions: number;
  ids: { call?: string; proc?: string };
  /** On the critical path of the sample the chart marks (Sequence.path). */
  onPath: boolean;
}

/** A measured interval (metric sample) with its outcome: timeouts are drawn where they ended. */
export interface SeqInterval {
  metric: string;
  start: number;
  end: number;
  outcome: string;
}

export interface Sequence {
  scenario: string;
  variant: string;
  seed: number | string;
  run: number;
  /** Lifelines, grouped by system (systems in order of first appearance). */
  nodes: SeqNode[];
  messages: SeqMessage[];
  intervals: SeqInterval[];
  /** Messages left out beyond `maxMessages`. */
  omitted: number;
  /**
   * The sample whose critical path the chart marks (its messages have onPath): the slowest
   * successful sample of the replication, or of the metric asked for; none when nothing succeeded.
   */
  path: SeqInterval | undefined;
}

export interface SequenceOptions {
  variant?: string;
  run?: number;
  seed?: number | string;
  /** A chart of thousands of arrows helps no one; the rest are counted in `omitted`. */
  maxMessages?: number;
  /** The metric whose slowest successful sample has its critical path marked (default: any metric). */
  path?: string;
}

const INFRA = /^(server|gateway|idms|cms|kms)([A-Z][A-Z0-9]*)$/;

const ms = (us: number): number => us / 1000;

/** Runs replication `run` of one variant and keeps its message trace and metric samples. */
export function recordSequence(loaded: LoadedScenario, opts: SequenceOptions = {}): Sequence {
  const variant = selectVariants(loaded, opts.variant === undefined ? undefined : [opts.variant])[0];
  if (variant === undefined) throw new Error('a scenario always has at least one variant');
  const exp = loaded.scenario.experiment;
  const seed = opts.seed ?? exp?.seed ?? 1;
  const run = opts.run ?? 0;
  const max = opts.maxMessages ?? 400;
  const records: SendRecord<McMessage>[] = [];
  let omitted = 0;
  const model = new McModel(variant.model, {
    seed,
    replication: run,
    ...(exp?.until === undefined ? {} : { until: parseDuration(exp.until) }),
    paths: true,
    trace: (rec) => {
      if (records.length < max) records.push(rec);
      else omitted++;
    },
  });
  // Clients are drawn in the system serving them at the start: where the story begins.
  const servingAtStart = new Map(model.topo.serving);
  model.run();
  const marked = slowest(model.recorder.samples, opts.path);
  const onPath = new Set(marked === undefined ? [] : model.paths.get(`${marked.metric} ${marked.key}`));
  const messages = records.map((rec): SeqMessage => {
    const e = rec.envelope;
    const msg = e.msg as McMessage & { callId?: string; procId?: string };
    return {
      t: ms(e.sentAt),
      arrive: rec.arrive < 0 ? null : ms(rec.arrive),
      from: e.from,
      to: e.to,
      type: msg.type,
      size: e.size,
      retransmissions: rec.retransmissions,
      ids: {
        ...(msg.callId === undefined ? {} : { call: msg.callId }),
        ...(msg.procId === undefined ? {} : { proc: msg.procId }),
      },
      onPath: onPath.has(e.id),
    };
  });
  const intervals = model.recorder.samples.map((s) => ({
    metric: s.metric,
    start: ms(s.start),
    end: ms(s.end),
    outcome: s.outcome,
  }));
  return {
    scenario: loaded.name,
    variant: variant.name,
    seed,
    run,
    nodes: lifelines(messages, servingAtStart),
    messages,
    intervals,
    omitted,
    path:
      marked === undefined
        ? undefined
        : { metric: marked.metric, start: ms(marked.start), end: ms(marked.end), outcome: marked.outcome },
  };
}

/** Whether an interval is the one whose critical path the chart marks. */
export const isMarked = (seq: Sequence, iv: SeqInterval): boolean =>
  seq.path !== undefined && iv.metric === seq.path.metric && iv.start === seq.path.start && iv.end === seq.path.end;

/** The longest successful sample (the first of equals), of `metric` when given. */
function slowest(samples: readonly Sample[], metric: string | undefined): Sample | undefined {
  let best: Sample | undefined = undefined;
  for (const s of samples)
    if (s.outcome === 'success' && (metric === undefined || s.metric === metric))
      if (best === undefined || s.end - s.start > best.end - best.start) best = s;
  return best;
}

function nodeOf(name: string, servingAtStart: ReadonlyMap<string, string>): SeqNode {
  const m = INFRA.exec(name);
  if (m !== null) return { name, role: m[1] as string, system: m[2] as string };
  return { name, role: 'client', system: servingAtStart.get(name) ?? '?' };
}

/**
 * Systems in order of first appearance, so the caller's system is on the left as in the spec
 * figures; inside a system the clients come first, then the servers in order of first appearance.
 */
export function lifelines(messages: readonly SeqMessage[], servingAtStart: ReadonlyMap<string, string>): SeqNode[] {
  const seen: SeqNode[] = [];
  const names = new Set<string>();
  for (const m of messages) {
    for (const n of [m.from, m.to]) {
      if (names.has(n)) continue;
      names.add(n);
      seen.push(nodeOf(n, servingAtStart));
    }
  }
  const systems = [...new Set(seen.map((n) => n.system))];
  return systems.flatMap((s) => {
    const here = seen.filter((n) => n.system === s);
    return [...here.filter((n) => n.role === 'client'), ...here.filter((n) => n.role !== 'client')];
  });
}
