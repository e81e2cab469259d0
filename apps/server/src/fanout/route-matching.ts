/**
 * Matching route events to subscribed clients: full route updates and scanned messages are matched through the
 * subscription index, serialized once and queued to every client that wants them, and the route memory learns
 * from them so that withdrawals can be judged by origin/path filters. This is the hot path, kept apart from
 * client bookkeeping and timers; it allocates nothing per event beyond the frames it queues.
 */
import { ANNOUNCE, BmpError, originAsn, type PathHop, pathHops } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';
import type { ScannedRoutes } from '../pipeline/events.ts';
import { PrefixKey, parseKey, scannedKey } from '../prefix/prefix-key.ts';
import type { Peer } from '../state/peers.ts';
import type { RouterState } from '../state/routers.ts';
import type { Client } from './client.ts';
import { RouteMemory } from './route-memory.ts';
import type { ScanPolicy } from './scan-policy.ts';
import { announceTailJson, routeContextJson, routeEventJson } from './serialize.ts';
import type { RouteMatchInput, SubscriptionIndex } from './subscriptions.ts';

/** The path kept for a remembered route when no filter waiting for withdrawals looks at paths. */
const NO_HOPS: PathHop[] = [];

export class RouteMatcher {
  /**
   * Announcements that a client with an origin or path filter (a "watcher", see the index) would want withdrawn
   * are remembered, so that the withdrawal, which carries no path, can be matched against them.
   */
  readonly memory = new RouteMemory();
  /** Route events queued to clients (one per client per event). */
  routeEventsOut = 0;
  private readonly watchers: Client[] = [];
  /** Per prefix of a scanned message: whether watchers want it remembered (pass 1 → pass 2). */
  private watchWanted = new Uint8Array(64);
  /** The prefix being matched, as a key (parsed once, shared by matching and the route memory). */
  private readonly prefixKey = new PrefixKey();
  private readonly matched: Client[] = [];
  private readonly facts: RouteMatchInput = {
    kind: 'announce',
    key: null,
    prefix: '',
    originAsn: null,
    path: null,
    peerAsn: 0,
    peer: '',
    router: '',
    routerName: null,
    routerGroup: null,
  };

  constructor(
    private readonly index: SubscriptionIndex<Client>,
    private readonly scanPolicy: ScanPolicy,
  ) {}

  /** Forgets every remembered route once no client waits for withdrawals by origin or path. */
  trimMemory(): void {
    if (!this.index.hasWatchers) this.memory.clear();
  }

  /** A peer that went down (or out of sight) took its routes with it. */
  peerGone(peerKey: string): void {
    if (this.memory.size > 0) this.memory.dropPeer(peerKey);
  }

  routes(u: RouteUpdate, router: RouterState, peer: Peer): void {
    this.scanPolicy.fullDecode();
    if (this.index.size === 0) return;
    const f = this.facts;
    f.peerAsn = u.peer.asn;
    f.peer = u.peer.address;
    f.router = router.id;
    f.routerName = router.name;
    f.routerGroup = router.ref.group;
    let context: string | null = null;
    const out = this.matched;
    const memory = this.memory;
    const key = this.prefixKey;

    f.kind = 'withdraw';
    for (const g of u.withdrawn) {
      for (let i = 0; i < g.prefixes.length; i++) {
        f.prefix = g.prefixes[i];
        f.key = parseKey(f.prefix, key) ? key : null;
        const pathId = g.pathIds ? g.pathIds[i] : null;
        // A withdrawal has no path of its own; the remembered announcement lends it one for origin/path filters.
        const remembered = memory.size > 0 && f.key !== null ? memory.take(peer.key, key, pathId) : undefined;
        f.originAsn = remembered === undefined ? null : remembered.origin;
        f.path = remembered === undefined ? null : remembered.hops;
        out.length = 0;
        this.index.match(f, out);
        if (out.length === 0) continue;
        context ??= routeContextJson(u);
        this.deliver(out, routeEventJson('withdraw', u.ts, context, pathId, f.prefix, ''));
      }
    }
    if (u.announced.length === 0 || u.attributes === null) {
      f.key = null;
      return;
    }

    const attrs = u.attributes;
    f.originAsn = originAsn(attrs.asPath);
    const watchers = this.index.hasWatchers ? this.watchers : null;
    // Paths are only flattened when something needs them: a path filter, or a match to serialize.
    let hops: PathHop[] | null = null;
    if (this.index.needsPath) hops = pathHops(attrs.asPath);
    f.path = hops;
    f.kind = 'announce';
    for (const g of u.announced) {
      let tail: string | null = null;
      for (let i = 0; i < g.prefixes.length; i++) {
        f.prefix = g.prefixes[i];
        f.key = parseKey(f.prefix, key) ? key : null;
        const pathId = g.pathIds ? g.pathIds[i] : null;
        out.length = 0;
        if (watchers !== null) watchers.length = 0;
        this.index.match(f, out, watchers);
        if (watchers !== null && f.key !== null) this.rememberFor(watchers, peer.key, key, pathId, hops);
        if (out.length === 0) continue;
        context ??= routeContextJson(u);
        hops ??= pathHops(attrs.asPath);
        tail ??= announceTailJson(attrs, hops, f.originAsn, g.nextHop);
        this.deliver(out, routeEventJson('announce', u.ts, context, pathId, f.prefix, tail));
      }
    }
    f.key = null;
  }

