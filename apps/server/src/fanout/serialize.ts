/**
 * Route events as JSON text, built once per event and shared by every client that matched it. The parts shared
 * by all prefixes of one UPDATE (router/peer context, path attributes) are rendered once per UPDATE; each
 * prefix adds only its own few fields. Field order follows docs/websocket.md "RouteEvent".
 */
import type { PathAttributes, PathHop } from '@bmpwatch/bmp';
import type { RouteUpdate } from '../model/events.ts';

/** `"router":…,"peer":…,"peer_asn":…,"peer_type":…,"post_policy":…,"adj_rib_out":…` for an update. */
export function routeContextJson(u: RouteUpdate): string {
  const p = u.peer;
  return (
    '"router":' +
    JSON.stringify(u.router.id) +
    ',"peer":"' +
    p.address +
    '","peer_asn":' +
    p.asn +
    ',"peer_type":"' +
    p.peerType +
    '","post_policy":' +
    p.postPolicy +
    ',"adj_rib_out":' +
    p.adjRibOut
  );
}

function community(c: number): string {
  return '"' + (c >>> 16) + ':' + (c & 0xffff) + '"';
}

/** `,"path":…,…,"ext_communities":[…]` — everything after "prefix" in an announcement. */
export function announceTailJson(
  a: PathAttributes,
  hops: PathHop[],
  origin: number | null,
  nextHop: string | null,
): string {
  let communities = '';
  if (a.communities !== null) {
    for (let i = 0; i < a.communities.length; i++)
      communities += (i > 0 ? ',' : '') + community(a.communities[i]);
  }
  let large = '';
  if (a.largeCommunities !== null) {
    for (let i = 0; i < a.largeCommunities.length; i++) {
      const l = a.largeCommunities[i];
      large += (i > 0 ? ',' : '') + '"' + l[0] + ':' + l[1] + ':' + l[2] + '"';
    }
  }
  return (
    ',"path":' +
    JSON.stringify(hops) +
    ',"origin_asn":' +
    origin +
    ',"origin":' +
    (a.origin === null ? 'null' : '"' + a.origin + '"') +
    ',"next_hop":' +
    (nextHop === null ? 'null' : '"' + nextHop + '"') +
    ',"med":' +
    a.med +
    ',"local_pref":' +
    a.localPref +
    ',"communities":[' +
    communities +
    '],"large_communities":[' +
    large +
    '],"ext_communities":' +
    (a.extCommunities === null ? '[]' : JSON.stringify(a.extCommunities))
  );
}

/** One RouteEvent. `tail` is announceTailJson(...) for announcements, '' for withdrawals. */
export function routeEventJson(
  kind: 'announce' | 'withdraw',
  ts: number,
  context: string,
  pathId: number | null,
  prefix: string,
  tail: string,
): string {
  return (
    '{"kind":"' +
    kind +
    '","ts":' +
    ts +
    ',' +
    context +
    ',"path_id":' +
    pathId +
    ',"prefix":"' +
    prefix +
    '"' +
    tail +
    '}'
  );
}
