/**
 * The connected clients and their subscriptions: adding and removing clients, replacing or clearing a client's
 * filter in the subscription index, and the counters of departed clients. Separate from matching, which only
 * reads the index, and from the coordinator, which adds the route memory's reaction to these changes.
 */
import type { SocketLike } from '../ws/socket.ts';
import { Client, type ClientLimits } from './client.ts';
import { type Filter, wantsPeerEvents } from './filter.ts';
import { SubscriptionIndex } from './subscriptions.ts';

export class ClientRegistry {
  readonly clients = new Set<Client>();
  readonly index = new SubscriptionIndex<Client>();
  /** Clients closed for not reading within the stall limit. */
  slowClosed = 0;
  private droppedByGone = 0;
  private nextId = 1;

  constructor(private readonly limits: ClientLimits) {}

  /** Drops of departed clients plus those of the clients still here. */
  get droppedTotal(): number {
    let n = this.droppedByGone;
    for (const c of this.clients) n += c.droppedTotal;
    return n;
  }

  add(socket: SocketLike): Client {
    const c = new Client(this.nextId++, socket, this.limits);
    this.clients.add(c);
    return c;
  }

  /** False when the client was already gone. */
  remove(c: Client): boolean {
    if (!this.clients.delete(c)) return false;
    this.index.removeClient(c);
    this.droppedByGone += c.droppedTotal;
    if (c.closedAsSlow) this.slowClosed++;
    return true;
  }

  /** Replaces the client's filter; events queued under the old one are dropped (they might not match). */
  subscribe(c: Client, filter: Filter): void {
    c.filter = filter;
    c.discardForFilter(wantsPeerEvents(filter));
    this.index.add(c, filter);
  }

  unsubscribe(c: Client): void {
    c.filter = null;
    c.discardForFilter(true);
    this.index.removeClient(c);
  }
}
