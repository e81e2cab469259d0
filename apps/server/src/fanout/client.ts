/**
 * One WebSocket client's outbound side: bounded queues of pre-serialized events, flushed as one batch frame per
 * tick. When the queue is full, route events are dropped and counted (and the client told once it drains);
 * nothing is sent while the socket's own buffer is over its cap, so a slow client can neither stall the others
 * nor make the server hold more than queue + cap bytes for it. A client whose socket stays over the cap for the
 * stall limit is told (WS_ERR_SLOW_CLIENT) and closed, so what it costs is bounded in time as well.
 */

import { type SocketLike, TEXT } from '../ws/socket.ts';
import { TokenBucket } from '../ws/token-bucket.ts';
import type { Filter } from './filter.ts';
import {
  batchFrameBuffer,
  CLOSE_SLOW_CLIENT,
  droppedFrame,
  errorFrame,
  SUBSCRIBE_VALUES_BURST,
  SUBSCRIBE_VALUES_PER_SECOND,
} from './protocol.ts';

export interface ClientLimits {
  /** Serialized bytes of route events held per client before dropping. */
  queueBytes: number;
  /** Route events held per client before dropping. */
  queueEvents: number;
  /** Peer and router events held per client (they are few; this guards against floods). */
  stateEvents: number;
  /** Nothing is sent while the socket has more than this many bytes waiting to go out. */
  maxBuffered: number;
  /** A client whose socket stays over maxBuffered this long is closed with CLOSE_SLOW_CLIENT. */
  stallMs: number;
}

export const DEFAULT_CLIENT_LIMITS: ClientLimits = {
  queueBytes: 4 * 1024 * 1024,
  queueEvents: 50_000,
  stateEvents: 10_000,
  maxBuffered: 4 * 1024 * 1024,
  stallMs: 30_000,
};

const OPEN = 1;
const CLOSED = 3;
/** After the slow-client close, a peer that does not complete the closing handshake is cut off this much later. */
const TERMINATE_AFTER_MS = 5_000;

export class Client {
  /** The current filter; null: not subscribed (no route events). */
  filter: Filter | null = null;
  /** Route events missed since the last dropped notice. */
  dropped = 0;
  droppedTotal = 0;
  /** Filter values this client may still index (see protocol.ts); full at the first subscribe. */
  private valuesBudget: TokenBucket | null = null;
  /** When (ms) the socket was first seen over maxBuffered in the current stall; null while it keeps up. */
  private stalledSince: number | null = null;
  /** Set once the client was closed for being slow. */
  closedAsSlow = false;

  // Events are UTF-8 buffers shared by every client that matched them (encoded once, in the hub).
  private routes: Buffer[] = [];
  private routeBytes = 0;
  private peers: Buffer[] = [];
  private routers: Buffer[] = [];

  constructor(
    readonly id: number,
    readonly socket: SocketLike,
    private readonly limits: ClientLimits = DEFAULT_CLIENT_LIMITS,
  ) {}

  get queuedRoutes(): number {
    return this.routes.length;
  }
  /** The bucket subscribes are priced from, on the caller's clock (ms). */
  subscribeBudget(now: number): TokenBucket {
    this.valuesBudget ??= new TokenBucket(SUBSCRIBE_VALUES_BURST, SUBSCRIBE_VALUES_PER_SECOND, now);
    return this.valuesBudget;
  }

  get queuedBytes(): number {
    return this.routeBytes;
  }

  /** Queues a route event; false (and counted) when the queue is full. */
  enqueueRoute(json: Buffer): boolean {
    if (
      this.routes.length >= this.limits.queueEvents ||
      this.routeBytes + json.length > this.limits.queueBytes
    ) {
      this.dropped++;
      this.droppedTotal++;
      return false;
    }
    this.routes.push(json);
    this.routeBytes += json.length;
    return true;
  }

  enqueuePeer(json: Buffer): void {
    if (this.peers.length >= this.limits.stateEvents) {
      this.dropped++;
      this.droppedTotal++;
      return;
    }
    this.peers.push(json);
  }

  enqueueRouter(json: Buffer): void {
    if (this.routers.length >= this.limits.stateEvents) {
      this.dropped++;
      this.droppedTotal++;
      return;
    }
    this.routers.push(json);
  }

  /**
   * Forgets the route events queued under the filter being replaced (and the queued peer events when the new
   * filter no longer wants them), so that everything after the `subscribed` / `unsubscribed` reply matches the
   * new filter. Router events always go out, and a pending dropped count is kept. Returns route events dropped.
   */
  discardForFilter(keepPeers: boolean): number {
    const n = this.routes.length;
    this.routes = [];
    this.routeBytes = 0;
    if (!keepPeers) this.peers = [];
    return n;
  }

  /** Whether the socket can take more now. */
  private get writable(): boolean {
    return this.socket.readyState === OPEN && this.socket.bufferedAmount <= this.limits.maxBuffered;
  }

  /** Sends a frame unless the socket is backed up (then it is skipped: rate ticks are not worth queueing). */
  sendIfWritable(frame: string): boolean {
    if (!this.writable) return false;
    this.socket.send(frame, TEXT);
    return true;
  }

  /**
   * Tracks how long the socket has been backed up; past the stall limit the client gets WS_ERR_SLOW_CLIENT and
   * a close (it reads them if it ever catches up), then is cut off if it does not answer the close.
   */
  private checkStall(nowMs: number): void {
    const backedUp = this.socket.readyState === OPEN && this.socket.bufferedAmount > this.limits.maxBuffered;
    if (!backedUp) {
      this.stalledSince = null;
      return;
    }
    this.stalledSince ??= nowMs;
    if (this.closedAsSlow || nowMs - this.stalledSince < this.limits.stallMs) return;
    this.closedAsSlow = true;
    const seconds = Math.round(this.limits.stallMs / 1000);
    this.socket.send(
      errorFrame(
        'WS_ERR_SLOW_CLIENT',
        `not reading for ${seconds} s with over ${this.limits.maxBuffered} bytes waiting; ${this.droppedTotal} route events dropped; closing`,
        null,
      ),
      TEXT,
    );
    this.socket.close(CLOSE_SLOW_CLIENT, 'slow client');
    setTimeout(() => {
      if (this.socket.readyState !== CLOSED) this.socket.terminate();
    }, TERMINATE_AFTER_MS).unref();
  }

  /** Sends what is queued as one batch frame (after a dropped notice if events were lost). Returns routes sent. */
  flush(t: number): number {
    this.checkStall(t * 1000);
    const pending = this.routes.length + this.peers.length + this.routers.length;
    if ((pending === 0 && this.dropped === 0) || !this.writable) return 0;
    if (this.dropped > 0) {
      this.socket.send(droppedFrame(this.dropped), TEXT);
      this.dropped = 0;
    }
    if (pending === 0) return 0;
    const n = this.routes.length;
    this.socket.send(batchFrameBuffer(t, this.routes, this.peers, this.routers), TEXT);
    this.routes = [];
    this.routeBytes = 0;
    this.peers = [];
    this.routers = [];
    return n;
  }
}