  /**
   * The fast path: a scanned message is matched on numbers; only when some client wants one of its routes (or a
   * path filter needs the AS path) is the message decoded in full and handed to `routes`. Otherwise it is
   * done here, keeping the route memory up to date, without a single string or attribute object.
   */
  scanned(ev: ScannedRoutes, router: RouterState, peer: Peer): void {
    if (this.index.size === 0) return;
    if (this.index.needsPath) {
      this.scannedInFull(ev, router, peer);
      return;
    }
    const scan = ev.scan;
    const f = this.facts;
    const key = this.prefixKey;
    const memory = this.memory;
    const out = this.matched;
    const watchers = this.index.hasWatchers ? this.watchers : null;
    if (this.watchWanted.length < scan.count) this.watchWanted = new Uint8Array(scan.count * 2);
    const wanted = this.watchWanted;
    const origin = scan.originAsn < 0 ? null : scan.originAsn;
    f.peerAsn = scan.peerAsn;
    f.peer = peer.address;
    f.router = router.id;
    f.routerName = router.name;
    f.routerGroup = router.ref.group;
    f.path = null;
    f.prefix = '';
    f.key = key;
    // Pass 1, no side effects: does any client want any of these routes (and which would watchers remember)?
    for (let j = 0; j < scan.count; j++) {
      scannedKey(key, scan, j);
      out.length = 0;
      if (scan.kind[j] === ANNOUNCE) {
        f.kind = 'announce';
        f.originAsn = origin;
        if (watchers !== null) watchers.length = 0;
        this.index.match(f, out, watchers);
        wanted[j] = watchers !== null && watchers.length > 0 ? 1 : 0;
      } else {
        f.kind = 'withdraw';
        f.originAsn = memory.size > 0 ? (memory.peek(peer.key, key, scan.pathId[j])?.origin ?? null) : null;
        this.index.match(f, out);
      }
      if (out.length > 0) {
        f.key = null;
        this.scanPolicy.scanOutcome(true);
        this.scannedInFull(ev, router, peer);
        return;
      }
    }
    this.scanPolicy.scanOutcome(false);
    // Pass 2: nobody wants them; only the route memory learns from them.
    if (watchers !== null || memory.size > 0) {
      for (let j = 0; j < scan.count; j++) {
        scannedKey(key, scan, j);
        const pathId = scan.pathId[j];
        if (scan.kind[j] !== ANNOUNCE) {
          if (memory.size > 0) memory.take(peer.key, key, pathId);
        } else if (wanted[j] === 1) memory.remember(peer.key, key, pathId, { origin, hops: NO_HOPS });
        else if (memory.size > 0) memory.forget(peer.key, key, pathId);
      }
    }
    f.key = null;
  }

  private scannedInFull(ev: ScannedRoutes, router: RouterState, peer: Peer): void {
    const full = ev.full();
    // The scan and the full decoder agree on what is malformed, so this does not fail after a good scan.
    if (!(full instanceof BmpError)) this.routes(full, router, peer);
  }

  /**
   * After matching an announcement: remembers it if watchers would want its withdrawal, else forgets an older
   * announcement of the same route. `hops` is null when no watcher looks at paths (only the origin is kept).
   */
  private rememberFor(
    watchers: Client[],
    peerKey: string,
    key: PrefixKey,
    pathId: number | null,
    hops: PathHop[] | null,
  ): void {
    if (watchers.length > 0) {
      const path = this.index.watchersNeedPath ? (hops ?? NO_HOPS) : NO_HOPS;
      this.memory.remember(peerKey, key, pathId, { origin: this.facts.originAsn, hops: path });
    } else if (this.memory.size > 0) this.memory.forget(peerKey, key, pathId);
  }

  /** Encodes the event once and queues the same bytes for every matching client. */
  private deliver(clients: Client[], json: string): void {
    const bytes = Buffer.from(json);
    for (let i = 0; i < clients.length; i++) clients[i].enqueueRoute(bytes);
    this.routeEventsOut += clients.length;
  }
}
