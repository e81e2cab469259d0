/**
 * The RIS Live fan-out: an event sink beside the dashboard's hub. It matches each event against the sockets'
 * subscriptions, serializes a matched event once (and its `raw` variant at most once), and sends the same
 * bytes to every matching socket, one ris_message per WebSocket frame as RIS Live does. A socket whose unsent
 * bytes pass the limit gets a final ris_error and is closed: RIS Live's documented slow-client behaviour.
 */
import { BmpError, type PeerDown, type PeerUp } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';
import type { ScannedRoutes } from '../pipeline/events.ts';
import type { EventSink, Pipeline } from '../pipeline/ingest.ts';
import type { PeerEventJson } from '../state/peers.ts';
import type { RouterState } from '../state/routers.ts';
import { type SocketLike, TEXT } from '../ws/socket.ts';
import { routerHost } from './host.ts';
import {
  closeFrame,
  closeFrameWithRaw,
  type MessageHead,
  notificationFrame,
  openFrame,
  peerStateFrame,
  type UnclosedFrame,
  updateFrame,
  updateHops,
  updateRawHex,
} from './message.ts';
import { MAX_SUBSCRIPTIONS, type RisSubscription, risErrorFrame, type SocketOptions } from './protocol.ts';
import { type MessageFacts, RisSubscriptionIndex } from './subscription-index.ts';

export const DEFAULT_RIS_MAX_BUFFERED = 8 * 1024 * 1024;

export class RisClient {
  stamp = 0;
  options: SocketOptions = { includeRaw: false, acknowledge: false };
  messagesSent = 0;
  /** Set once the client was disconnected for being slow. */
  tooSlow = false;

  constructor(
    readonly id: number,
    readonly socket: SocketLike,
  ) {}
}

const OPEN = 1;

export class RisLiveHub implements EventSink {
  readonly clients = new Set<RisClient>();
  readonly index = new RisSubscriptionIndex<RisClient>();
  /** ris_messages sent (one per socket per message) and sockets closed for being slow. */
  messagesOut = 0;
  slowDisconnects = 0;
  /** Scanned messages decoded in full because a subscription might want them. */
  scannedFull = 0;
  private pipeline: Pipeline | null = null;
  private nextClient = 1;
  /** Message ids: increasing, unique within the process (seeded with the start time, so across restarts too). */
  private seq = Date.now() * 1024;
  private readonly matched: RisClient[] = [];
  /** The facts of the UPDATE being matched, reused from one to the next (made on the first). */
  private updateFacts: MessageFacts | null = null;

  constructor(private readonly maxBuffered = DEFAULT_RIS_MAX_BUFFERED) {}

  attach(pipeline: Pipeline): void {
    this.pipeline = pipeline;
  }

  addClient(socket: SocketLike): RisClient {
    const c = new RisClient(this.nextClient++, socket);
    this.clients.add(c);
    return c;
  }

  removeClient(c: RisClient): void {
    if (!this.clients.delete(c)) return;
    this.index.removeClient(c);
  }

  /** Adds subscriptions; an error message (and nothing added) when they would pass the per-socket cap. */
  subscribe(c: RisClient, subs: RisSubscription[]): string | null {
    if (this.index.countFor(c) + subs.length > MAX_SUBSCRIPTIONS)
      return `ris_subscribe: at most ${MAX_SUBSCRIPTIONS} subscriptions per connection (each prefix counts)`;
    for (const s of subs) this.index.add(c, s);
    return null;
  }

  unsubscribe(c: RisClient, subs: RisSubscription[]): void {
    for (const s of subs) this.index.remove(c, s);
  }

  /** Router names for `request_rrc_list`, sorted. */
  hosts(): string[] {
    const routers = this.pipeline?.routers.list() ?? [];
    return [...new Set(routers.map(routerHost))].sort();
  }

  // ---- EventSink ----

  get prefersScan(): boolean {
    // RIS Live sends whole UPDATE messages with their attributes, so a match needs the full decode. The scan
    // still pays while every subscription is one it can rule out (prefixes, "ASN$" paths): only candidate
    // messages are decoded. With no subscription at all, the dashboard's fast path is untouched.
    return this.index.scanDecides;
  }

  scanned(ev: ScannedRoutes, router: RouterState): void {
    if (this.index.updateSubscriptions === 0 || !this.index.scanMayMatch(ev.scan)) return;
    this.scannedFull++;
    const full = ev.full();
    if (!(full instanceof BmpError)) this.routes(full, router);
  }

