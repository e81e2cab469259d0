/**
 * Withdrawals carry no path, so an origin or path filter cannot judge them alone. The route memory keeps the
 * origin and path of announcements that a client with such a filter would want withdrawn, per peer, until the
 * withdrawal comes (or the peer goes down); the withdrawal then carries the remembered path into matching.
 * Bounded: beyond `max` routes nothing more is remembered (counted in `skipped`) until space frees up.
 */
import type { PathHop } from '@bmpwatch/bmp';
import type { PrefixKey } from '../prefix/prefix-key.ts';

export interface RememberedRoute {
  origin: number | null;
  hops: PathHop[];
}

export const DEFAULT_ROUTE_MEMORY = 500_000;

interface PeerRoutes {
  routes: Map<number | string, RememberedRoute>;
  /**
   * A bit per hash of every key ever remembered for the peer (a Bloom filter with one hash): most lookups are
   * for routes never remembered, and a clear bit answers them without building a key or touching the Map.
   */
  seen: Uint32Array;
}

const SEEN_BITS = 1 << 16;

/** Hash of a route key (prefix words, length, path id) into the `seen` bit range. */
function seenBit(k: PrefixKey, pathId: number | null): number {
  let h = Math.imul(k.a ^ (k.len * 0x9e3779b1), 0x85ebca6b);
  if (k.family === 6)
    h = Math.imul(h ^ k.b ^ Math.imul(k.c, 0xc2b2ae35) ^ Math.imul(k.d, 0x27d4eb2f), 0x165667b1);
  if (pathId !== null && pathId !== 0) h = Math.imul(h ^ pathId, 0x85ebca6b);
  h ^= h >>> 15;
  return h & (SEEN_BITS - 1);
}

export class RouteMemory {
  private readonly byPeer = new Map<string, PeerRoutes>();
  size = 0;
  skipped = 0;

  constructor(readonly max = DEFAULT_ROUTE_MEMORY) {}

  /**
   * Key of a route within its peer: prefix and ADD-PATH id (0 and null both mean none). An IPv4 prefix without a
   * path id, nearly every route, is one number and costs no string.
   */
  private static key(k: PrefixKey, pathId: number | null): number | string {
    const base = k.family === 4 ? (k.a >>> 0) * 64 + k.len : `${k.a},${k.b},${k.c},${k.d}/${k.len}`;
    return pathId === null || pathId === 0 ? base : `${base}#${pathId}`;
  }

  /** The peer's routes if this route may be among them (its `seen` bit is set), else undefined. */
  private candidate(peer: string, k: PrefixKey, pathId: number | null): PeerRoutes | undefined {
    const p = this.byPeer.get(peer);
    if (p === undefined) return undefined;
    const bit = seenBit(k, pathId);
    return (p.seen[bit >>> 5] & (1 << (bit & 31))) === 0 ? undefined : p;
  }

  remember(peer: string, prefix: PrefixKey, pathId: number | null, route: RememberedRoute): void {
    let p = this.byPeer.get(peer);
    if (p === undefined) {
      p = { routes: new Map(), seen: new Uint32Array(SEEN_BITS / 32) };
      this.byPeer.set(peer, p);
    }
    const key = RouteMemory.key(prefix, pathId);
    if (p.routes.has(key)) {
      p.routes.set(key, route);
      return;
    }
    if (this.size >= this.max) {
      this.skipped++;
      return;
    }
    p.routes.set(key, route);
    const bit = seenBit(prefix, pathId);
    p.seen[bit >>> 5] |= 1 << (bit & 31);
    this.size++;
  }

  /** Forgets a route (it was replaced by an announcement nobody needs remembered). */
  forget(peer: string, prefix: PrefixKey, pathId: number | null): void {
    const p = this.candidate(peer, prefix, pathId);
    if (p?.routes.delete(RouteMemory.key(prefix, pathId))) this.size--;
  }

  /** The remembered route for a withdrawal, left in memory. */
  peek(peer: string, prefix: PrefixKey, pathId: number | null): RememberedRoute | undefined {
    return this.candidate(peer, prefix, pathId)?.routes.get(RouteMemory.key(prefix, pathId));
  }

  /** The remembered route for a withdrawal, removed from memory; undefined if not remembered. */
  take(peer: string, prefix: PrefixKey, pathId: number | null): RememberedRoute | undefined {
    const p = this.candidate(peer, prefix, pathId);
    if (p === undefined) return undefined;
    const key = RouteMemory.key(prefix, pathId);
    const r = p.routes.get(key);
    if (r !== undefined) {
      p.routes.delete(key);
      this.size--;
    }
    return r;
  }

  /** Drops everything remembered for a peer (it went down: its routes are gone). */
  dropPeer(peer: string): void {
    const p = this.byPeer.get(peer);
    if (p === undefined) return;
    this.size -= p.routes.size;
    this.byPeer.delete(peer);
  }

  clear(): void {
    this.byPeer.clear();
    this.size = 0;
  }
}
