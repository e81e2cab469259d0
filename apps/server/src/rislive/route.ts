/**
 * GET /v1/ws/ (and /v1/ws): the RIS Live-compatible WebSocket endpoint (docs/rislive.md), on the shared skeleton
 * (ws/endpoint.ts: admission, frame limits, lifecycle). `?client=` is accepted and logged, as RIS Live asks
 * clients to send it. Frames are answered here; events come from the hub.
 */
import type { FastifyInstance } from 'fastify';
import { type Admission, registerEndpoint, type WsProtocol } from '../ws/endpoint.ts';
import { TEXT } from '../ws/socket.ts';
import type { RisClient, RisLiveHub } from './hub.ts';
import { PONG_FRAME, parseRisFrame, risErrorFrame, rrcListFrame, subscribeOkFrame } from './protocol.ts';

export interface RisLiveRouteOptions {
  hub: RisLiveHub;
  /** Shared with the WebSocket API v1 endpoint: connections beyond --max-clients are closed with 1013. */
  admission: Admission;
}

/** RIS Live on the shared endpoint skeleton: its own parsing, replies and error frames. */
export function risProtocol(hub: RisLiveHub): WsProtocol<RisClient & { client?: unknown }> {
  return {
    name: 'RIS Live client',
    open: (socket, query) =>
      Object.assign(hub.addClient(socket), { client: (query as { client?: unknown }).client }),
    close: (c) => hub.removeClient(c),
    frame: (c, text) => handleRisFrame(hub, c, text),
    refusal: (r) => risErrorFrame(r.message),
    describe: (c) => ({ risClient: c.id, client: c.client, sent: c.messagesSent, tooSlow: c.tooSlow }),
  };
}

/** One client frame that passed the endpoint's limits. */
export function handleRisFrame(hub: RisLiveHub, c: RisClient, text: string): void {
  const send = (frame: string) => c.socket.send(frame, TEXT);
  const frame = parseRisFrame(text);
  switch (frame.type) {
    case 'error':
      send(risErrorFrame(frame.message));
      return;
    case 'ris_subscribe': {
      if (frame.socketOptions !== null) c.options = { ...c.options, ...frame.socketOptions };
      const err = hub.subscribe(c, frame.subscriptions);
      if (err !== null) send(risErrorFrame(err));
      else if (c.options.acknowledge) send(subscribeOkFrame(frame.echo, c.options));
      return;
    }
    case 'ris_unsubscribe':
      hub.unsubscribe(c, frame.subscriptions);
      return;
    case 'request_rrc_list':
      send(rrcListFrame(hub.hosts()));
      return;
    case 'ping':
      send(PONG_FRAME);
      return;
  }
}

export async function risLiveRoute(app: FastifyInstance, opts: RisLiveRouteOptions): Promise<void> {
  registerEndpoint(app, ['/v1/ws/', '/v1/ws'], opts.admission, risProtocol(opts.hub));
}
