/**
 * The one skeleton both WebSocket endpoints (/api/ws and RIS Live's /v1/ws/) stand on: admission against one
 * --max-clients shared by both, the connection's lifecycle and logging, and the limits every client frame passes
 * (size, frames per second, bytes per second) before the protocol parses it. Each protocol brings only its own
 * parsing, replies and delivery (a `WsProtocol`); where the two must differ, docs/reliability.md has the table.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import {
  CLIENT_BYTES_BURST,
  CLIENT_BYTES_PER_SECOND,
  MAX_CLIENT_FRAME_BYTES,
  MAX_CLIENT_FRAMES_PER_SECOND,
} from './limits.ts';
import { onClientFrames, rawSize, rawText } from './raw-data.ts';
import { TEXT } from './socket.ts';
import { TokenBucket } from './token-bucket.ts';
import { WEBSOCKET_ENDPOINT } from './websocket-endpoint.ts';

/** Connections of every WebSocket endpoint together: one cap, however the clients split between them. */
export class Admission {
  private open = 0;

  constructor(readonly maxClients: number) {}

  get clients(): number {
    return this.open;
  }

  /** Takes a place; false when the server is full. */
  enter(): boolean {
    if (this.open >= this.maxClients) return false;
    this.open++;
    return true;
  }

  leave(): void {
    this.open--;
  }
}

/** Why a frame was refused before its protocol saw it. */
export type FrameRefusal =
  | { reason: 'too_large'; message: string }
  | { reason: 'rate_limit'; message: string };

/** A frame over the rate after the client was told once this window: dropped without a reply. */
type SilentRefusal = { reason: 'rate_limit'; message: null };

/**
 * One connection's frame limits: at most MAX_CLIENT_FRAME_BYTES a frame, MAX_CLIENT_FRAMES_PER_SECOND frames in
 * a one-second window (told once per window, then silently ignored), and a byte budget refilled per second.
 * The clock is the caller's, so tests run on their own time.
 */
export class FrameLimiter {
  private windowStart = 0;
  private framesInWindow = 0;
  private rateNotified = false;
  private readonly bytes: TokenBucket;

  constructor(now: number) {
    this.bytes = new TokenBucket(CLIENT_BYTES_BURST, CLIENT_BYTES_PER_SECOND, now);
  }

  /** Null: the frame may be parsed. A refusal with message null: ignore it silently (already told). */
  check(size: number, now: number): FrameRefusal | SilentRefusal | null {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.framesInWindow = 0;
      this.rateNotified = false;
    }
    if (++this.framesInWindow > MAX_CLIENT_FRAMES_PER_SECOND) {
      if (this.rateNotified) return { reason: 'rate_limit', message: null };
      this.rateNotified = true;
      return {
        reason: 'rate_limit',
        message: `more than ${MAX_CLIENT_FRAMES_PER_SECOND} frames within one second; frames are ignored until the next second`,
      };
    }
    if (size > MAX_CLIENT_FRAME_BYTES)
      return {
        reason: 'too_large',
        message: `frame of ${size} bytes is over the limit of ${MAX_CLIENT_FRAME_BYTES}`,
      };
    if (!this.bytes.take(size, now))
      return {
        reason: 'rate_limit',
        message: `more than ${CLIENT_BYTES_PER_SECOND} bytes of frames per second (burst ${CLIENT_BYTES_BURST}); frame ignored`,
      };
    return null;
  }
}

/** What a protocol plugs into the skeleton. `C` is its client (registered with its hub on open). */
export interface WsProtocol<C> {
  /** For logs: "websocket client", "RIS Live client". */
  readonly name: string;
  open(socket: WebSocket, query: unknown): C;
  close(c: C): void;
  /** A frame that passed the limits, as text. */
  frame(c: C, text: string, now: number): void;
  /** The protocol's error frame for a refused frame. */
  refusal(r: FrameRefusal): string;
  /** Log fields of a client (at connect and close). */
  describe(c: C): Record<string, unknown>;
  /** What the protocol sends first, once the connection is set up (WebSocket API v1's hello), if anything. */
  greeting?(c: C): string;
}

/** Feeds one raw frame through the limits to the protocol (what the endpoint does per frame; tests call it). */
export function deliverFrame<C>(
  protocol: WsProtocol<C>,
  c: C,
  limiter: FrameLimiter,
  socket: { send(data: string, opts: { binary: boolean }): void },
  data: RawData,
  now: number,
): void {
  const refused = limiter.check(rawSize(data), now);
  if (refused === null) protocol.frame(c, rawText(data), now);
  else if (refused.message !== null) socket.send(protocol.refusal(refused), TEXT);
}

/** Registers `protocol` at `paths`: admission, limits, lifecycle, logging. */
export function registerEndpoint<C>(
  app: FastifyInstance,
  paths: string[],
  admission: Admission,
  protocol: WsProtocol<C>,
  clock: () => number = Date.now,
): void {
  const handler = (socket: WebSocket, req: { query: unknown; log: FastifyBaseLogger }) => {
    if (!admission.enter()) {
      socket.close(1013, `server full (${admission.maxClients} clients)`);
      return;
    }
    const c = protocol.open(socket, req.query);
    const limiter = new FrameLimiter(clock());
    req.log.debug(protocol.describe(c), `${protocol.name} connected`);
    onClientFrames(socket, req.log, (data) => deliverFrame(protocol, c, limiter, socket, data, clock()));
    socket.on('close', () => {
      admission.leave();
      protocol.close(c);
      req.log.debug(protocol.describe(c), `${protocol.name} left`);
    });
    socket.on('error', (err) =>
      req.log.debug({ ...protocol.describe(c), err }, `${protocol.name} socket error`),
    );
    if (protocol.greeting) socket.send(protocol.greeting(c), TEXT);
  };
  for (const path of paths) app.get(path, WEBSOCKET_ENDPOINT, handler);
}
