// The live feed of matching route events, and the only writer of $feed: a capped ring of the
// newest rows, a frozen copy while the list is paused (events keep being received and counted),
// and the counters shown with it (received, since pause, dropped by the server). Route events are
// queued as frames arrive and applied on flush.
import type { RouteEvent } from '../api-types.ts';
import { Ring } from '../ring.ts';
import { $feed, FEED_CAP, type FeedRow } from '../stores.ts';

export class LiveFeed {
  private readonly live: Ring<FeedRow>;
  private frozen: Ring<FeedRow> | null = null;
  private seq = 0;
  private received = 0;
  private sincePause = 0;
  private dropped = 0;
  private pendingRoutes: RouteEvent[] = [];
  private pendingDropped = 0;
  /** Whether the server has yet to confirm the filter (shown with the feed). */
  private readonly isPending: () => boolean;

  constructor(isPending: () => boolean, capacity = FEED_CAP) {
    this.isPending = isPending;
    this.live = new Ring<FeedRow>(capacity);
  }

  /** Queues route events (already admitted by the subscription) for the next flush. */
  add(routes: readonly RouteEvent[]): void {
    for (const r of routes) this.pendingRoutes.push(r);
  }

  /** Queues a count of route events the server dropped for this client. */
  addDropped(count: number): void {
    this.pendingDropped += count;
  }

  /** Freezes (or resumes) the list; events keep being received and counted. */
  setPaused(paused: boolean): void {
    if ($feed.get().paused === paused) return;
    if (paused) {
      const copy = new Ring<FeedRow>(this.live.capacity);
      copy.pushAll(this.live.toArray());
      this.frozen = copy;
    } else {
      this.frozen = null;
    }
    this.sincePause = 0;
    this.publish();
  }

  /** Empties the feed for a new filter and publishes it. */
  restart(): void {
    this.live.clear();
    // A new filter starts a new feed, live (a paused old one would only show stale rows).
    this.frozen = null;
    this.pendingRoutes = [];
    this.received = 0;
    this.sincePause = 0;
    this.dropped = 0;
    this.publish();
  }

  flush(): void {
    let changed = false;
    if (this.pendingRoutes.length) {
      const routes = this.pendingRoutes as FeedRow[];
      this.pendingRoutes = [];
      for (const r of routes) r.seq = ++this.seq;
      this.live.pushAll(routes);
      this.received += routes.length;
      if (this.frozen) this.sincePause += routes.length;
      changed = true;
    }
    if (this.pendingDropped) {
      this.dropped += this.pendingDropped;
      this.pendingDropped = 0;
      changed = true;
    }
    if (changed || $feed.get().pending !== this.isPending()) this.publish();
  }

  publish(): void {
    const view = this.frozen ?? this.live;
    $feed.set({
      version: $feed.get().version + 1,
      view: { size: view.size, newest: (i) => view.newest(i) },
      paused: this.frozen !== null,
      sincePause: this.sincePause,
      dropped: this.dropped,
      received: this.received,
      pending: this.isPending(),
    });
  }
}
