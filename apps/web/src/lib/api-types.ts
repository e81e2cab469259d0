// The server's JSON (HTTP API and WebSocket API v1, docs/websocket.md), from the one declaration both sides share
// (@bmpwatch/api), under the short names the dashboard's code uses. Unknown fields are ignored, so every object
// may carry more than is listed there.
export type {
  AW,
  ErrorFrame,
  FilterJson as ApiFilter,
  FilterKind,
  HelloFrame,
  PeerEventJson as PeerEvent,
  PeerJson as Peer,
  PrefixMatch,
  RatesFrame,
  RouteEventJson as RouteEvent,
  RouterEventJson as RouterEvent,
  RouterJson as Router,
  ServerFrame,
  SourceJson as Source,
} from '@bmpwatch/api';
