/**
 * The reference matcher: reads a filter field by field, exactly as docs/websocket.md says. Slow (it parses every
 * prefix each call) and obviously right; the server's indexed matcher (src/fanout/subscriptions.ts) must agree
 * with it on every input. Test code only.
 */
import type { Filter, PrefixSubscription } from '../../src/fanout/filter.ts';
import type { RouteMatchInput } from '../../src/fanout/subscriptions.ts';
import { covers, keyOf, type PrefixKey } from '../../src/prefix/prefix-key.ts';

/** What a route event offers to a filter: what the indexed matcher reads, less its pre-parsed key. */
export type RouteFacts = Omit<RouteMatchInput, 'key'>;

function prefixMatches(sub: PrefixSubscription, route: PrefixKey): boolean {
  const s = keyOf(sub.prefix);
  if (s === null || s.family !== route.family) return false;
  if (sub.match === 'exact') return s.len === route.len && covers(s, route);
  if (sub.match === 'more') return covers(s, route);
  return covers(route, s);
}

/**
 * The reference matcher: reads the filter field by field, exactly as docs/websocket.md says. Slow (it parses
 * every prefix each call) and obviously right; the index must agree with it on every input.
 */
export function matchesSlow(filter: Filter, e: RouteFacts): boolean {
  if (filter.kinds !== undefined && !filter.kinds.includes(e.kind)) return false;
  if (filter.prefixes !== undefined) {
    const route = keyOf(e.prefix);
    if (route === null || !filter.prefixes.some((p) => prefixMatches(p, route))) return false;
  }
  if (filter.origin_asns !== undefined) {
    if (e.originAsn === null || !filter.origin_asns.includes(e.originAsn)) return false;
  }
  if (filter.path_asns !== undefined) {
    const inPath = (e.path ?? []).some((hop) =>
      typeof hop === 'number'
        ? filter.path_asns!.includes(hop)
        : hop.some((a) => filter.path_asns!.includes(a)),
    );
    if (!inPath) return false;
  }
  if (filter.peer_asns !== undefined && !filter.peer_asns.includes(e.peerAsn)) return false;
  if (filter.peers !== undefined && !filter.peers.includes(e.peer)) return false;
  if (filter.routers !== undefined) {
    if (
      !filter.routers.includes(e.router) &&
      (e.routerName === null || !filter.routers.includes(e.routerName)) &&
      (e.routerGroup === null || !filter.routers.includes(e.routerGroup))
    )
      return false;
  }
  return true;
}
