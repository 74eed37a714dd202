import type { SystemId } from '../config.ts';
import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import { addr } from '../protocol/identity.ts';
import type { McMessage } from '../protocol/messages.ts';

/**
 * MC gateway server (topology hiding, 23.280 10.14.2): relays every inter-system flow, finding
 * the target system from the domain of the flow's target and, inbound, the target server.
 */
export class Gateway extends Actor {
  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.gateway(system), ctx, system, 'gateway');
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    if (!('target' in msg)) return this.unexpected(msg, from);
    const to = this.ctx.topo.systemOfId(msg.target);
    if (to === undefined) return this.unexpected(msg, from);
    this.send(this.ctx.topo.nextHopFromGateway(this.system, to), msg);
  }
}
