// The monitored network as the server reports it, and the only writer of $routers, $peers,
// $sources and $loaded: set from each hello's snapshot, updated by router and peer events (queued
// as frames arrive, applied on flush) and refreshed from the HTTP polls, which carry what events
// do not (Adj-RIB-In sizes, counters, source status).
import type { HelloFrame, Peer, PeerEvent, Router, RouterEvent, Source } from '../api-types.ts';
import { $loaded, $peers, $routers, $sources } from '../stores.ts';

export type Snapshot = HelloFrame['snapshot'];

export class NetworkState {
  private pendingPeerEvents: PeerEvent[] = [];
  private pendingRouterEvents: RouterEvent[] = [];
  /** Asks for an HTTP refresh (after a router went down). */
  private readonly refresh: () => void;

  constructor(refresh: () => void) {
    this.refresh = refresh;
  }

  /** Replaces routers, peers and sources with a hello's snapshot. */
  applySnapshot(snap: Snapshot): void {
    $routers.set(new Map((snap.routers ?? []).map((r) => [r.id, r])));
    $peers.set(new Map((snap.peers ?? []).map((p) => [p.key, p])));
    $sources.set(snap.sources ?? []);
  }

  /** The first snapshot has been applied in full. */
  markLoaded(): void {
    $loaded.set(true);
  }

  /** Queues peer and router events for the next flush. */
  addPeerEvents(events: readonly PeerEvent[]): void {
    for (const ev of events) this.pendingPeerEvents.push(ev);
  }

  addRouterEvents(events: readonly RouterEvent[]): void {
    for (const ev of events) this.pendingRouterEvents.push(ev);
  }

  flush(): void {
    if (this.pendingPeerEvents.length) this.applyPeerEvents();
    if (this.pendingRouterEvents.length) this.applyRouterEvents();
  }

  private applyPeerEvents(): void {
    const events = this.pendingPeerEvents;
    this.pendingPeerEvents = [];
    const peers = new Map($peers.get());
    for (const ev of events) if (ev.peer?.key) peers.set(ev.peer.key, ev.peer);
    $peers.set(peers);
  }

  private applyRouterEvents(): void {
    const events = this.pendingRouterEvents;
    this.pendingRouterEvents = [];
    const routers = new Map($routers.get());
    for (const ev of events) if (ev.router?.id) routers.set(ev.router.id, ev.router);
    $routers.set(routers);
    // A router that went away takes its peers' state with it; the server sends the peers too,
    // but refresh from HTTP in case this filter keeps peer events out.
    if (events.some((e) => e.kind === 'router_down')) this.refresh();
  }

  /** Peers from GET /api/peers; an event newer than the poll wins over it. */
  applyPolledPeers(list: readonly Peer[]): void {
    const cur = $peers.get();
    const next = new Map<string, Peer>();
    for (const p of list) {
      if (!p?.key) continue;
      const old = cur.get(p.key);
      next.set(p.key, old && old.since > p.since ? old : p);
    }
    $peers.set(next);
  }

  applyPolledRouters(list: readonly Router[]): void {
    $routers.set(new Map(list.filter((r) => r?.id).map((r): [string, Router] => [r.id, r])));
  }

  /** Sources from GET /api/health; an empty list is ignored (a server that does not list them). */
  applyPolledSources(list: Source[]): void {
    if (list.length > 0) $sources.set(list);
  }
}
