import type { McMessage } from '../../src/mc/protocol/messages.ts';
import { checkInvariants } from '../../src/mc/measure/invariants.ts';
import { McModel } from '../../src/mc/world/model.ts';
import type { SendRecord } from '../../src/net/index.ts';
import { buildModelConfig } from '../../src/scenario/build.ts';
import { applyOverrides } from '../../src/scenario/paths.ts';
import { parseText, validate } from '../../src/scenario/load.ts';

export interface Hop {
  from: string;
  to: string;
  type: McMessage['type'];
  t: number;
  arrive: number;
  msg: McMessage;
}

/** Builds and runs one replication of a scenario written inline, with its message trace. */
export function simulate(
  yaml: string,
  overrides: Record<string, unknown> = {},
  seed = 1,
  replication = 0,
  before?: (model: McModel) => void,
): { model: McModel; hops: Hop[] } {
  const doc = applyOverrides('inline.yaml', parseText('inline.yaml', yaml), overrides, []);
  const config = buildModelConfig(validate('inline.yaml', doc));
  const hops: Hop[] = [];
  const trace = (r: SendRecord<McMessage>): void => {
    hops.push({
      from: r.envelope.from,
      to: r.envelope.to,
      type: r.envelope.msg.type,
      t: r.envelope.sentAt,
      arrive: r.arrive,
      msg: r.envelope.msg,
    });
  };
  const model = new McModel(config, { seed, replication, trace });
  before?.(model);
  model.run();
  const violations = checkInvariants(model);
  if (violations.length > 0) throw new Error(`invariants violated:\n${violations.join('\n')}`);
  return { model, hops };
}

/** The (from, to, type) triples of a trace, in send order, as `from -> to: Type`. */
export const steps = (hops: Hop[]): string[] => hops.map((h) => `${h.from} -> ${h.to}: ${h.type}`);

export const samplesOf = (model: McModel, metric: string) => model.recorder.samples.filter((s) => s.metric === metric);

/** Constant-delay processing block: every role takes `ms` per job, one worker each. */
export const constantProcessing = (client: string, server: string, other = '2ms'): string => `
      processing:
        client: { default: ${client}, workers: 1, byKind: { sakke-encapsulate: 12ms, eccsi-sign: 3ms, eccsi-verify: 7ms, sakke-decapsulate: 25ms } }
        server: { default: ${server}, workers: 1 }
        gateway: { default: ${other}, workers: 1 }
        idms: { default: 100ms, workers: 1 }
        cms: { default: 30ms, workers: 1 }
        kms: { default: 10ms, workers: 1 }`;

/** The `defaults:` block of a topology with constant delays (ms) everywhere. */
export function constantDefaults(d: {
  access: number;
  core?: number;
  inter: number;
  client: number;
  server: number;
  gateway?: number;
}): string {
  return `  defaults:
    access: { latency: ${d.access}ms }
    core: { latency: ${d.core ?? 2}ms }
    interconnect: { latency: ${d.inter}ms }
${constantProcessing(`${d.client}ms`, `${d.server}ms`, `${d.gateway ?? 2}ms`).replace(/^ {6}/gm, '    ')}`;
}

/** Systems A, B, C, each interconnected with the others, no topology hiding. */
export const THREE_SYSTEMS = `  systems: { A: {}, B: {}, C: {} }
  interconnects: [{ between: [A, B] }, { between: [A, C] }, { between: [B, C] }]`;
