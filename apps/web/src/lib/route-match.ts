// Client-side check that a route event matches the applied filter (docs/websocket.md semantics).
// The server filters; this guards the feed against events of a previous filter that were already
// on their way when the new one was confirmed.
import type { RouteEvent } from './api-types.ts';
import type { Filter } from './filter.ts';
import { parseIPv4, parseIPv6 } from './prefix.ts';

interface Bits {
  family: 4 | 6;
  /** 32-bit words: one for IPv4, four for IPv6. */
  words: number[];
  len: number;
}

export function prefixBits(text: string): Bits | null {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const len = slash === -1 ? -1 : Number(text.slice(slash + 1));
  const v4 = parseIPv4(addr);
  if (v4 !== null) return { family: 4, words: [v4], len: len < 0 ? 32 : len };
  const v6 = parseIPv6(addr);
  if (v6 === null) return null;
  const words = [0, 1, 2, 3].map((i) => (v6[i * 2] * 65536 + v6[i * 2 + 1]) >>> 0);
  return { family: 6, words, len: len < 0 ? 128 : len };
}

/** Whether `outer` covers `inner` (same family, outer.len ≤ inner.len, first outer.len bits equal). */
export function covers(outer: Bits, inner: Bits): boolean {
  if (outer.family !== inner.family || outer.len > inner.len) return false;
  let left = outer.len;
  for (let i = 0; left > 0; i++, left -= 32) {
    const n = Math.min(32, left);
    const mask = n === 32 ? 0xffffffff : (0xffffffff << (32 - n)) >>> 0;
    if ((outer.words[i] & mask) >>> 0 !== (inner.words[i] & mask) >>> 0) return false;
  }
  return true;
}

function pathHas(path: RouteEvent['path'], asn: number): boolean {
  if (!path) return false;
  for (const x of path) if (x === asn || (Array.isArray(x) && x.includes(asn))) return true;
  return false;
}

export type RouteMatcher = (e: RouteEvent) => boolean;

/**
 * A matcher for the filter. `routerAliases` maps a router id to its other names, sysName and OpenBMP group
 * (the filter's routers may name any). Withdrawals carry no path: origin and path conditions are left to the
 * server there.
 */
export function compileMatcher(
  f: Filter,
  routerAliases: (id: string) => readonly (string | null | undefined)[],
): RouteMatcher {
  const prefixes = f.prefixes.map(prefixBits).filter((b): b is Bits => b !== null);
  const origins = f.originAsns.length ? new Set(f.originAsns) : null;
  const peers = f.peers.length ? new Set(f.peers) : null;
  const peerAsns = f.peerAsns.length ? new Set(f.peerAsns) : null;
  const routers = f.routers.length ? new Set(f.routers) : null;
  const kinds = f.kinds.length ? new Set(f.kinds) : null;
  return (e) => {
    if (kinds && !kinds.has(e.kind)) return false;
    if (peers && !peers.has(e.peer)) return false;
    if (peerAsns && !peerAsns.has(e.peer_asn)) return false;
    if (
      routers &&
      !routers.has(e.router) &&
      !routerAliases(e.router).some((a) => a != null && routers.has(a))
    )
      return false;
    if (e.kind === 'announce') {
      if (origins && (e.origin_asn === null || e.origin_asn === undefined || !origins.has(e.origin_asn)))
        return false;
      if (f.pathAsns.length && !f.pathAsns.some((a) => pathHas(e.path, a))) return false;
    }
    if (prefixes.length) {
      const p = prefixBits(e.prefix);
      if (!p) return false;
      const ok = prefixes.some((q) =>
        f.match === 'exact'
          ? q.len === p.len && covers(q, p)
          : f.match === 'more'
            ? covers(q, p)
            : covers(p, q),
      );
      if (!ok) return false;
    }
    return true;
  };
}
