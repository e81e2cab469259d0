/**
 * The pipeline's events as plain data: which router a message came from and what it meant (routes, peer and
 * router state, statistics). No logic here: pipeline/ builds these, state/ and the consumers read them.
 */

import type { OpenFacts, SourceKind } from '@bmpwatch/api';
import type { PathAttributes, PeerDown, PeerUp, PerPeerHeader } from '@bmpwatch/bmp';

export type { OpenFacts, SourceKind };

/** Which router a message belongs to, and through which source it arrived. */
export interface RouterRef {
  /** Router id: its address when known (TCP peer address, OpenBMP router IP), else a stable name. */
  id: string;
  address: string | null;
  source: SourceKind;
  sourceId: string;
  /** OpenBMP collector name (admin id), when the message came through OpenBMP. */
  collector: string | null;
  /** OpenBMP router group, when the collector assigns one (null when empty or not OpenBMP). */
  group: string | null;
}

/** Prefixes of one address family with what the UPDATE said about them. */
export interface RouteGroup {
  prefixes: string[];
  pathIds: number[] | null;
  nextHop: string | null;
}

/** One Route Monitoring message: its withdrawals and announcements, sharing one peer and one set of attributes. */
export interface RouteUpdate {
  type: 'routes';
  router: RouterRef;
  peer: PerPeerHeader;
  /** Event time in seconds: the per-peer timestamp, or arrival time when the router left it zero. */
  ts: number;
  withdrawn: RouteGroup[];
  announced: RouteGroup[];
  /** Null when there are no announcements. */
  attributes: PathAttributes | null;
  announceCount: number;
  withdrawCount: number;
  /**
   * The buffer the message was decoded from and where its BMP message starts, for consumers that forward the
   * BGP UPDATE as received (RIS Live's `raw`). Only valid while the event is applied (the buffer is the
   * source's); null when the event was not decoded from bytes. Two fields rather than a view: no allocation.
   */
  bytes: Uint8Array | null;
  offset: number;
}

export interface PeerUpEvent {
  type: 'peer_up';
  router: RouterRef;
  peer: PerPeerHeader;
  ts: number;
  open: OpenFacts;
  /** The decoded Peer Up itself (its two OPEN messages), for consumers that show them. */
  msg: PeerUp;
}

export interface PeerDownEvent {
  type: 'peer_down';
  router: RouterRef;
  peer: PerPeerHeader;
  ts: number;
  reason: string;
  /** The decoded Peer Down itself (its NOTIFICATION, if any). */
  msg: PeerDown;
}

export interface StatsEvent {
  type: 'stats';
  router: RouterRef;
  peer: PerPeerHeader;
  ts: number;
  /** Adj-RIB-In routes (type 7, else the sum of type 9 over families), or null when not reported. */
  adjRibIn: number | null;
  stats: { name: string; value: number | null; afi: number | null; safi: number | null }[];
}

export interface RouterUpEvent {
  type: 'router_up';
  router: RouterRef;
  ts: number;
  name: string | null;
  descr: string | null;
  reason: string;
}

export interface RouterDownEvent {
  type: 'router_down';
  router: RouterRef;
  ts: number;
  reason: string;
}
