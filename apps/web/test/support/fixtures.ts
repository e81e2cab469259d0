/** Routers and peers as the server sends them (every field of @bmpwatch/api), with only what a test varies given. */
import type { Peer, Router } from '../../src/lib/api-types.ts';

export function peerJson(p: Pick<Peer, 'key' | 'state' | 'since'> & Partial<Peer>): Peer {
  return {
    router: 'r1',
    address: p.key,
    asn: 65001,
    bgp_id: '192.0.2.1',
    peer_type: 'global',
    distinguisher: '0:0',
    flaps: 0,
    last_down_reason: null,
    adj_rib_in: null,
    announcements: 0,
    withdrawals: 0,
    open: null,
    ...p,
  };
}

export function routerJson(r: Pick<Router, 'id'> & Partial<Router>): Router {
  return {
    address: r.id,
    name: null,
    descr: null,
    source: 'demo',
    state: 'up',
    since: 0,
    peers: 0,
    collector: null,
    group: null,
    ...r,
  };
}
