/**
 * GET /v1/ws/ (and /v1/ws): the RIS Live-compatible WebSocket endpoint (docs/rislive.md). `?client=` is
 * accepted and logged, as RIS Live asks clients to send it. Frames are answered here; events come from the hub.
 */
import type { FastifyInstance } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { MAX_CLIENT_FRAME_BYTES } from '../ws/limits.ts';
import { onClientFrames, rawSize, rawText } from '../ws/raw-data.ts';
import { TEXT } from '../ws/socket.ts';
import { WEBSOCKET_ENDPOINT } from '../ws/websocket-endpoint.ts';
import type { RisClient, RisLiveHub } from './hub.ts';
import { PONG_FRAME, parseRisFrame, risErrorFrame, rrcListFrame, subscribeOkFrame } from './protocol.ts';

export interface RisLiveRouteOptions {
  hub: RisLiveHub;
  /** RIS Live connections beyond this are closed with 1013 ("try again later"). */
  maxClients: number;
}

export function handleRisFrame(hub: RisLiveHub, c: RisClient, data: RawData): void {
  const send = (frame: string) => c.socket.send(frame, TEXT);
  const n = rawSize(data);
  if (n > MAX_CLIENT_FRAME_BYTES) {
    send(risErrorFrame(`message of ${n} bytes is over the limit of ${MAX_CLIENT_FRAME_BYTES}`));
    return;
  }
  const frame = parseRisFrame(rawText(data));
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
  const { hub } = opts;
  const handler = (socket: WebSocket, req: { query: unknown; log: FastifyInstance['log'] }) => {
    if (hub.clients.size >= opts.maxClients) {
      socket.close(1013, `server full (${opts.maxClients} RIS Live clients)`);
      return;
    }
    const c = hub.addClient(socket);
    const client = (req.query as { client?: unknown }).client;
    req.log.debug({ risClient: c.id, client }, 'RIS Live client connected');
    onClientFrames(socket, req.log, (data) => handleRisFrame(hub, c, data));
    socket.on('close', () => {
      hub.removeClient(c);
      req.log.debug({ risClient: c.id, sent: c.messagesSent, tooSlow: c.tooSlow }, 'RIS Live client left');
    });
    socket.on('error', (err) => req.log.debug({ risClient: c.id, err }, 'RIS Live websocket error'));
  };
  app.get('/v1/ws/', WEBSOCKET_ENDPOINT, handler);
  app.get('/v1/ws', WEBSOCKET_ENDPOINT, handler);
}
