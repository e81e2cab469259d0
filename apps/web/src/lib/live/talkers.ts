// Top talkers, and the only writer of $talkers: the busiest prefixes, peers and origin ASNs among
// the matching route events over the chart's window (5 or 15 minutes). Events are counted on
// flush; the ranking is republished at most once a second, and not while the tab is hidden.
import type { RouteEvent } from '../api-types.ts';
import { $talkers } from '../stores.ts';
import { WindowCounter } from '../window-counter.ts';

const PUBLISH_EVERY_MS = 1_000;
const TOP_N = 7;

export class TopTalkers {
  private readonly counters = {
    prefixes: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
    peers: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
    origins: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
  };
  private pendingRoutes: RouteEvent[] = [];
  private lastPublishedAt = 0;

  /** `clock` in ms: the once-a-second publishing and the window's expiry run on it (tests give their own). */
  constructor(private readonly clock: () => number = Date.now) {}

  private nowSec(): number {
    return this.clock() / 1000;
  }

  /** Queues route events (already admitted by the subscription) for the next flush. */
  add(routes: readonly RouteEvent[]): void {
    for (const r of routes) this.pendingRoutes.push(r);
  }

  /** Changes the window (seconds) and republishes if it differs. */
  setWindow(windowSec: number): void {
    if (this.counters.prefixes.windowSec === windowSec) return;
    const n = this.nowSec();
    for (const c of Object.values(this.counters)) c.setWindow(windowSec, n);
    this.publish(true);
  }

  /** Forgets every count for a new filter and publishes the empty ranking. */
  restart(): void {
    this.pendingRoutes = [];
    for (const c of Object.values(this.counters)) c.clear();
    this.publish(true);
  }

  flush(now: number): void {
    if (this.pendingRoutes.length) {
      const routes = this.pendingRoutes;
      this.pendingRoutes = [];
      const { prefixes, peers, origins } = this.counters;
      for (const r of routes) {
        prefixes.add(r.prefix, now);
        peers.add(`${r.router}|${r.peer}`, now);
        if (r.origin_asn !== null && r.origin_asn !== undefined) origins.add(String(r.origin_asn), now);
      }
    }
    if (this.clock() - this.lastPublishedAt >= PUBLISH_EVERY_MS) this.publish(false);
  }

  /** Publishes the ranking; unless forced, not while the tab is hidden (no one sees it). */
  publish(force: boolean): void {
    if (!force && typeof document !== 'undefined' && document.hidden) return;
    this.lastPublishedAt = this.clock();
    const now = this.nowSec();
    const { prefixes, peers, origins } = this.counters;
    for (const c of [prefixes, peers, origins]) c.expire(now);
    $talkers.set({
      version: $talkers.get().version + 1,
      windowSec: prefixes.windowSec,
      prefixes: prefixes.top(TOP_N),
      peers: peers.top(TOP_N),
      origins: origins.top(TOP_N),
      count: prefixes.count,
    });
  }
}
