/**
 * A RIS Live client as the RIS Live manual describes one: open a WebSocket at /v1/ws/?client=…, send
 * {"type": "ris_subscribe", "data": {…}}, read one JSON message per frame. It records what arrives.
 */
import WebSocket from 'ws';
import { closeSocket, waitForFrames } from './wait.ts';

// biome-ignore lint/suspicious/noExplicitAny: messages are JSON checked by the tests themselves
export type RisFrame = { type: string; data: any };

export class RisLiveClient {
  readonly frames: RisFrame[] = [];
  closed = false;
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString()) as RisFrame));
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  /** `base`: the server's http(s) URL. */
  static async connect(base: string, name = 'bmpwatch-test'): Promise<RisLiveClient> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/ws/?client=${name}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new RisLiveClient(ws);
  }

  send(type: string, data: unknown = null): void {
    this.ws.send(JSON.stringify({ type, data }));
  }

  /** Subscribes with acknowledge on and waits for ris_subscribe_ok (or a ris_error). */
  async subscribe(data: Record<string, unknown>): Promise<RisFrame> {
    const mark = this.frames.length;
    this.send('ris_subscribe', {
      ...data,
      socketOptions: { acknowledge: true, ...(data.socketOptions ?? {}) },
    });
    return this.waitFor(
      () => this.frames.slice(mark).find((f) => f.type === 'ris_subscribe_ok' || f.type === 'ris_error'),
      'ris_subscribe_ok',
    );
  }

  /** The data of every ris_message (of one type, if given). */
  // biome-ignore lint/suspicious/noExplicitAny: see RisFrame
  messages(type?: string): any[] {
    return this.frames
      .filter((f) => f.type === 'ris_message' && (type === undefined || f.data.type === type))
      .map((f) => f.data);
  }

  waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
    return waitForFrames(this.frames, check, what, timeoutMs);
  }

  close(): Promise<void> {
    return closeSocket(this.ws);
  }
}
