import type { SocketLike } from '../../src/ws/socket.ts';

/** A parsed frame; tests check its fields themselves. */
export type Frame = { type: string; [k: string]: unknown };

/**
 * A WebSocket test double for the fan-out and RIS Live hubs: records what is sent and every close, and can
 * play a client that does not read (`grow`). close() leaves it CLOSING and terminate() CLOSED, as ws does.
 */
export class FakeSocket implements SocketLike {
  bufferedAmount = 0;
  readyState = 1;
  /** Bytes each send adds to bufferedAmount until close(): a client that does not read. */
  grow = 0;
  /** Every frame sent, as text. */
  readonly sent: string[] = [];
  /** The code of every close() (1000 when none is given). */
  readonly closeCodes: number[] = [];

  send(data: string | Buffer): void {
    this.sent.push(data.toString());
    if (this.closeCodes.length === 0) this.bufferedAmount += this.grow;
  }

  close(code?: number): void {
    this.closeCodes.push(code ?? 1000);
    this.readyState = 2;
  }

  terminate(): void {
    this.readyState = 3;
  }

  /** The frames sent, parsed. */
  get frames(): Frame[] {
    return this.sent.map((f) => JSON.parse(f));
  }
}
