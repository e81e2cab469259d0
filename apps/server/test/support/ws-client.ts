/**
 * A WebSocket API test client: records every frame by type and waits for conditions with deadlines. With
 * { reconnect: true } it behaves as docs/websocket.md asks of clients when the connection drops: it reconnects
 * with exponential backoff and, after the new hello, subscribes again with its last filter.
 */
import WebSocket from 'ws';
import { closeSocket, waitForFrames, waitUntil } from './wait.ts';

// biome-ignore lint/suspicious/noExplicitAny: frames are JSON checked by the tests themselves
export type Frame = Record<string, any>;

export class TestClient {
  readonly frames: Frame[] = [];
  readonly routes: Frame[] = [];
  readonly peers: Frame[] = [];
  readonly routers: Frame[] = [];
  readonly errors: Frame[] = [];
  readonly rates: Frame[] = [];
  dropped = 0;
  droppedFrames = 0;
  hello: Frame | null = null;
  closed = false;
  /** Connection attempts (1 + reconnect attempts). */
  connections = 0;
  /** Close codes of connections that dropped. */
  readonly closeCodes: number[] = [];
  ws: WebSocket;
  private lastFilter: unknown = undefined;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;

  private constructor(
    private readonly url: string,
    ws: WebSocket,
    private readonly reconnect: boolean,
  ) {
    this.ws = ws;
    this.attach(ws);
  }

  private attach(ws: WebSocket): void {
    this.connections++;
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      this.frames.push(f);
      switch (f.type) {
        case 'hello':
          this.hello = f;
          this.attempt = 0;
          // A new connection has no subscription: ask again for what the last one had.
          if (this.connections > 1 && this.lastFilter !== undefined)
            this.send({ type: 'subscribe', id: `re${this.connections}`, filter: this.lastFilter });
          break;
        case 'batch':
          this.routes.push(...f.routes);
          this.peers.push(...f.peers);
          this.routers.push(...f.routers);
          break;
        case 'dropped':
          this.dropped += f.count;
          this.droppedFrames++;
          break;
        case 'error':
          this.errors.push(f);
          break;
        case 'rates':
          this.rates.push(f);
          break;
      }
    });
    let opened = false;
    ws.on('open', () => {
      opened = true;
    });
    ws.on('error', () => {
      // 'close' follows; a refused reconnect attempt just schedules the next one.
    });
    ws.on('close', (code) => {
      if (opened) this.closeCodes.push(code);
      if (!this.reconnect || this.closing) {
        this.closed = true;
        return;
      }
      // Backoff 100 ms, 200 ms, … up to 2 s (short: tests wait for it).
      const delay = Math.min(2000, 100 * 2 ** this.attempt++);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.closing) return;
        this.ws = new WebSocket(this.url);
        this.attach(this.ws);
      }, delay);
    });
  }

  static async connect(url: string, opts: { reconnect?: boolean } = {}): Promise<TestClient> {
    const ws = new WebSocket(url);
    const c = new TestClient(url, ws, opts.reconnect ?? false);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await c.waitFor(() => c.hello !== null, 'the hello frame');
    return c;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends a subscribe and waits for its `subscribed` (or `error`) reply. */
  async subscribe(filter: unknown, id = `s${Math.random().toString(36).slice(2)}`): Promise<Frame> {
    this.lastFilter = filter;
    this.send({ type: 'subscribe', id, filter });
    return waitUntil(
      () => this.frames.find((f) => f.id === id && (f.type === 'subscribed' || f.type === 'error')),
      `reply to subscribe ${id}`,
    );
  }

  /** Frames of a type after the given index. */
  since(index: number, type: string): Frame[] {
    return this.frames.slice(index).filter((f) => f.type === type);
  }

  waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    return waitForFrames(this.frames, check, what, timeoutMs);
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    return closeSocket(this.ws);
  }
}
