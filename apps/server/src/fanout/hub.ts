/**
 * The fan-out hub: receives events after the state update, finds the clients that want each one through the
 * subscription index, serializes each event once, and queues the same string for every matching client. Two
 * coarse shared timers drive the output: a batch flush every 100 ms and a rate tick every second.
 */
import { ANNOUNCE, BmpError, originAsn, type PathHop, pathHops } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';
import type { SourceJson } from '../model/source-status.ts';
import type { ScannedRoutes } from '../pipeline/events.ts';
import type { EventSink, Pipeline } from '../pipeline/ingest.ts';
import { PrefixKey, parseKey, scannedKey } from '../prefix/prefix-key.ts';
import type { Peer, PeerEventJson } from '../state/peers.ts';
import { epochSecond } from '../state/rates.ts';
import type { RouterEventJson, RouterState } from '../state/routers.ts';
import type { SocketLike } from '../ws/socket.ts';
import { Client, type ClientLimits, DEFAULT_CLIENT_LIMITS } from './client.ts';
import { type Filter, wantsPeerEvents } from './filter.ts';
import { API_VERSION } from './protocol.ts';
import { RouteMemory } from './route-memory.ts';
import { announceTailJson, routeContextJson, routeEventJson } from './serialize.ts';
import { type RouteMatchInput, SubscriptionIndex } from './subscriptions.ts';

export interface HubOptions {
  /** Batch interval (docs: at most one batch every 100 ms). */
  batchMs: number;
  limits: ClientLimits;
}

/** What the hub reads to build snapshots and rate ticks. */
export interface HubState {
  pipeline: Pipeline;
  sources(): SourceJson[];
}

export const SERVER_VERSION = '0.1.0';

/** Scanned messages per measurement of whether scanning pays, and full decodes before it is tried again. */
const SCAN_WINDOW = 4096;
const SCAN_RETRY = 200_000;

/** The path kept for a remembered route when no filter waiting for withdrawals looks at paths. */
const NO_HOPS: PathHop[] = [];

export class Hub implements EventSink {
  readonly clients = new Set<Client>();
  readonly index = new SubscriptionIndex<Client>();
  /**
   * Announcements that a client with an origin or path filter (a "watcher", see the index) would want withdrawn
   * are remembered, so that the withdrawal, which carries no path, can be matched against them.
   */
  readonly routeMemory = new RouteMemory();
  private readonly watchers: Client[] = [];
  /** Per prefix of a scanned message: whether watchers want it remembered (pass 1 → pass 2). */
  private watchWanted = new Uint8Array(64);
  /** The prefix being matched, as a key (parsed once, shared by matching and the route memory). */
  private readonly prefixKey = new PrefixKey();
  /** Route events queued to clients (one per client per event), frames sent, and drops of departed clients. */
  routeEventsOut = 0;
  /**
   * Whether the decoder's fast path pays: not while a path filter needs every AS path, nor while most scanned
   * messages end up fully decoded anyway (many wide filters). Measured per window of scanned messages; after
   * a while without scanning it is tried again, since filters and traffic change.
   */
  private scanPays = true;
  private windowScanned = 0;
  private windowFull = 0;
  private fullSinceScanOff = 0;
  peerEventsOut = 0;
  routerEventsOut = 0;
  private droppedByGone = 0;
  /** Clients closed for not reading within the stall limit. */
  slowClosed = 0;
  private nextId = 1;
  private state: HubState | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
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

  constructor(private readonly opts: HubOptions = { batchMs: 100, limits: DEFAULT_CLIENT_LIMITS }) {}

  attach(state: HubState): void {
    this.state = state;
  }

  start(): void {
    this.flushTimer ??= setInterval(() => this.flush(), this.opts.batchMs);
    this.flushTimer.unref();
    this.scheduleTick();
  }

  stop(): void {
    if (this.flushTimer !== null) clearInterval(this.flushTimer);
    if (this.tickTimer !== null) clearTimeout(this.tickTimer);
    this.flushTimer = null;
    this.tickTimer = null;
  }

  get droppedTotal(): number {
    let n = this.droppedByGone;
    for (const c of this.clients) n += c.droppedTotal;
    return n;
  }

  // ---- clients ----

  addClient(socket: SocketLike): Client {
    const c = new Client(this.nextId++, socket, this.opts.limits);
    this.clients.add(c);
    return c;
  }

  removeClient(c: Client): void {
    if (!this.clients.delete(c)) return;
    this.index.removeClient(c);
    if (!this.index.hasWatchers) this.routeMemory.clear();
    this.droppedByGone += c.droppedTotal;
    if (c.closedAsSlow) this.slowClosed++;
  }

  /** Replaces the client's filter; events queued under the old one are dropped (they might not match). */
  subscribe(c: Client, filter: Filter): void {
    c.filter = filter;
    c.discardForFilter(wantsPeerEvents(filter));
    this.index.add(c, filter);
    if (!this.index.hasWatchers) this.routeMemory.clear();
  }

  unsubscribe(c: Client): void {
    c.filter = null;
    c.discardForFilter(true);
    this.index.removeClient(c);
    if (!this.index.hasWatchers) this.routeMemory.clear();
  }

