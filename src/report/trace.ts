import type { McMessage } from '../mc/protocol/messages.ts';
import type { SendRecord } from '../net/index.ts';

/** One JSON line per message (`point` is the sweep point index, only in sweeps): when it left and arrived (ms), who to whom, what, how big, which ids. */
export function traceLine(variant: string, run: number, rec: SendRecord<McMessage>, point?: number): string {
  const { envelope: e } = rec;
  const msg = e.msg as McMessage & { callId?: string; procId?: string };
  const ids: Record<string, string> = {};
  if (msg.callId !== undefined) ids.call = msg.callId;
  if (msg.procId !== undefined) ids.proc = msg.procId;
  return `${JSON.stringify({
    variant,
    ...(point === undefined ? {} : { point }),
    run,
    t: e.sentAt / 1000,
    arrive: rec.arrive < 0 ? null : rec.arrive / 1000,
    from: e.from,
    to: e.to,
    type: msg.type,
    size: e.size,
    ids,
    ...(rec.arrive < 0 ? { lost: true } : {}),
    ...(rec.retransmissions > 0 ? { retransmissions: rec.retransmissions } : {}),
  })}\n`;
}
