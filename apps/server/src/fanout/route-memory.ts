/**
 * Withdrawals carry no path, so an origin or path filter cannot judge them alone. The route memory keeps the
 * origin and path of announcements that a client with such a filter would want withdrawn, per peer, until the
 * withdrawal comes (or the peer goes down); the withdrawal then carries the remembered path into matching.
 * Bounded: beyond `max` routes nothing more is remembered (counted in `skipped`) until space frees up.
 */
import type { PathHop } from '@bmpwatch/bmp';
import type { PrefixKey } from './prefix-key.ts';

export interface RememberedRoute {
  origin: number | null;
  hops: PathHop[];
}

export const DEFAULT_ROUTE_MEMORY = 500_000;

export class RouteMemory {
  private readonly byPeer = new Map<string, Map<number | string, RememberedRoute>>();
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

  remember(peer: string, prefix: PrefixKey, pathId: number | null, route: RememberedRoute): void {
    let m = this.byPeer.get(peer);
    if (m === undefined) {
      m = new Map();
      this.byPeer.set(peer, m);
    }
    const key = RouteMemory.key(prefix, pathId);
    if (m.has(key)) {
      m.set(key, route);
      return;
    }
    if (this.size >= this.max) {
      this.skipped++;
      return;
    }
    m.set(key, route);
    this.size++;
  }

  /** Forgets a route (it was replaced by an announcement nobody needs remembered). */
  forget(peer: string, prefix: PrefixKey, pathId: number | null): void {
    const m = this.byPeer.get(peer);
    if (m?.delete(RouteMemory.key(prefix, pathId))) this.size--;
  }

  /** The remembered route for a withdrawal, left in memory. */
  peek(peer: string, prefix: PrefixKey, pathId: number | null): RememberedRoute | undefined {
    return this.byPeer.get(peer)?.get(RouteMemory.key(prefix, pathId));
  }

  /** The remembered route for a withdrawal, removed from memory; undefined if not remembered. */
  take(peer: string, prefix: PrefixKey, pathId: number | null): RememberedRoute | undefined {
    const m = this.byPeer.get(peer);
    if (m === undefined) return undefined;
    const key = RouteMemory.key(prefix, pathId);
    const r = m.get(key);
    if (r !== undefined) {
      m.delete(key);
      this.size--;
    }
    return r;
  }

  /** Drops everything remembered for a peer (it went down: its routes are gone). */
  dropPeer(peer: string): void {
    const m = this.byPeer.get(peer);
    if (m === undefined) return;
    this.size -= m.size;
    this.byPeer.delete(peer);
  }

  clear(): void {
    this.byPeer.clear();
    this.size = 0;
  }
}
