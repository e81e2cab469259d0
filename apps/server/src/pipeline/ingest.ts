/**
 * The pipeline's spine, in the direction data flows: a source's bytes → decode → events → state (routers,
 * peers, rates) → the fan-out. It implements `Ingest` for the sources, counts what came in and what failed
 * (by source and error code, for /metrics), and never lets one bad message stop the stream.
 */
import { ANNOUNCE, BmpError, type PeerDown, type PeerUp } from '@bmpwatch/bmp';
import type { FastifyBaseLogger } from 'fastify';
import { LogLimiter } from '../lib/log-limiter.ts';
import type { RouteUpdate } from '../model/events.ts';
import { type Peer, type PeerEventJson, PeerTable } from '../state/peers.ts';
import { epochSecond, RateSeries } from '../state/rates.ts';
import { type RouterEventJson, type RouterState, RouterTable } from '../state/routers.ts';
import { type Decoded, decodeBmpMessage, type OpenBmpDecoder, type RouterConnection } from './decode.ts';
import type { PipelineEvent, ScannedRoutes } from './events.ts';

/** Where events go after state has been updated (the fan-out hub). */
export interface EventSink {
  routes(update: RouteUpdate, router: RouterState, peer: Peer): void;
  /** The fast-path form of `routes`: the sink calls `scanned.full()` if it needs the attributes. */
  scanned(scanned: ScannedRoutes, router: RouterState, peer: Peer): void;
  /** Whether Route Monitoring should be scanned (fast path) rather than fully decoded right away. */
  readonly prefersScan: boolean;
  /** `bmp`: the Peer Up / Peer Down message behind the event, null for state inferred from other messages. */
  peer(ev: PeerEventJson, bmp: PeerUp | PeerDown | null): void;
  router(ev: RouterEventJson): void;
}

/** What sources call; implemented by the pipeline. Every call is synchronous and never throws. */
export interface Ingest {
  /** A router connected (or a file/demo router started): it is up. */
  connected(conn: RouterConnection, reason?: string): void;
  /** One whole raw BMP message from a router connection. */
  bmp(conn: RouterConnection, bytes: Uint8Array): void;
  /** One whole OpenBMP raw_bmp message (router identity is in its header). */
  openBmp(decoder: OpenBmpDecoder, bytes: Uint8Array): void;
  /** The connection ended: the router is down and its peers' state is unknown. */
  disconnected(conn: RouterConnection, reason: string): void;
  /** Bytes that could not be framed as messages (garbage on a TCP stream, a truncated file). */
  malformed(sourceId: string, err: BmpError, where: string): void;
}

export class SourceCounters {
  messages = 0;
  bytes = 0;
  errors = 0;
  /** When the first and the latest message arrived (ms since the epoch; 0: none yet). */
  firstMessageAt = 0;
  lastMessageAt = 0;
  readonly errorsByCode = new Map<string, number>();

  countError(code: string): void {
    this.errors++;
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }
}

export class Pipeline implements Ingest {
  readonly routers = new RouterTable();
  readonly peers = new PeerTable();
  /** Announcements / withdrawals per second, all routers. */
  readonly global = new RateSeries();
  /** Messages / bytes in per second, all sources. */
  readonly ingest = new RateSeries();
  readonly counters = new Map<string, SourceCounters>();
  /** Route events (prefixes) produced, by kind. */
  announcements = 0;
  withdrawals = 0;
  private readonly openConnections = new Map<string, number>();
  private readonly decoders = new Set<OpenBmpDecoder>();
  private readonly logLimiter: LogLimiter;

  constructor(
    private readonly out: EventSink,
    log: FastifyBaseLogger,
    private readonly clock: () => number = Date.now,
  ) {
    this.logLimiter = new LogLimiter(log);
  }

  private countersFor(sourceId: string): SourceCounters {
    let c = this.counters.get(sourceId);
    if (c === undefined) {
      c = new SourceCounters();
      this.counters.set(sourceId, c);
    }
    return c;
  }

  // ---- Ingest: what sources call ----

  connected(conn: RouterConnection, reason = 'connected'): void {
    const ref = conn.ref;
    this.openConnections.set(ref.id, (this.openConnections.get(ref.id) ?? 0) + 1);
    this.out.router(this.routers.up(ref, this.clock() / 1000, reason));
  }

  bmp(conn: RouterConnection, bytes: Uint8Array): void {
    const now = this.clock();
    this.received(conn.ref.sourceId, bytes.length, now);
    this.handle(
      conn.ref.sourceId,
      decodeBmpMessage(conn, bytes, now / 1000, this.out.prefersScan),
      now,
      conn.ref.id,
    );
  }

  openBmp(decoder: OpenBmpDecoder, bytes: Uint8Array): void {
    const now = this.clock();
    this.decoders.add(decoder);
    this.received(decoder.sourceId, bytes.length, now);
    this.handle(decoder.sourceId, decoder.decode(bytes, now / 1000, this.out.prefersScan), now, null);
  }

