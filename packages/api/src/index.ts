/**
 * The JSON the server writes and the dashboard reads — HTTP (/api/routers, /api/peers, /api/health) and the
 * WebSocket API v1 (docs/websocket.md) — declared once. Types only: the server's state builds these objects,
 * the web app parses them; a field changed here is changed for both. Readers must ignore unknown fields.
 */
import type { PeerTypeName } from '@bmpwatch/bmp';

// ---- routers and peers ----

/** Where a router's messages come from. */
export type SourceKind = 'kafka' | 'bmp-tcp' | 'replay' | 'demo';
export type RouterStateName = 'up' | 'down';
export type PeerState = 'up' | 'down' | 'unknown';

/** The Router object. */
export interface RouterJson {
  id: string;
  address: string | null;
  name: string | null;
  descr: string | null;
  source: SourceKind;
  state: RouterStateName;
  since: number;
  peers: number;
  /** OpenBMP collector name (admin id) when the router came through Kafka (an extension; null otherwise). */
  collector: string | null;
  /** OpenBMP router group, when the collector assigns one (binary header only; an extension). */
  group: string | null;
}

export interface RouterEventJson {
  kind: 'router_up' | 'router_down';
  ts: number;
  router: RouterJson;
  reason: string | null;
}

/** Facts from the two OPEN messages of a Peer Up. */
export interface OpenFacts {
  local_address: string;
  local_port: number;
  remote_port: number;
  hold_time: number;
  four_octet_as: boolean;
  /** Families ("ipv4/unicast") both sides announced as multiprotocol capabilities. */
  families: string[];
  /** Families where the peer sends ADD-PATH path ids to the router. */
  add_path: string[];
  /** Capability names the peer sent. */
  capabilities: string[];
}

/** The Peer object. */
export interface PeerJson {
  key: string;
  router: string;
  address: string;
  asn: number;
  bgp_id: string;
  peer_type: PeerTypeName | 'unknown';
  distinguisher: string;
  state: PeerState;
  since: number;
  flaps: number;
  last_down_reason: string | null;
  adj_rib_in: number | null;
  announcements: number;
  withdrawals: number;
  /** Facts from the Peer Up's OPEN messages (an extension; null until a Peer Up was seen). */
  open: OpenFacts | null;
}

export interface PeerEventJson {
  kind: 'peer_up' | 'peer_down' | 'peer_unknown';
  ts: number;
  peer: PeerJson;
  reason: string | null;
}

// ---- sources ----

export type SourceStatusName = 'ok' | 'connecting' | 'error';

/** While a source cannot read: why (e.g. a Kafka consumer's failure kind), since when, when it retries. */
export interface SourceFailure {
  kind: string;
  message: string;
  /** ISO time the failure began. */
  since: string;
  /** Failures in a row. */
  failures: number;
  retry_in_s: number;
}

/** A source as /api/health, /metrics and the dashboard show it. */
export interface SourceJson {
  id: string;
  kind: string;
  status: SourceStatusName;
  detail: string;
  messages: number;
  errors: number;
  /**
   * When the first and the latest message arrived (seconds since the epoch, ms precision; null: none yet).
   * A source whose latest message is old has gone quiet; the two also time a burst by the server's clock.
   */
  first_message_at: number | null;
  last_message_at: number | null;
  /** Decode errors per message over the last minute. */
  decode_error_rate: number;
  /** The decode error code seen most over the last minute, or null. */
  commonest_error: string | null;
  failure?: SourceFailure;
}

// ---- routes ----

export type PrefixMatch = 'exact' | 'more' | 'less';
export type RouteKind = 'announce' | 'withdraw';
export type FilterKind = RouteKind | 'peer';

/** The subscription filter as a client sends it: all fields optional, AND across fields, OR within. */
export interface FilterJson {
  prefixes?: (string | { prefix: string; match: PrefixMatch })[];
  origin_asns?: number[];
  path_asns?: number[];
  peer_asns?: number[];
  peers?: string[];
  routers?: string[];
  kinds?: FilterKind[];
}

/** An AS path: ASNs, with AS_SETs as nested arrays. */
export type AsPath = (number | number[])[];

/** One route change (one prefix of one UPDATE). Announcements carry the attributes. */
export interface RouteEventJson {
  kind: RouteKind;
  ts: number;
  router: string;
  peer: string;
  peer_asn: number;
  peer_type?: string;
  post_policy?: boolean;
  adj_rib_out?: boolean;
  path_id?: number | null;
  prefix: string;
  path?: AsPath;
  origin_asn?: number | null;
  origin?: string;
  next_hop?: string | null;
  med?: number | null;
  local_pref?: number | null;
  communities?: string[];
  large_communities?: string[];
  ext_communities?: string[];
}

// ---- WebSocket frames (server → client) ----

export interface RatePoint {
  t: number;
  a: number;
  w: number;
}

/** Announcements and withdrawals in one second. */
export interface AW {
  a: number;
  w: number;
}

export interface HelloFrame {
  v: number;
  type: 'hello';
  server: string;
  version: string;
  snapshot: {
    routers: RouterJson[];
    peers: PeerJson[];
    sources: SourceJson[];
    rates: { interval_s: number; series: RatePoint[] };
  };
}

export interface SubscribedFrame {
  v: number;
  type: 'subscribed';
  id?: string;
  filter: FilterJson;
}

export interface BatchFrame {
  v: number;
  type: 'batch';
  t: number;
  routes?: RouteEventJson[];
  peers?: PeerEventJson[];
  routers?: RouterEventJson[];
}

export interface RatesFrame {
  v: number;
  type: 'rates';
  t: number;
  global: AW;
  routers?: Record<string, AW>;
  peers?: Record<string, AW>;
  ingest?: { messages: number; bytes: number };
}

export interface DroppedFrame {
  v: number;
  type: 'dropped';
  count: number;
  reason: string;
}

export interface ErrorFrame {
  v: number;
  type: 'error';
  code: string;
  message: string;
  id?: string;
}

export interface PongFrame {
  v: number;
  type: 'pong';
  id?: string;
  t: number;
}

export type ServerFrame =
  | HelloFrame
  | SubscribedFrame
  | BatchFrame
  | RatesFrame
  | DroppedFrame
  | ErrorFrame
  | PongFrame;
