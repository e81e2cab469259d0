// The dashboard's single WebSocket (/api/ws, docs/websocket.md) and the only writer of the live
// stores. Frames are parsed as they arrive but applied to the stores at most once per animation
// frame (or once a second while the tab is hidden), so a burst of batches costs one render.
// Reconnects with exponential backoff; HTTP polls refresh what the socket does not push
// (Adj-RIB-In sizes and counters, source status).
import { accessToken, withToken } from './access-token.ts';
import { fetchPeers, fetchRouters, fetchSources } from './api.ts';
import type {
  BatchFrame,
  HelloFrame,
  Peer,
  PeerEvent,
  RatesFrame,
  RouteEvent,
  Router,
  RouterEvent,
  ServerFrame,
} from './api-types.ts';
import { Backoff } from './backoff.ts';
import { isEmptyFilter, toApiFilter, wantsRoutes } from './filter.ts';
import { Ring } from './ring.ts';
import { compileMatcher, type RouteMatcher } from './route-match.ts';
import {
  $connection,
  $feed,
  $filter,
  $loaded,
  $peers,
  $peerTimeline,
  $rates,
  $routers,
  $serverError,
  $sources,
  $talkers,
  $view,
  type ConnState,
  FEED_CAP,
  type FeedRow,
  rateHistory,
  TIMELINE_CAP,
  type TimelineEntry,
} from './stores.ts';
import { WindowCounter } from './window-counter.ts';

/** The server ticks rates every second: this long without any frame means the link is dead. */
const SILENCE_MS = 10_000;
const PING_MS = 15_000;
const POLL_MS = 10_000;
/** After this many failed attempts in a row the state shows "offline" (retries go on). */
const OFFLINE_AFTER = 4;
/** If the server never confirms a subscription, accept route events after this long anyway. */
const SUBSCRIBE_TIMEOUT_MS = 3_000;
const TALKERS_EVERY_MS = 1_000;
const TOP_N = 7;

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return withToken(`${proto}//${location.host}/api/ws`, accessToken());
}

const nowSec = () => Date.now() / 1000;

class LiveConnection {
  private ws: WebSocket | null = null;
  private readonly backoff = new Backoff();
  private everConnected = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private lastPingAt = 0;
  private subCounter = 0;
  private awaitingSub: string | null = null;
  private awaitingSince = 0;
  /** Client-side re-check of route events (null: no filter); see route-match.ts. */
  private matcher: RouteMatcher | null = null;

  // Pending work, applied by flush().
  private pendingRoutes: RouteEvent[] = [];
  private pendingPeerEvents: PeerEvent[] = [];
  private pendingRouterEvents: RouterEvent[] = [];
  private pendingDropped = 0;
  private ratesDirty = false;
  private flushScheduled = false;

