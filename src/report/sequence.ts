import { selectVariants } from '../experiment/experiment.ts';
import { parseDuration } from '../kernel/index.ts';
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
}

export interface SequenceOptions {
  variant?: string;
  run?: number;
  seed?: number | string;
  /** A chart of thousands of arrows helps no one; the rest are counted in `omitted`. */
  maxMessages?: number;
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
    trace: (rec) => {
      if (records.length < max) records.push(rec);
      else omitted++;
    },
  });
  // Clients are drawn in the system serving them at the start: where the story begins.
  const servingAtStart = new Map(model.topo.serving);
  model.run();
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
  };
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
