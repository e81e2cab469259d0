/** A WebSocket API test client: records every frame by type and waits for conditions with deadlines. */
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

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      this.frames.push(f);
      switch (f.type) {
        case 'hello':
          this.hello = f;
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
    ws.on('close', () => {
      this.closed = true;
    });
  }

  static async connect(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    const c = new TestClient(ws);
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
    return closeSocket(this.ws);
  }
}