  disconnected(conn: RouterConnection, reason: string): void {
    const id = conn.ref.id;
    const open = (this.openConnections.get(id) ?? 1) - 1;
    if (open > 0) {
      // Another connection from the same address is still up (a router reconnected before the old one closed).
      this.openConnections.set(id, open);
      return;
    }
    this.openConnections.delete(id);
    this.routerGone(id, this.clock() / 1000, reason);
  }

  malformed(sourceId: string, err: BmpError, where: string): void {
    this.countersFor(sourceId).countError(err.code);
    this.logLimiter.warn(
      `${sourceId} ${err.code}`,
      { source: sourceId, code: err.code, offset: err.offset, where },
      `skipped malformed input from ${where}: ${err.message}`,
    );
  }

  // ---- internals ----

  private received(sourceId: string, bytes: number, now: number): void {
    const c = this.countersFor(sourceId);
    if (c.messages++ === 0) c.firstMessageAt = now;
    c.lastMessageAt = now;
    c.bytes += bytes;
    this.ingest.add(epochSecond(now), 1, bytes);
  }

  private handle(sourceId: string, d: Decoded, now: number, routerId: string | null): void {
    if (d instanceof BmpError) {
      this.malformed(sourceId, d, routerId === null ? sourceId : `router ${routerId}`);
      return;
    }
    if (d.event !== null) this.apply(d.event, now);
  }

  private apply(ev: PipelineEvent, nowMs: number): void {
    const now = nowMs / 1000;
    switch (ev.type) {
      case 'scanned': {
        const router = this.touchRouter(ev, now);
        const peer = this.peers.scannedPeer(router, ev.scan, ev.buffer);
        if (peer === null || peer.state !== 'up') {
          // A new peer, or one coming back: the full message says who it is (and the state change).
          const full = ev.full();
          if (full instanceof BmpError) this.malformed(ev.router.sourceId, full, `router ${ev.router.id}`);
          else this.apply(full, nowMs);
          return;
        }
        const scan = ev.scan;
        let a = 0;
        for (let i = 0; i < scan.count; i++) if (scan.kind[i] === ANNOUNCE) a++;
        const w = scan.count - a;
        if (scan.count === 0) return; // End-of-RIB markers and empty updates
        this.count(router, peer, a, w, nowMs);
        this.out.scanned(ev, router, peer);
        return;
      }
      case 'routes': {
        const router = this.touchRouter(ev, now);
        const { peer, event } = this.peers.touch(router, ev.peer, now);
        if (event !== null) this.out.peer(event, null);
        const a = ev.announceCount;
        const w = ev.withdrawCount;
        if (a === 0 && w === 0) return; // End-of-RIB markers and empty updates
        this.count(router, peer, a, w, nowMs);
        this.out.routes(ev, router, peer);
        return;
      }
      case 'peer_up': {
        const router = this.touchRouter(ev, now);
        this.out.peer(this.peers.up(router, ev.peer, ev.ts, ev.open), ev.msg);
        return;
      }
      case 'peer_down': {
        const router = this.touchRouter(ev, now);
        this.out.peer(this.peers.down(router, ev.peer, ev.ts, ev.reason), ev.msg);
        return;
      }
      case 'stats': {
        const router = this.touchRouter(ev, now);
        const { peer, event } = this.peers.touch(router, ev.peer, now);
        if (event !== null) this.out.peer(event, null);
        if (ev.adjRibIn !== null) peer.adjRibIn = ev.adjRibIn;
        return;
      }
      case 'router_up':
        this.out.router(this.routers.up(ev.router, now, ev.reason, ev.name, ev.descr));
        return;
      case 'router_down':
        this.routerGone(ev.router.id, now, ev.reason);
        for (const d of this.decoders) d.forget(ev.router.id);
        return;
    }
  }

  /** Announcements and withdrawals (prefixes) into the counters and per-second rates. */
  private count(router: RouterState, peer: Peer, a: number, w: number, nowMs: number): void {
    peer.announcements += a;
    peer.withdrawals += w;
    this.announcements += a;
    this.withdrawals += w;
    const sec = epochSecond(nowMs);
    this.global.add(sec, a, w);
    router.rates.add(sec, a, w);
    peer.rates.add(sec, a, w);
  }

  private touchRouter(ev: { router: RouteUpdate['router'] }, now: number): RouterState {
    const { router, event } = this.routers.touch(ev.router, now);
    if (event !== null) this.out.router(event);
    return router;
  }

  private routerGone(id: string, now: number, reason: string): void {
    const ev = this.routers.down(id, now, reason);
    if (ev === null) return;
    this.out.router(ev);
    for (const p of this.peers.unknownForRouter(id, now, `router down: ${reason}`)) this.out.peer(p, null);
  }
}
