// The dashboard's one WebSocket (/api/ws, docs/websocket.md), and nothing above it: it connects,
// reconnects with exponential backoff, drops a link that has gone silent, pings, notices the
// browser going offline, and is the only writer of $connection. Every frame it receives is parsed
// and handed to the owner's onFrame; the hello frame (the handshake) also marks the link live. It
// knows nothing of feeds, peers or filters.
import { accessToken, withToken } from '../access-token.ts';
import type { ServerFrame } from '../api-types.ts';
import { Backoff } from '../backoff.ts';
import { $connection, type Connection, type ConnState } from '../stores.ts';

/** The server ticks rates every second: this long without any frame means the link is dead. */
const SILENCE_MS = 10_000;
const PING_MS = 15_000;
/** After this many failed attempts in a row the state shows "offline" (retries go on). */
const OFFLINE_AFTER = 4;

export interface TransportHandlers {
  /** Every parsed frame; a hello arrives after the link was marked live. */
  onFrame(frame: ServerFrame): void;
  /** The link closed (or could not open); a retry is already scheduled. */
  onDown(): void;
  /** Once a second while the link is open and not silent, after the ping. */
  onTick(nowMs: number): void;
}

function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return withToken(`${proto}//${location.host}/api/ws`, accessToken());
}

export class Transport {
  private ws: WebSocket | null = null;
  private readonly backoff = new Backoff();
  private everConnected = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private lastPingAt = 0;
  private readonly handlers: TransportHandlers;

  constructor(handlers: TransportHandlers) {
    this.handlers = handlers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    this.healthTimer = setInterval(() => this.checkHealth(), 1_000);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.retryTimer = this.healthTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  /** Skips the backoff wait and tries to connect now (no-op while connecting or open). */
  retryNow(): void {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  get open(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a JSON message if the link is open; dropped otherwise. */
  send(msg: unknown): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private setState(state: ConnState, extra: Partial<Connection> = {}): void {
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
    ws.onmessage = (ev) => this.onMessage(ev.data);
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
    this.handlers.onDown();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private readonly onOnline = () => this.retryNow();
  private readonly onOffline = () => {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) this.setState('offline');
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
    this.handlers.onTick(now);
  }

  private onMessage(data: unknown): void {
    // Any frame, even one we cannot read, shows the link is alive.
    this.lastFrameAt = Date.now();
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'hello') {
      this.backoff.reset();
      this.everConnected = true;
      this.setState('live', {
        attempt: 0,
        retryAt: null,
        lastError: null,
        server: { name: frame.server, version: frame.version },
      });
    }
    this.handlers.onFrame(frame);
  }
}
