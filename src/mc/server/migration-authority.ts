import { match } from 'ts-pattern';
import type { Ctx } from '../actor.ts';
import { dispatch, type Routes } from '../protocol/dispatch.ts';
import type { McMessage, MessageOf } from '../protocol/messages.ts';
import type { ServerHost } from './host.ts';
import { MigrationPartnerRole } from './migration-partner.ts';
import { MigrationPrimaryRole } from './migration-primary.ts';

type MigrationMessage = MessageOf<
  | 'SipAuthInfoRequest'
  | 'SipAuthInfoResponse'
  | 'MigrationServiceAuthorizationRequest'
  | 'MigrationServiceAuthorizationResponse'
  | 'MigrationServiceDeauthorizationRequest'
  | 'MigrationServiceDeauthorizationResponse'
>;

/**
 * Migration service authorization and de-authorization (23.280 10.6.3.3) and the partner
 * registration check of 10.1.6.2 (the MMS role is folded into the server [A]). A server takes
 * the partner role for the migrants it serves and the primary role for its own users; a flow
 * goes to the role it is for.
 */
export class MigrationAuthority {
  readonly partner = new MigrationPartnerRole(this.server, this.ctx);
  readonly primary = new MigrationPrimaryRole(this.server, this.ctx);

  constructor(
    private readonly server: ServerHost,
    private readonly ctx: Ctx,
  ) {}

  receive(m: MigrationMessage, from: string): void {
    dispatch(MigrationAuthority.routes, this, m, from);
  }

  /** A migrant's requests come to its partner, a partner's to the primary; answers go on to whoever waits. */
  private static readonly routes: Routes<MigrationAuthority, MigrationMessage['type'], string> = {
    SipAuthInfoRequest: (a, m) => a.primary.onSipAuthInfoRequest(m),
    SipAuthInfoResponse: (a, m) => {
      if (!a.server.route(m)) a.server.settle(m, '');
    },
    MigrationServiceAuthorizationRequest: (a, m, from) =>
      a.server.isClient(from) ? a.partner.authorize(m, from) : a.primary.authorize(m),
    MigrationServiceDeauthorizationRequest: (a, m, from) => {
      if (a.server.isClient(from)) a.partner.deauthorize(m, from);
      else if (a.ctx.topo.systemOfId(m.primaryId) === a.server.system) a.primary.deauthorize(m);
      // The primary's own de-authorization of a partner its migrant has left (PartnerReleases).
      else a.partner.releasedByPrimary(m);
    },
    MigrationServiceAuthorizationResponse: (a, m, from) => a.partner.onAuthorizationResponse(m, from),
    MigrationServiceDeauthorizationResponse: (a, m, from) => {
      if (a.server.route(m) || a.primary.releases.answered(m.procId)) return;
      // A response nobody waits for any more (its requester timed out, or an undo) changes nothing.
      a.server.settle(m, from);
    },
  };

  /** A migration flow this server sent never arrived (protocol/undelivered.ts says which these are). */
  undelivered(msg: McMessage, to: string): void {
    match(msg)
      .with({ type: 'MigrationServiceAuthorizationResponse' }, (m) => this.primary.authorizationUndelivered(m))
      .with({ type: 'MigrationServiceDeauthorizationRequest' }, (m) =>
        m.target === m.partnerId ? this.primary.releases.retry(m) : this.partner.reportUndelivered(m, to),
      )
      .otherwise(() => undefined);
  }

  /** A crash loses the releases waiting to be sent again; the migration records stay (23.280 10.6.3.3.1 steps 7, 11). */
  crash(): void {
    this.primary.releases.crash();
  }
}
