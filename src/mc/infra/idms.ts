import type { SystemId } from '../config.ts';
import { match } from 'ts-pattern';
import type { Envelope } from '../../net/index.ts';
import { Actor, type Ctx } from '../actor.ts';
import { addr, idIn } from '../protocol/identity.ts';
import type { McMessage } from '../protocol/messages.ts';

/**
 * Identity management server. In the primary system it returns the user's primary MC service ID;
 * in a partner system it issues the partner MC service ID (10.6.3.2.3 NOTE 1).
 */
export class IdentityManagementServer extends Actor {
  constructor(
    readonly system: SystemId,
    ctx: Ctx,
  ) {
    super(addr.idms(system), ctx, system, 'idms');
  }

  receive(env: Envelope<McMessage>): void {
    const { msg, from } = env;
    match(msg)
      .with({ type: 'AuthenticationRequest' }, (m) => {
        // Credentials are not checked (assumption A8 in docs/domain.md); whether the user may migrate
        // is the servers' call (10.6.3.3.1).
        const home = m.homeSystem === this.system;
        const accepted = home || this.ctx.topo.connected(m.homeSystem, this.system);
        this.send(from, {
          type: 'AuthenticationResponse',
          procId: m.procId,
          result: accepted ? 'success' : 'failure',
          ...(accepted ? { mcId: idIn(m.user, m.homeSystem, this.system) } : {}),
        });
      })
      .otherwise((m) => this.unexpected(m, from));
  }
}
