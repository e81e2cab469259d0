/**
 * The fan-out hub, the coordinator the rest of the server uses: it takes events after the state update and hands
 * route events to the matcher (route-matching.ts), peer and router events straight to every client, and keeps
 * the side effects at the edge: two coarse shared timers, a batch flush every 100 ms and a rate tick every
 * second. Clients and subscriptions live in client-registry.ts, the scan policy in scan-policy.ts, frames in
 * frames.ts.
 */
import type { RouteUpdate } from '../model/events.ts';
import type { ScannedRoutes } from '../pipeline/events.ts';
import type { EventSink } from '../pipeline/ingest.ts';
import type { Peer, PeerEventJson } from '../state/peers.ts';
import { epochSecond } from '../state/rates.ts';
import type { RouterEventJson, RouterState } from '../state/routers.ts';
import type { SocketLike } from '../ws/socket.ts';
import { type Client, type ClientLimits, DEFAULT_CLIENT_LIMITS } from './client.ts';
import { ClientRegistry } from './client-registry.ts';
import { type Filter, wantsPeerEvents } from './filter.ts';
import { type HubState, helloFrame, ratesFrame } from './frames.ts';
import { RouteMatcher } from './route-matching.ts';
import type { RouteMemory } from './route-memory.ts';
import { ScanPolicy } from './scan-policy.ts';
import type { SubscriptionIndex } from './subscriptions.ts';

export interface HubOptions {
  /** Batch interval (docs: at most one batch every 100 ms). */
  batchMs: number;
  limits: ClientLimits;
}

export class Hub implements EventSink {
  private readonly registry: ClientRegistry;
  private readonly scanPolicy = new ScanPolicy();
  private readonly matcher: RouteMatcher;
  readonly clients: Set<Client>;
  readonly index: SubscriptionIndex<Client>;
  /** See RouteMatcher.memory. */
  readonly routeMemory: RouteMemory;
  /** Peer and router events queued to clients (one per client per event). */
  peerEventsOut = 0;
  routerEventsOut = 0;
  private state: HubState | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: HubOptions = { batchMs: 100, limits: DEFAULT_CLIENT_LIMITS }) {
    this.registry = new ClientRegistry(opts.limits);
    this.clients = this.registry.clients;
    this.index = this.registry.index;
    this.matcher = new RouteMatcher(this.index, this.scanPolicy);
    this.routeMemory = this.matcher.memory;
  }

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

  /** Route events queued to clients (one per client per event). */
  get routeEventsOut(): number {
    return this.matcher.routeEventsOut;
  }

  /** Clients closed for not reading within the stall limit. */
  get slowClosed(): number {
    return this.registry.slowClosed;
  }

  get droppedTotal(): number {
    return this.registry.droppedTotal;
  }

  // ---- clients ----

  addClient(socket: SocketLike): Client {
    return this.registry.add(socket);
  }

  removeClient(c: Client): void {
    if (this.registry.remove(c)) this.matcher.trimMemory();
  }

  /** Replaces the client's filter; events queued under the old one are dropped (they might not match). */
  subscribe(c: Client, filter: Filter): void {
    this.registry.subscribe(c, filter);
    this.matcher.trimMemory();
  }

  unsubscribe(c: Client): void {
    this.registry.unsubscribe(c);
    this.matcher.trimMemory();
  }

  /** The hello frame: snapshot of routers, peers, sources and the last 15 minutes of global rates. */
  helloFrame(): string {
    return helloFrame(this.requireState());
  }

  // ---- EventSink ----

  /** Not while a path filter needs every AS path, nor while the scan policy finds scanning does not pay. */
  get prefersScan(): boolean {
    return this.scanPolicy.pays && !this.index.needsPath;
  }

  routes(u: RouteUpdate, router: RouterState, peer: Peer): void {
    this.matcher.routes(u, router, peer);
  }

  scanned(ev: ScannedRoutes, router: RouterState, peer: Peer): void {
    this.matcher.scanned(ev, router, peer);
  }

  peer(ev: PeerEventJson): void {
    if (ev.kind !== 'peer_up') this.matcher.peerGone(ev.peer.key);
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

  /**
   * Sends every client's queued events as one batch frame (skipping clients whose socket is backed up). `nowMs`
   * stamps the batch and times slow clients' stalls: the wall clock, unless a test gives its own.
   */
  flush(nowMs: number = Date.now()): void {
    const t = nowMs / 1000;
    for (const c of this.clients) c.flush(t);
  }

  private tick(): void {
    if (this.tickTimer === null) return; // stopped
    if (this.clients.size > 0) {
      const frame = ratesFrame(this.requireState().pipeline, epochSecond() - 1);
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

  private requireState(): HubState {
    if (this.state === null) throw new Error('hub used before attach()');
    return this.state;
  }
}