  routes(u: RouteUpdate, router: RouterState): void {
    if (this.index.updateSubscriptions === 0) return;
    // Nothing is allocated for an UPDATE no subscription matches: the facts are filled in place, and the AS
    // path is only flattened if a path pattern asks for it (or to serialize the message).
    let f = this.updateFacts;
    if (f === null) {
      f = { type: 'UPDATE', router, peer: '', update: null, path: null, announces: false, withdraws: false };
      this.updateFacts = f;
    }
    f.router = router;
    f.peer = u.peer.address;
    f.update = u;
    f.path = null;
    f.announces = u.announceCount > 0;
    f.withdraws = u.withdrawCount > 0;
    const out = this.matched;
    out.length = 0;
    this.index.match(u, f, out);
    const hops = f.path;
    f.update = null;
    f.path = null;
    if (out.length === 0) return;
    const frame = updateFrame(this.head(u.ts, u.peer.address, u.peer.asn, router), u, hops ?? updateHops(u));
    this.deliver(out, frame, u);
  }

  peer(ev: PeerEventJson, bmp: PeerUp | PeerDown | null): void {
    if (this.index.size === 0) return;
    const router = this.pipeline?.routers.get(ev.peer.router);
    if (router === undefined) return;
    const p = ev.peer;
    const facts: MessageFacts = {
      type: 'RIS_PEER_STATE',
      router,
      peer: p.address,
      update: null,
      path: null,
      announces: false,
      withdraws: false,
    };
    const send = (type: MessageFacts['type'], build: (h: MessageHead) => UnclosedFrame): void => {
      facts.type = type;
      const out = this.matched;
      out.length = 0;
      this.index.matchMessage(facts, out);
      if (out.length > 0) this.deliver(out, build(this.head(ev.ts, p.address, p.asn, router)), null);
    };
    if (ev.kind === 'peer_up') {
      if (bmp !== null && bmp.type === 'peer_up') {
        // A BMP Peer Up reports a session that went through TCP connect and the OPEN exchange.
        send('RIS_PEER_STATE', (h) => peerStateFrame(h, 'connected'));
        send('OPEN', (h) => openFrame(h, 'sent', bmp.sentOpen));
        send('OPEN', (h) => openFrame(h, 'received', bmp.receivedOpen));
      }
      send('RIS_PEER_STATE', (h) => peerStateFrame(h, 'up'));
      return;
    }
    const notification = bmp !== null && bmp.type === 'peer_down' ? bmp.notification : null;
    if (notification !== null) send('NOTIFICATION', (h) => notificationFrame(h, notification));
    // peer_unknown (the router went away) is "down" too: nobody can vouch for the session any more.
    send('RIS_PEER_STATE', (h) => peerStateFrame(h, 'down'));
  }

  router(): void {
    // Routers are not RIS Live messages; request_rrc_list reads the router table when asked.
  }

  // ---- output ----

  private head(ts: number, peer: string, peerAsn: number, router: RouterState): MessageHead {
    return {
      ts,
      peer,
      peerAsn,
      id: peer + '-' + (this.seq++).toString(16).padStart(16, '0'),
      host: routerHost(router),
    };
  }

  /**
   * Encodes the frame once (and the `raw` variant once, if a client asked for it) for every client in `to`.
   * `raw` is the UPDATE whose bytes the `raw` variant carries; null for messages without one.
   */
  private deliver(to: RisClient[], frame: UnclosedFrame, raw: RouteUpdate | null): void {
    let plain: Buffer | null = null;
    let withRaw: Buffer | null = null;
    for (let i = 0; i < to.length; i++) {
      const c = to[i];
      let bytes: Buffer;
      if (c.options.includeRaw && raw !== null) {
        if (withRaw === null) {
          const h = updateRawHex(raw);
          // Without bytes the `raw` variant is the plain frame: encode that once for both.
          if (h === null) {
            plain ??= Buffer.from(closeFrame(frame));
            withRaw = plain;
          } else withRaw = Buffer.from(closeFrameWithRaw(frame, h));
        }
        bytes = withRaw;
      } else {
        plain ??= Buffer.from(closeFrame(frame));
        bytes = plain;
      }
      this.send(c, bytes);
    }
  }

  private send(c: RisClient, bytes: Buffer): void {
    const s = c.socket;
    if (s.readyState !== OPEN) return;
    if (s.bufferedAmount + bytes.length > this.maxBuffered) {
      this.disconnectSlow(c);
      return;
    }
    s.send(bytes, TEXT);
    c.messagesSent++;
    this.messagesOut++;
  }

  private disconnectSlow(c: RisClient): void {
    c.tooSlow = true;
    this.slowDisconnects++;
    this.removeClient(c);
    c.socket.send(
      risErrorFrame(
        `client too slow: more than ${this.maxBuffered} bytes were waiting to be sent to it; disconnecting`,
      ),
      TEXT,
    );
    // ws sends the close frame after what is queued, and drops the connection if the client never answers.
    c.socket.close(1008, 'client too slow');
  }
}