  private readonly live = new Ring<FeedRow>(FEED_CAP);
  private frozen: Ring<FeedRow> | null = null;
  private seq = 0;
  private timelineSeq = 0;
  private received = 0;
  private sincePause = 0;
  private dropped = 0;
  private readonly talkers = {
    prefixes: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
    peers: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
    origins: new WindowCounter({ windowSec: 300, maxWindowSec: 900 }),
  };
  private lastTalkersAt = 0;
  private readonly unsubs: (() => void)[] = [];

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.compileFilter();
    this.unsubs.push(
      $filter.listen(() => this.onFilterChanged()),
      $view.subscribe((v) => {
        const w = v.windowMin * 60;
        if (this.talkers.prefixes.windowSec !== w) {
          const n = nowSec();
          for (const c of Object.values(this.talkers)) c.setWindow(w, n);
          this.publishTalkers(true);
        }
      }),
    );
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.healthTimer = setInterval(() => this.checkHealth(), 1_000);
    this.pollTimer = setInterval(() => this.poll(), POLL_MS);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubs.splice(0)) u();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retryTimer = this.healthTimer = this.pollTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  retryNow(): void {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  setPaused(paused: boolean): void {
    const f = $feed.get();
    if (f.paused === paused) return;
    if (paused) {
      const copy = new Ring<FeedRow>(FEED_CAP);
      copy.pushAll(this.live.toArray());
      this.frozen = copy;
    } else {
      this.frozen = null;
    }
    this.sincePause = 0;
    this.publishFeed(paused);
  }

  // --- connection -------------------------------------------------------------------------------

  private setState(state: ConnState, extra: Partial<ReturnType<typeof $connection.get>> = {}): void {
    $connection.set({ ...$connection.get(), state, ...extra });
  }

  private connect(): void {
    if (this.stopped) return;
    const attempt = this.backoff.attempt;
    if (!this.everConnected && attempt === 0) this.setState('connecting', { retryAt: null, attempt });
    else this.setState(this.isOffline() ? 'offline' : 'reconnecting', { retryAt: null, attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(wsUrl());
    } catch (err) {
      this.onClosed(String(err));
      return;
    }
    this.ws = ws;
    this.lastFrameAt = Date.now();
    ws.onmessage = (ev) => this.onFrame(ev.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onClosed(ev.reason || `connection closed (code ${ev.code})`);
    };
    ws.onerror = () => {
      // onclose follows with the details the browser is willing to give.
    };
  }

  private isOffline(): boolean {
    return (
      (typeof navigator !== 'undefined' && navigator.onLine === false) ||
      this.backoff.attempt >= OFFLINE_AFTER
    );
  }

  private onClosed(reason: string): void {
    if (this.stopped) return;
    const delay = this.backoff.next();
    this.setState(this.isOffline() ? 'offline' : 'reconnecting', {
      attempt: this.backoff.attempt,
      retryAt: Date.now() + delay,
      lastError: reason,
    });
    this.awaitingSub = null;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private readonly onOnline = () => this.retryNow();
  private readonly onOffline = () => {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) this.setState('offline');
  };
  private readonly onVisibility = () => {
    if (!document.hidden) {
      this.scheduleFlush();
      this.poll();
    }
  };

  /** Once a second: ping, and drop a link that has gone silent. */
  private checkHealth(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    if (now - this.lastFrameAt > SILENCE_MS) {
      this.ws = null;
      ws.onclose = null;
      ws.close();
      this.onClosed('no data from the server for 10 s');
      return;
    }
    if (now - this.lastPingAt > PING_MS) {
      this.lastPingAt = now;
      this.send({ type: 'ping' });
    }
    if (this.awaitingSub && now - this.awaitingSince > SUBSCRIBE_TIMEOUT_MS) {
      this.awaitingSub = null;
      this.publishFeed();
    }
  }

  private send(msg: unknown): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private subscribe(): void {
    const filter = $filter.get();
    const id = `f${++this.subCounter}`;
    this.awaitingSub = id;
    this.awaitingSince = Date.now();
    if (wantsRoutes(filter) || filter.kinds.length > 0)
      this.send({ type: 'subscribe', id, filter: toApiFilter(filter) });
  }

  private compileFilter(): void {
    const f = $filter.get();
    this.matcher = isEmptyFilter(f)
      ? null
      : compileMatcher(f, (id) => {
          const r = $routers.get().get(id);
          return r === undefined ? [] : [r.name, r.group];
        });
  }

  private onFilterChanged(): void {
    this.compileFilter();
    this.live.clear();
    // A new filter starts a new feed, live (a paused old one would only show stale rows).
    this.frozen = null;
    this.pendingRoutes = [];
    this.received = 0;
    this.sincePause = 0;
    this.dropped = 0;
    for (const c of Object.values(this.talkers)) c.clear();
    $serverError.set(null);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.subscribe();
    this.publishFeed();
    this.publishTalkers(true);
  }

  // --- frames -----------------------------------------------------------------------------------

  private onFrame(data: unknown): void {
    this.lastFrameAt = Date.now();
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'hello':
        this.onHello(frame);
        break;
      case 'subscribed':
        if (frame.id === this.awaitingSub) {
          this.awaitingSub = null;
          this.scheduleFlush();
        }
        break;
      case 'batch':
        this.onBatch(frame);
        break;
      case 'rates':
        this.onRates(frame);
        break;
      case 'dropped':
        this.pendingDropped += frame.count;
        this.scheduleFlush();
        break;
      case 'error':
        if (frame.id !== undefined && frame.id === this.awaitingSub) this.awaitingSub = null;
        $serverError.set(frame);
        this.scheduleFlush();
        break;
      default:
        break;
    }
  }

  private onHello(frame: HelloFrame): void {
    const snap = frame.snapshot ?? {
      routers: [],
      peers: [],
      sources: [],
      rates: { interval_s: 1, series: [] },
    };
    this.backoff.reset();
    this.everConnected = true;
    this.setState('live', {
      attempt: 0,
      retryAt: null,
      lastError: null,
      server: { name: frame.server, version: frame.version },
    });
    $routers.set(new Map((snap.routers ?? []).map((r) => [r.id, r])));
    const peers = new Map((snap.peers ?? []).map((p) => [p.key, p]));
    $peers.set(peers);
    $sources.set(snap.sources ?? []);
    for (const p of snap.rates?.series ?? []) rateHistory.global.set(p.t, p.a, p.w);
    const last = snap.rates?.series?.at(-1);
    if (!$loaded.get()) this.seedTimeline(peers);
    $rates.set({
      ...$rates.get(),
      version: $rates.get().version + 1,
      t: last ? last.t : Math.floor(nowSec()),
      global: last ? { a: last.a, w: last.w } : { a: 0, w: 0 },
    });
    $loaded.set(true);
    this.subscribe();
  }

  /** Peers already down at connect time get a timeline entry from their `since` and reason. */
  private seedTimeline(peers: ReadonlyMap<string, Peer>): void {
    const seeded: TimelineEntry[] = [];
    for (const p of peers.values()) {
      if (p.state === 'up') continue;
      seeded.push({
        seq: ++this.timelineSeq,
        ts: p.since,
        kind: p.state === 'down' ? 'peer_down' : 'peer_unknown',
        peer: p,
        reason: p.last_down_reason,
        fromSnapshot: true,
      });
    }
    seeded.sort((a, b) => b.ts - a.ts);
    $peerTimeline.set(seeded.slice(0, TIMELINE_CAP));
  }

  private onBatch(frame: BatchFrame): void {
    if (frame.routes?.length && !this.awaitingSub) {
      // Events already on their way under a previous filter can follow the confirmation: re-check.
      const match = this.matcher;
      if (match) {
        for (const r of frame.routes) if (match(r)) this.pendingRoutes.push(r);
      } else {
        for (const r of frame.routes) this.pendingRoutes.push(r);
      }
    }
    if (frame.peers?.length) for (const p of frame.peers) this.pendingPeerEvents.push(p);
    if (frame.routers?.length) for (const r of frame.routers) this.pendingRouterEvents.push(r);
    this.scheduleFlush();
  }

  private onRates(frame: RatesFrame): void {
    const t = frame.t;
    if (frame.global) rateHistory.global.set(t, frame.global.a, frame.global.w);
    if (frame.routers)
      for (const [k, v] of Object.entries(frame.routers)) rateHistory.routers.set(k, t, v.a, v.w);
    if (frame.peers) for (const [k, v] of Object.entries(frame.peers)) rateHistory.peers.set(k, t, v.a, v.w);
    const prev = $rates.get();
    this.nextRates = {
      version: prev.version + 1,
      t,
      global: frame.global ?? { a: 0, w: 0 },
      ingest: frame.ingest ?? prev.ingest,
    };
    this.ratesDirty = true;
    this.scheduleFlush();
  }

  private nextRates: ReturnType<typeof $rates.get> | null = null;

  // --- flushing into the stores -----------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (typeof document !== 'undefined' && document.hidden) setTimeout(() => this.flush(), 1_000);
    else requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const now = nowSec();
    let feedChanged = false;
    if (this.pendingRoutes.length) {
      const routes = this.pendingRoutes;
      this.pendingRoutes = [];
      for (const r of routes) {
        (r as FeedRow).seq = ++this.seq;
        this.talkers.prefixes.add(r.prefix, now);
        this.talkers.peers.add(`${r.router}|${r.peer}`, now);
        if (r.origin_asn !== null && r.origin_asn !== undefined)
          this.talkers.origins.add(String(r.origin_asn), now);
      }
      this.live.pushAll(routes as FeedRow[]);
      this.received += routes.length;
      if (this.frozen) this.sincePause += routes.length;
      feedChanged = true;
    }
    if (this.pendingDropped) {
      this.dropped += this.pendingDropped;
      this.pendingDropped = 0;
      feedChanged = true;
    }
    if (feedChanged || $feed.get().pending !== (this.awaitingSub !== null)) this.publishFeed();
    if (this.pendingPeerEvents.length) this.applyPeerEvents();
    if (this.pendingRouterEvents.length) this.applyRouterEvents();
    if (this.ratesDirty && this.nextRates) {
      this.ratesDirty = false;
      $rates.set(this.nextRates);
    }
    if (Date.now() - this.lastTalkersAt >= TALKERS_EVERY_MS) this.publishTalkers(false);
  }

  private publishFeed(paused = this.frozen !== null): void {
    const view = this.frozen ?? this.live;
    $feed.set({
      version: $feed.get().version + 1,
      view: { size: view.size, newest: (i) => view.newest(i) },
      paused,
      sincePause: this.sincePause,
      dropped: this.dropped,
      received: this.received,
      pending: this.awaitingSub !== null,
    });
  }

  private publishTalkers(force: boolean): void {
    if (!force && typeof document !== 'undefined' && document.hidden) return;
    this.lastTalkersAt = Date.now();
    const now = nowSec();
    const { prefixes, peers, origins } = this.talkers;
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

  private applyPeerEvents(): void {
    const events = this.pendingPeerEvents;
    this.pendingPeerEvents = [];
    const peers = new Map($peers.get());
    const entries: TimelineEntry[] = [];
    for (const ev of events) {
      if (!ev.peer?.key) continue;
      peers.set(ev.peer.key, ev.peer);
      entries.push({
        seq: ++this.timelineSeq,
        ts: ev.ts,
        kind: ev.kind,
        peer: ev.peer,
        reason: ev.reason,
        fromSnapshot: false,
      });
    }
    $peers.set(peers);
    entries.reverse();
    $peerTimeline.set([...entries, ...$peerTimeline.get()].slice(0, TIMELINE_CAP));
  }

  private applyRouterEvents(): void {
    const events = this.pendingRouterEvents;
    this.pendingRouterEvents = [];
    const routers = new Map($routers.get());
    for (const ev of events) if (ev.router?.id) routers.set(ev.router.id, ev.router);
    $routers.set(routers);
    // A router that went away takes its peers' state with it; the server sends the peers too,
    // but refresh from HTTP in case this filter keeps peer events out.
    if (events.some((e) => e.kind === 'router_down')) void this.poll();
  }

  /** HTTP refresh of peers (counters, Adj-RIB-In), routers and sources; only while visible. */
  private async poll(): Promise<void> {
    if (
      this.stopped ||
      (typeof document !== 'undefined' && document.hidden) ||
      $connection.get().state !== 'live'
    ) {
      return;
    }
    const [peers, routers, sources] = await Promise.allSettled([
      fetchPeers(),
      fetchRouters(),
      fetchSources(),
    ]);
    if (peers.status === 'fulfilled' && peers.value) {
      const cur = $peers.get();
      const next = new Map<string, Peer>();
      for (const p of peers.value) {
        if (!p?.key) continue;
        const old = cur.get(p.key);
        // An event newer than the poll wins over it.
        next.set(p.key, old && old.since > p.since ? old : p);
      }
      $peers.set(next);
    }
    if (routers.status === 'fulfilled' && routers.value) {
      $routers.set(new Map(routers.value.filter((r) => r?.id).map((r): [string, Router] => [r.id, r])));
    }
    if (sources.status === 'fulfilled' && sources.value && sources.value.length > 0)
      $sources.set(sources.value);
  }
}

const connection = new LiveConnection();

/** Opens the connection (once); it reconnects by itself until stopSocket(). */
export function startSocket(): void {
  connection.start();
}

export function stopSocket(): void {
  connection.stop();
}

/** Skips the backoff wait and tries to connect now. */
export function retryNow(): void {
  connection.retryNow();
}

/** Freezes (or resumes) the live feed's list; events keep being received and counted. */
export function setFeedPaused(paused: boolean): void {
  connection.setPaused(paused);
}