  /** The hello frame: snapshot of routers, peers, sources and the last 15 minutes of global rates. */
  helloFrame(): string {
    const s = this.requireState();
    const p = s.pipeline;
    const last = epochSecond() - 1;
    return JSON.stringify({
      v: API_VERSION,
      type: 'hello',
      server: 'bmpwatch',
      version: SERVER_VERSION,
      snapshot: {
        routers: p.routers.list(),
        peers: p.peers.list(),
        sources: s.sources(),
        rates: { interval_s: 1, series: p.global.series(last) },
      },
    });
  }

  // ---- EventSink ----

  get prefersScan(): boolean {
    return this.scanPays && !this.index.needsPath;
  }

  /** Bookkeeping for prefersScan, per scanned message. */
  private scanOutcome(full: boolean): void {
    this.windowScanned++;
    if (full) this.windowFull++;
    if (this.windowScanned < SCAN_WINDOW) return;
    this.scanPays = this.windowFull * 2 < this.windowScanned;
    this.windowScanned = 0;
    this.windowFull = 0;
    this.fullSinceScanOff = 0;
  }

  routes(u: RouteUpdate, router: RouterState, peer: Peer): void {
    if (!this.scanPays && ++this.fullSinceScanOff >= SCAN_RETRY) this.scanPays = true;
    if (this.index.size === 0) return;
    const f = this.facts;
    f.peerAsn = u.peer.asn;
    f.peer = u.peer.address;
    f.router = router.id;
    f.routerName = router.name;
    f.routerGroup = router.ref.group;
    let context: string | null = null;
    const out = this.matched;
    const memory = this.routeMemory;
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
    const memory = this.routeMemory;
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
        this.scanOutcome(true);
        this.scannedInFull(ev, router, peer);
        return;
      }
    }
    this.scanOutcome(false);
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
      this.routeMemory.remember(peerKey, key, pathId, { origin: this.facts.originAsn, hops: path });
    } else if (this.routeMemory.size > 0) this.routeMemory.forget(peerKey, key, pathId);
  }

  peer(ev: PeerEventJson): void {
    // A peer that went down (or out of sight) took its routes with it.
    if (ev.kind !== 'peer_up' && this.routeMemory.size > 0) this.routeMemory.dropPeer(ev.peer.key);
    if (this.clients.size === 0) return;
    const json = Buffer.from(JSON.stringify(ev));
    for (const c of this.clients) {
      if (!wantsPeerEvents(c.filter)) continue;
      c.enqueuePeer(json);
      this.peerEventsOut++;
    }
  }

  router(ev: RouterEventJson): void {
    if (this.clients.size === 0) return;
    const json = Buffer.from(JSON.stringify(ev));
    for (const c of this.clients) {
      c.enqueueRouter(json);
      this.routerEventsOut++;
    }
  }

  // ---- output timers ----

  /** Sends every client's queued events as one batch frame (skipping clients whose socket is backed up). */
  flush(): void {
    const t = Date.now() / 1000;
    for (const c of this.clients) c.flush(t);
  }

  /** The rates frame for second `sec`. */
  private ratesFrame(sec: number): string {
    const p = this.requireState().pipeline;
    const g = p.global.at(sec);
    let routers = '';
    for (const r of p.routers.list()) {
      const x = r.rates.at(sec);
      routers += (routers === '' ? '' : ',') + JSON.stringify(r.id) + ':{"a":' + x.a + ',"w":' + x.w + '}';
    }
    let peers = '';
    for (const peer of p.peers.list()) {
      const x = peer.rates.at(sec);
      if (x.a === 0 && x.w === 0) continue;
      peers += (peers === '' ? '' : ',') + JSON.stringify(peer.key) + ':{"a":' + x.a + ',"w":' + x.w + '}';
    }
    const ingest = p.ingest.at(sec);
    return (
      `{"v":${API_VERSION},"type":"rates","t":${sec},"global":{"a":${g.a},"w":${g.w}},` +
      `"routers":{${routers}},"peers":{${peers}},"ingest":{"messages":${ingest.a},"bytes":${ingest.w}}}`
    );
  }

  private tick(): void {
    if (this.tickTimer === null) return; // stopped
    if (this.clients.size > 0) {
      const frame = this.ratesFrame(epochSecond() - 1);
      for (const c of this.clients) c.sendIfWritable(frame);
    }
    this.scheduleTick();
  }

  /** Fires just after each wall-clock second ends, so the tick reports a complete second. */
  private scheduleTick(): void {
    const delay = 1000 - (Date.now() % 1000) + 5;
    this.tickTimer = setTimeout(() => this.tick(), delay);
    this.tickTimer.unref();
  }

  /** Encodes the event once and queues the same bytes for every matching client. */
  private deliver(clients: Client[], json: string): void {
    const bytes = Buffer.from(json);
    for (let i = 0; i < clients.length; i++) clients[i].enqueueRoute(bytes);
    this.routeEventsOut += clients.length;
  }

  private requireState(): HubState {
    if (this.state === null) throw new Error('hub used before attach()');
    return this.state;
  }
}
