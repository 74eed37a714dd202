import type { McId } from '../protocol/identity.ts';

/** What a registered node keeps of the last registration a table confirmed for it. */
export interface Registrant {
  registeredIn: object | undefined;
  registeredAs: McId | undefined;
  registeredAt: number;
}

/**
 * A server's SIP registrations (plus service authorization): MC service ID -> the client's
 * node, to which a flow is sent without looking its address up among all nodes.
 *
 * `epoch` changes whenever an ID stops pointing at the node it pointed at (deleted, or set to
 * another node); adding an ID leaves it. A node resolved while the epoch was `e` is therefore
 * still the registration of its ID while the epoch is `e`. A call record keeps the nodes of its
 * parties so, and a registered node keeps the last ID this table confirmed for it: a call's
 * flows then reach no entry of this table of every user, which a large population keeps out of
 * the cache.
 */
export class Registrations<N extends Registrant = Registrant> {
  private readonly table = new Map<McId, N>();
  private changes = 0;

  get epoch(): number {
    return this.changes;
  }

  get size(): number {
    return this.table.size;
  }

  get(id: McId): N | undefined {
    return this.table.get(id);
  }

  has(id: McId): boolean {
    return this.table.has(id);
  }

  set(id: McId, node: N): this {
    const before = this.table.get(id);
    if (before !== undefined && before !== node) this.changes++;
    this.table.set(id, node);
    this.confirm(id, node);
    return this;
  }

  delete(id: McId): boolean {
    const had = this.table.delete(id);
    if (had) this.changes++;
    return had;
  }

  /**
   * Whether `id` is registered to `node`, asked of the node first: the sender of a flow, at
   * hand, where the table's entry for it is not.
   */
  holds(id: McId, node: N): boolean {
    if (node.registeredIn === this && node.registeredAs === id && node.registeredAt === this.changes) return true;
    if (this.table.get(id) !== node) return false;
    this.confirm(id, node);
    return true;
  }

  private confirm(id: McId, node: N): void {
    node.registeredIn = this;
    node.registeredAs = id;
    node.registeredAt = this.changes;
  }
}
