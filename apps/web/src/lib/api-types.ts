// Types of the WebSocket API v1 (docs/websocket.md). Unknown fields are ignored, so every object may
// carry more than is listed here.

export type PrefixMatch = 'exact' | 'more' | 'less';
export type RouteKind = 'announce' | 'withdraw';
export type FilterKind = RouteKind | 'peer';

/** The subscription filter as sent to the server: all fields optional, AND across fields, OR within. */
export interface ApiFilter {
  prefixes?: { prefix: string; match: PrefixMatch }[];
  origin_asns?: number[];
  path_asns?: number[];
  peer_asns?: number[];
  peers?: string[];
  routers?: string[];
  kinds?: FilterKind[];
}

/** An AS path: ASNs, with AS_SETs as nested arrays. */
export type AsPath = (number | number[])[];

export interface RouteEvent {
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

export type RouterState = 'up' | 'down';
export type PeerState = 'up' | 'down' | 'unknown';

export interface Router {
  id: string;
  address: string;
  name: string | null;
  descr: string | null;
  source: string;
  state: RouterState;
  since: number;
  peers: number;
  /** OpenBMP collector name (admin id), for routers read from Kafka. */
  collector?: string | null;
  /** OpenBMP router group, when the collector assigns one. */
  group?: string | null;
}

export interface Peer {
  key: string;
  router: string;
  address: string;
  asn: number;
  bgp_id?: string | null;
  peer_type?: string;
  distinguisher?: string;
  state: PeerState;
  since: number;
  flaps: number;
  last_down_reason: string | null;
  adj_rib_in: number | null;
  announcements: number;
  withdrawals: number;
}

export interface PeerEvent {
  kind: 'peer_up' | 'peer_down' | 'peer_unknown';
  ts: number;
  peer: Peer;
  reason: string | null;
}

export interface RouterEvent {
  kind: 'router_up' | 'router_down';
  ts: number;
  router: Router;
  reason: string | null;
}

export type SourceStatus = 'ok' | 'connecting' | 'error';

export interface Source {
  id: string;
  kind: string;
  status: SourceStatus;
  detail?: string | null;
  /** While the source cannot read: the kind of failure and why (e.g. a Kafka codec the server lacks). */
  failure?: { kind: string; message: string; since: string; failures: number; retry_in_s: number };
  /** Decode errors per message over the last minute. */
  decode_error_rate?: number;
  messages?: number;
  errors?: number;
}

export interface RatePoint {
  t: number;
  a: number;
  w: number;
}

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
    routers: Router[];
    peers: Peer[];
    sources: Source[];
    rates: { interval_s: number; series: RatePoint[] };
  };
}

export interface SubscribedFrame {
  v: number;
  type: 'subscribed';
  id?: string;
  filter: ApiFilter;
}

export interface BatchFrame {
  v: number;
  type: 'batch';
  t: number;
  routes?: RouteEvent[];
  peers?: PeerEvent[];
  routers?: RouterEvent[];
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
