import type { Ctx } from './actor.ts';
import type { MessageOf } from './messages.ts';
import type { Server } from './server.ts';

type GroupMessage = MessageOf<
  | 'GroupAffiliationRequest'
  | 'GroupAffiliationResponse'
  | 'GroupDeaffiliationRequest'
  | 'GroupDeaffiliationResponse'
  | 'GroupCallRequest'
  | 'GroupCallResponse'
>;

/** Group affiliation (23.280 10.8) and pre-arranged group calls (23.379 10.6.2.3.1.1). */
export class GroupControl {
  constructor(
    private readonly server: Server,
    readonly ctx: Ctx,
  ) {}

  receive(m: GroupMessage, from: string): void {
    // Groups are not modelled yet: a group flow reaching a server is a scenario the model cannot run.
    this.server.reject(m, from);
  }
}
