/**
 * GET /api/ws: the WebSocket API v1 endpoint. Sends the hello snapshot, then answers client frames
 * (subscribe / unsubscribe / ping) and enforces the frame size and rate limits. Invalid frames get an error frame
 * and the connection stays open.
 */
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import {
  CLIENT_BYTES_BURST,
  CLIENT_BYTES_PER_SECOND,
  MAX_CLIENT_FRAME_BYTES,
  MAX_CLIENT_FRAMES_PER_SECOND,
} from '../ws/limits.ts';
import { onClientFrames, rawSize, rawText } from '../ws/raw-data.ts';
import { TEXT } from '../ws/socket.ts';
import { WEBSOCKET_ENDPOINT } from '../ws/websocket-endpoint.ts';
import type { Client } from './client.ts';
import type { Hub } from './hub.ts';
import {
  errorFrame,
  filterSize,
  parseClientFrame,
  pongFrame,
  SUBSCRIBE_VALUES_BURST,
  SUBSCRIBE_VALUES_PER_SECOND,
  subscribedFrame,
  unsubscribedFrame,
} from './protocol.ts';

export interface WsRouteOptions {
  hub: Hub;
  /** Connections beyond this are closed with 1013 ("try again later"). */
  maxClients: number;
}

/** ws refuses (closes with 1009) frames above this; between 1 MiB and this the client gets WS_ERR_TOO_LARGE. */
export const HARD_MAX_PAYLOAD = 4 * MAX_CLIENT_FRAME_BYTES;

/** True when the client is over its frame rate; it is told once per one-second window. */
function overRate(c: Client, now: number): boolean {
  if (now - c.frameWindowStart >= 1000) {
    c.frameWindowStart = now;
    c.framesInWindow = 0;
    c.rateLimitNotified = false;
  }
  c.framesInWindow++;
  return c.framesInWindow > MAX_CLIENT_FRAMES_PER_SECOND;
}

export function handleClientFrame(hub: Hub, c: Client, data: RawData): void {
  const send = (frame: string) => c.socket.send(frame, TEXT);
  const now = Date.now();
  if (overRate(c, now)) {
    if (!c.rateLimitNotified) {
      c.rateLimitNotified = true;
      send(
        errorFrame(
          'WS_ERR_RATE_LIMIT',
          `more than ${MAX_CLIENT_FRAMES_PER_SECOND} frames within one second; frames are ignored until the next second`,
          null,
        ),
      );
    }
    return;
  }
  const n = rawSize(data);
  if (n > MAX_CLIENT_FRAME_BYTES) {
    send(
      errorFrame(
        'WS_ERR_TOO_LARGE',
        `frame of ${n} bytes is over the limit of ${MAX_CLIENT_FRAME_BYTES}`,
        null,
      ),
    );
    return;
  }
  if (!c.bytesBudget.take(n, now)) {
    send(
      errorFrame(
        'WS_ERR_RATE_LIMIT',
        `more than ${CLIENT_BYTES_PER_SECOND} bytes of frames per second (burst ${CLIENT_BYTES_BURST}); frame ignored`,
        null,
      ),
    );
    return;
  }
  const frame = parseClientFrame(rawText(data));
  switch (frame.type) {
    case 'protocol_error':
      send(errorFrame(frame.code, frame.message, frame.id));
      return;
    case 'subscribe':
      if (!c.subscribeBudget.take(filterSize(frame.filter), now)) {
        send(
          errorFrame(
            'WS_ERR_RATE_LIMIT',
            `subscribing to more than ${SUBSCRIBE_VALUES_PER_SECOND} filter values per second (burst ${SUBSCRIBE_VALUES_BURST}); the previous filter stays`,
            frame.id,
          ),
        );
        return;
      }
      hub.subscribe(c, frame.filter);
      send(subscribedFrame(frame.id, frame.filter));
      return;
    case 'unsubscribe':
      hub.unsubscribe(c);
      send(unsubscribedFrame(frame.id));
      return;
    case 'ping':
      send(pongFrame(frame.id, now / 1000));
      return;
  }
}

export async function wsRoute(app: FastifyInstance, opts: WsRouteOptions): Promise<void> {
  const { hub } = opts;
  app.get('/api/ws', WEBSOCKET_ENDPOINT, (socket: WebSocket, req) => {
    if (hub.clients.size >= opts.maxClients) {
      socket.close(1013, `server full (${opts.maxClients} clients)`);
      return;
    }
    const c = hub.addClient(socket);
    req.log.debug({ client: c.id }, 'websocket client connected');
    onClientFrames(socket, req.log, (data) => handleClientFrame(hub, c, data));
    socket.on('close', () => {
      hub.removeClient(c);
      req.log.debug({ client: c.id, dropped: c.droppedTotal }, 'websocket client left');
    });
    socket.on('error', (err) => req.log.debug({ client: c.id, err }, 'websocket error'));
    socket.send(hub.helloFrame(), TEXT);
  });
}
