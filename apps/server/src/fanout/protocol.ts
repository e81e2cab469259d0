/**
 * WebSocket API v1 (docs/websocket.md): parsing client frames and building server frames. Pure functions; the
 * socket handling lives in ws-route.ts and client.ts.
 */
import type { WsErrorCode } from '../lib/errors.ts';
import { nestsDeeperThan } from '../ws/json-depth.ts';
import { MAX_CLIENT_FRAME_DEPTH } from '../ws/limits.ts';
import { type Filter, parseFilter } from './filter.ts';

export const API_VERSION = 1;
/**
 * Filter values (prefixes, ASNs, peers, routers) a client may subscribe to in a burst, and per second after
 * it. Validating and indexing cost about 1.3 µs per value: this keeps one client near 1 % of a core.
 */
export const SUBSCRIBE_VALUES_BURST = 60_000;
export const SUBSCRIBE_VALUES_PER_SECOND = 10_000;
/** Ids are echoed in every reply; a longer one is refused rather than sent back. */
const MAX_ID_LENGTH = 256;
/** Error messages quote what the client sent; this caps how much of it comes back. */
const MAX_ERROR_MESSAGE = 300;

/** WebSocket close codes the server uses besides the standard ones (docs/websocket.md "Limits"). */
export const CLOSE_SLOW_CLIENT = 4001;

export type ClientFrame =
  | { type: 'subscribe'; id: string | null; filter: Filter }
  | { type: 'unsubscribe'; id: string | null }
  | { type: 'ping'; id: string | null };

export interface ProtocolError {
  type: 'protocol_error';
  code: WsErrorCode;
  message: string;
  id: string | null;
}

function error(code: WsErrorCode, message: string, id: string | null = null): ProtocolError {
  return { type: 'protocol_error', code, message, id };
}

/** Parses one text frame from a client. */
export function parseClientFrame(text: string): ClientFrame | ProtocolError {
  if (nestsDeeperThan(text, MAX_CLIENT_FRAME_DEPTH))
    return error(
      'WS_ERR_TOO_DEEP',
      `frame nests arrays/objects deeper than ${MAX_CLIENT_FRAME_DEPTH} levels`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return error('WS_ERR_BAD_JSON', `frame is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return error('WS_ERR_BAD_MESSAGE', 'frame must be a JSON object with a "type"');
  const r = raw as Record<string, unknown>;
  if (r.id !== undefined && r.id !== null && typeof r.id !== 'string')
    return error('WS_ERR_BAD_MESSAGE', `"id" must be a string, got ${typeof r.id}`);
  if (typeof r.id === 'string' && r.id.length > MAX_ID_LENGTH)
    return error('WS_ERR_BAD_MESSAGE', `"id" is longer than ${MAX_ID_LENGTH} characters`);
  const id = typeof r.id === 'string' ? r.id : null;
  switch (r.type) {
    case 'subscribe': {
      const f = parseFilter(r.filter ?? {});
      if (!f.ok) return error('WS_ERR_BAD_FILTER', f.message, id);
      return { type: 'subscribe', id, filter: f.filter };
    }
    case 'unsubscribe':
    case 'ping':
      return { type: r.type, id };
    default:
      return error(
        'WS_ERR_BAD_MESSAGE',
        r.type === undefined
          ? 'frame has no "type"'
          : `unknown frame type ${JSON.stringify(r.type)} (expected "subscribe", "unsubscribe" or "ping")`,
        id,
      );
  }
}

/** How many filter values a subscription indexes: what it costs the server. */
export function filterSize(f: Filter): number {
  let n = 0;
  for (const list of [f.prefixes, f.origin_asns, f.path_asns, f.peer_asns, f.peers, f.routers])
    n += list?.length ?? 0;
  return n;
}

export function errorFrame(code: WsErrorCode, message: string, id: string | null): string {
  const text = message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE)}…` : message;
  return JSON.stringify({ v: API_VERSION, type: 'error', code, message: text, id });
}

export function pongFrame(id: string | null, t: number): string {
  return JSON.stringify({ v: API_VERSION, type: 'pong', id, t });
}

export function subscribedFrame(id: string | null, filter: Filter): string {
  return JSON.stringify({ v: API_VERSION, type: 'subscribed', id, filter });
}

export function unsubscribedFrame(id: string | null): string {
  return JSON.stringify({ v: API_VERSION, type: 'unsubscribed', id });
}

export function droppedFrame(count: number): string {
  return `{"v":${API_VERSION},"type":"dropped","count":${count},"reason":"slow_client"}`;
}

const COMMA = Buffer.from(',');
const PEERS_PART = Buffer.from('],"peers":[');
const ROUTERS_PART = Buffer.from('],"routers":[');
const END_PART = Buffer.from(']}');

function pushList(parts: Buffer[], list: Buffer[]): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    if (i > 0) {
      parts.push(COMMA);
      n++;
    }
    parts.push(list[i]);
    n += list[i].length;
  }
  return n;
}

/** A batch frame assembled from already-encoded events: one copy of each event's bytes, no re-encoding. */
export function batchFrameBuffer(t: number, routes: Buffer[], peers: Buffer[], routers: Buffer[]): Buffer {
  const head = Buffer.from(`{"v":${API_VERSION},"type":"batch","t":${t},"routes":[`);
  const parts: Buffer[] = [head];
  let n = head.length + PEERS_PART.length + ROUTERS_PART.length + END_PART.length;
  n += pushList(parts, routes);
  parts.push(PEERS_PART);
  n += pushList(parts, peers);
  parts.push(ROUTERS_PART);
  n += pushList(parts, routers);
  parts.push(END_PART);
  return Buffer.concat(parts, n);
}
