/**
 * Route changes ("elems"): one record per prefix of a Route Monitoring message, flat and JSON-ready.
 * This is the CLI's `--elems` contract and the shape other tools script against.
 */
import { communityPair } from './bgp/attributes/attr-08-communities.ts';
import type { AsPathSegment, Nlri, Origin } from './models/bgp.ts';
import type { RouteMonitoring } from './models/bmp.ts';
import type { PeerTypeName } from './models/iana.ts';

/** An AS number, or a set of them (AS_SET / AS_CONFED_SET) as a nested array. */
export type PathHop = number | number[];

export interface WithdrawElem {
  type: 'withdraw';
  timestamp: number;
  router: string | null;
  peer: string;
  peer_asn: number;
  peer_type: PeerTypeName | 'unknown';
  post_policy: boolean;
  adj_rib_out: boolean;
  path_id: number | null;
  prefix: string;
}

export interface AnnounceElem extends Omit<WithdrawElem, 'type'> {
  type: 'announce';
  path: PathHop[];
  origin: Origin | null;
  next_hop: string | null;
  med: number | null;
  local_pref: number | null;
  community: [number, number][];
  large_community: [number, number, number][];
  ext_community: string[];
}

export type Elem = AnnounceElem | WithdrawElem;

/** AS path as hops: sequences flattened, sets nested. */
export function pathHops(path: AsPathSegment[] | null): PathHop[] {
  if (!path) return [];
  const out: PathHop[] = [];
  for (const seg of path) {
    if (seg.type === 'sequence' || seg.type === 'confed_sequence') for (const a of seg.asns) out.push(a);
    else out.push(seg.asns.slice());
  }
  return out;
}

/** How many withdrawals routeElems gives for the message (a malformed update's announcements count: RFC 7606). */
export function withdrawCount(msg: RouteMonitoring): number {
  const u = msg.update;
  const a = u.attributes;
  let n = u.withdrawn.prefixes.length + (a.mpUnreach?.nlri?.prefixes.length ?? 0);
  if (u.treatAsWithdraw) n += u.announced.prefixes.length + (a.mpReach?.nlri?.prefixes.length ?? 0);
  return n;
}

/** How many announcements routeElems gives for the message. */
export function announceCount(msg: RouteMonitoring): number {
  const u = msg.update;
  if (u.treatAsWithdraw) return 0;
  return u.announced.prefixes.length + (u.attributes.mpReach?.nlri?.prefixes.length ?? 0);
}

/** Route changes of one Route Monitoring message: withdrawals first (as the UPDATE orders them), then announcements. */
export function routeElems(msg: RouteMonitoring, router: string | null = null): Elem[] {
  const u = msg.update;
  const a = u.attributes;
  const peer = msg.peer;
  const out: Elem[] = [];
  const base = (prefix: string, pathId: number | null) => ({
    timestamp: peer.timestamp,
    router,
    peer: peer.address,
    peer_asn: peer.asn,
    peer_type: peer.peerType,
    post_policy: peer.postPolicy,
    adj_rib_out: peer.adjRibOut,
    path_id: pathId,
    prefix,
  });
  const withdraw = (n: Nlri | null) => {
    if (!n) return;
    for (let i = 0; i < n.prefixes.length; i++) {
      out.push({ type: 'withdraw', ...base(n.prefixes[i], n.pathIds ? n.pathIds[i] : null) });
    }
  };
  withdraw(u.withdrawn);
  withdraw(a.mpUnreach?.nlri ?? null);
  if (u.treatAsWithdraw) {
    // RFC 7606: the announced prefixes of a malformed update are withdrawn.
    withdraw(u.announced);
    withdraw(a.mpReach?.nlri ?? null);
    return out;
  }
  if (announceCount(msg) === 0) return out;
  const path = pathHops(a.asPath);
  const community = a.communities ? a.communities.map(communityPair) : [];
  const large = a.largeCommunities ?? [];
  const ext = a.extCommunities ?? [];
  const announce = (n: Nlri | null, nextHop: string | null) => {
    if (!n) return;
    for (let i = 0; i < n.prefixes.length; i++) {
      out.push({
        type: 'announce',
        ...base(n.prefixes[i], n.pathIds ? n.pathIds[i] : null),
        path,
        origin: a.origin,
        next_hop: nextHop,
        med: a.med,
        local_pref: a.localPref,
        community,
        large_community: large,
        ext_community: ext,
      });
    }
  };
  announce(u.announced, a.nextHop);
  announce(a.mpReach?.nlri ?? null, a.mpReach?.nextHop ?? null);
  return out;
}
