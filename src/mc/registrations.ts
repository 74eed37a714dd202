import type { Node } from '../net/index.ts';
import type { McId } from './identity.ts';

/**
 * A server's SIP registrations (plus service authorization): MC service ID -> the client's
 * node, to which a flow is sent without looking its address up among all nodes.
 *
 * `epoch` changes whenever an ID stops pointing at the node it pointed at (deleted, or set to
 * another node); adding an ID leaves it. A node resolved while the epoch was `e` is therefore
 * still the registration of its ID while the epoch is `e`: a call record keeps the nodes of its
 * parties and sends each later flow of the call without a lookup in a table of every user,
 * whose entry a large population finds out of the cache (issue 8).
 */
export class Registrations {
  private readonly table = new Map<McId, Node>();
  private changes = 0;

  get epoch(): number {
    return this.changes;
  }

  get size(): number {
    return this.table.size;
  }

  get(id: McId): Node | undefined {
    return this.table.get(id);
  }

  has(id: McId): boolean {
    return this.table.has(id);
  }

  set(id: McId, node: Node): this {
    const before = this.table.get(id);
    if (before !== undefined && before !== node) this.changes++;
    this.table.set(id, node);
    return this;
  }

  delete(id: McId): boolean {
    const had = this.table.delete(id);
    if (had) this.changes++;
    return had;
  }
}
