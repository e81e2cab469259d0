/**
 * GET /api/ws: the WebSocket API v1 endpoint, on the shared skeleton (ws/endpoint.ts: admission, frame limits,
 * lifecycle). Sends the hello snapshot, then answers client frames (subscribe / unsubscribe / ping); a subscribe
 * is priced in filter values. Invalid frames get an error frame and the connection stays open.
 */
import type { FastifyInstance } from 'fastify';
import { type Admission, registerEndpoint, type WsProtocol } from '../ws/endpoint.ts';
import { MAX_CLIENT_FRAME_BYTES } from '../ws/limits.ts';
import { TEXT } from '../ws/socket.ts';
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
  /** Shared with the RIS Live endpoint: connections beyond --max-clients are closed with 1013. */
  admission: Admission;
}

/** ws refuses (closes with 1009) frames above this; between 1 MiB and this the client gets WS_ERR_TOO_LARGE. */
export const HARD_MAX_PAYLOAD = 4 * MAX_CLIENT_FRAME_BYTES;

/** WebSocket API v1 on the shared endpoint skeleton (ws/endpoint.ts): parsing, replies and the hub. */
export function apiProtocol(hub: Hub): WsProtocol<Client> {
  return {
    name: 'websocket client',
    open: (socket) => hub.addClient(socket),
    close: (c) => hub.removeClient(c),
    frame: (c, text, now) => handleClientFrame(hub, c, text, now),
    refusal: (r) =>
      errorFrame(r.reason === 'too_large' ? 'WS_ERR_TOO_LARGE' : 'WS_ERR_RATE_LIMIT', r.message, null),
    describe: (c) => ({ client: c.id, dropped: c.droppedTotal }),
    greeting: () => hub.helloFrame(),
  };
}

/** One client frame that passed the endpoint's limits. `now` in ms (the subscribe budget refills on it). */
export function handleClientFrame(hub: Hub, c: Client, text: string, now: number): void {
  const send = (frame: string) => c.socket.send(frame, TEXT);
  const frame = parseClientFrame(text);
  switch (frame.type) {
    case 'protocol_error':
      send(errorFrame(frame.code, frame.message, frame.id));
      return;
    case 'subscribe':
      if (!c.subscribeBudget(now).take(filterSize(frame.filter), now)) {
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
  registerEndpoint(app, ['/api/ws'], opts.admission, apiProtocol(opts.hub));
}
