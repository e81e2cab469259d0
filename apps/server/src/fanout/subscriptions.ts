/**
 * The subscription index: which clients want a given route event, at a cost that grows with the candidates an
 * event touches rather than with clients × events.
 *
 * Each subscription is filed under one "primary" field — its prefixes (in the trie), else its origin ASNs, peers,
 * peer ASNs, path ASNs or routers (in maps), else in a match-everything list per route kind. An event looks up
 * only the entries its own prefix / origin / peer / path / router lead to, then checks each candidate's other
 * fields against small sets. A subscription with prefixes is always filed by prefix, so the check never needs
 * the prefix list again. A per-entry stamp removes duplicates (a route can match several of one client's prefixes).
 */

import { keyOf, PrefixKey, parseKey } from '../prefix/prefix-key.ts';
import { PrefixTrie } from '../prefix/prefix-trie.ts';
import type { Filter, RouteKind } from './filter.ts';

type Primary = 'prefixes' | 'origin' | 'peer' | 'peer_asn' | 'path' | 'router' | 'all';

/** What the index needs from a route event (filled in place by the caller, no allocation). */
export interface RouteMatchInput {
  kind: RouteKind;
  /** The prefix as a key when the caller has one (saves parsing `prefix`); null: parse `prefix`. */
  key: PrefixKey | null;
  prefix: string;
  originAsn: number | null;
  path: readonly (number | readonly number[])[] | null;
  peerAsn: number;
  peer: string;
  router: string;
  routerName: string | null;
  /** The router's OpenBMP group (routers filters match id, name or group). */
  routerGroup: string | null;
}

class Entry<C> {
  stamp = 0;
  readonly announce: boolean;
  readonly withdraw: boolean;
  readonly origins: Set<number> | null;
  readonly pathAsns: Set<number> | null;
  readonly peerAsns: Set<number> | null;
  readonly peers: Set<string> | null;
  readonly routers: Set<string> | null;
  readonly primary: Primary;
  /**
   * An origin or path filter that wants withdrawals: its withdrawals can only be judged with the path of the
   * announcement they withdraw, so the hub remembers announcements such entries would want withdrawn.
   */
  readonly watcher: boolean;

  constructor(
    readonly client: C,
    readonly filter: Filter,
  ) {
    const kinds = filter.kinds;
    this.announce = kinds === undefined || kinds.includes('announce');
    this.withdraw = kinds === undefined || kinds.includes('withdraw');
    this.origins = filter.origin_asns ? new Set(filter.origin_asns) : null;
    this.pathAsns = filter.path_asns ? new Set(filter.path_asns) : null;
    this.peerAsns = filter.peer_asns ? new Set(filter.peer_asns) : null;
    this.peers = filter.peers ? new Set(filter.peers) : null;
    this.routers = filter.routers ? new Set(filter.routers) : null;
    // Most selective field first; path ASNs (transit ASes appear in half the table) and routers come last.
    this.primary = filter.prefixes
      ? 'prefixes'
      : this.origins
        ? 'origin'
        : this.peers
          ? 'peer'
          : this.peerAsns
            ? 'peer_asn'
            : this.pathAsns
              ? 'path'
              : this.routers
                ? 'router'
                : 'all';
    this.watcher = this.withdraw && (this.origins !== null || this.pathAsns !== null);
  }

  /** Checks every field except the primary one's (prefixes never need checking here; see the file comment). */
  accepts(e: RouteMatchInput): boolean {
    if (e.kind === 'announce' ? !this.announce : !this.withdraw) return false;
    return this.acceptsFields(e);
  }

  /** Every field but the kind and the primary one. */
  acceptsFields(e: RouteMatchInput): boolean {
    if (this.origins !== null && this.primary !== 'origin') {
      if (e.originAsn === null || !this.origins.has(e.originAsn)) return false;
    }
    if (this.peers !== null && this.primary !== 'peer' && !this.peers.has(e.peer)) return false;
    if (this.peerAsns !== null && this.primary !== 'peer_asn' && !this.peerAsns.has(e.peerAsn)) return false;
    if (this.pathAsns !== null && this.primary !== 'path' && !pathHas(e.path, this.pathAsns)) return false;
    if (this.routers !== null && this.primary !== 'router') {
      if (
        !this.routers.has(e.router) &&
        (e.routerName === null || !this.routers.has(e.routerName)) &&
        (e.routerGroup === null || !this.routers.has(e.routerGroup))
      )
        return false;
    }
    return true;
  }
}

function pathHas(path: RouteMatchInput['path'], asns: Set<number>): boolean {
  if (path === null) return false;
  for (let i = 0; i < path.length; i++) {
    const hop = path[i];
    if (typeof hop === 'number') {
      if (asns.has(hop)) return true;
    } else {
      for (let j = 0; j < hop.length; j++) if (asns.has(hop[j])) return true;
    }
  }
  return false;
}

function addTo<K, C>(map: Map<K, Entry<C>[]>, key: K, e: Entry<C>): void {
  const l = map.get(key);
  if (l === undefined) map.set(key, [e]);
  else l.push(e);
}

function removeFrom<K, C>(map: Map<K, Entry<C>[]>, key: K, e: Entry<C>): void {
  const l = map.get(key);
  if (l === undefined) return;
  const at = l.indexOf(e);
  if (at < 0) return;
  l[at] = l[l.length - 1];
  l.pop();
  if (l.length === 0) map.delete(key);
}

export class SubscriptionIndex<C> {
  private readonly entries = new Map<C, Entry<C>>();
  private readonly trie = new PrefixTrie<Entry<C>>();
  private readonly byOrigin = new Map<number, Entry<C>[]>();
  private readonly byPeer = new Map<string, Entry<C>[]>();
  private readonly byPeerAsn = new Map<number, Entry<C>[]>();
  private readonly byPath = new Map<number, Entry<C>[]>();
  private readonly byRouter = new Map<string, Entry<C>[]>();
  private readonly allAnnounce: Entry<C>[] = [];
  private readonly allWithdraw: Entry<C>[] = [];
  private stamp = 0;
  private pathEntries = 0;
  private watcherEntries = 0;
  private watcherPathEntries = 0;
  private readonly key = new PrefixKey();
  private readonly candidates: Entry<C>[] = [];

  get size(): number {
    return this.entries.size;
  }

  /** Whether any filter looks at AS paths (otherwise callers need not flatten them). */
  get needsPath(): boolean {
    return this.pathEntries > 0;
  }

  /** Whether any filter waits for withdrawals by origin or path (see Entry.watcher). */
  get hasWatchers(): boolean {
    return this.watcherEntries > 0;
  }

  /** Whether any such filter looks at paths (then remembered announcements keep theirs). */
  get watchersNeedPath(): boolean {
    return this.watcherPathEntries > 0;
  }

  /**
   * Adds a client's filter, replacing the one it had (a v1 client has one filter; RIS Live's index keeps several
   * per client under the same verbs). The filter must come from parseFilter (canonical, valid).
   */
  add(client: C, filter: Filter): void {
    this.removeClient(client);
    const e = new Entry(client, filter);
    this.entries.set(client, e);
    if (e.pathAsns !== null) this.pathEntries++;
    if (e.watcher) this.watcherEntries++;
    if (e.watcher && e.pathAsns !== null) this.watcherPathEntries++;
    switch (e.primary) {
      case 'prefixes':
        for (const p of filter.prefixes!) this.trie.insert(keyOf(p.prefix)!, p.match, e);
        break;
      case 'origin':
        for (const a of e.origins!) addTo(this.byOrigin, a, e);
        break;
      case 'peer':
        for (const p of e.peers!) addTo(this.byPeer, p, e);
        break;
      case 'peer_asn':
        for (const a of e.peerAsns!) addTo(this.byPeerAsn, a, e);
        break;
      case 'path':
        for (const a of e.pathAsns!) addTo(this.byPath, a, e);
        break;
      case 'router':
        for (const r of e.routers!) addTo(this.byRouter, r, e);
        break;
      case 'all':
        if (e.announce) this.allAnnounce.push(e);
        if (e.withdraw) this.allWithdraw.push(e);
        break;
    }
  }

  removeClient(client: C): void {
    const e = this.entries.get(client);
    if (e === undefined) return;
    this.entries.delete(client);
    if (e.pathAsns !== null) this.pathEntries--;
    if (e.watcher) this.watcherEntries--;
    if (e.watcher && e.pathAsns !== null) this.watcherPathEntries--;
    switch (e.primary) {
      case 'prefixes':
        for (const p of e.filter.prefixes!) this.trie.remove(keyOf(p.prefix)!, p.match, e);
        break;
      case 'origin':
        for (const a of e.origins!) removeFrom(this.byOrigin, a, e);
        break;
      case 'peer':
        for (const p of e.peers!) removeFrom(this.byPeer, p, e);
        break;
      case 'peer_asn':
        for (const a of e.peerAsns!) removeFrom(this.byPeerAsn, a, e);
        break;
      case 'path':
        for (const a of e.pathAsns!) removeFrom(this.byPath, a, e);
        break;
      case 'router':
        for (const r of e.routers!) removeFrom(this.byRouter, r, e);
        break;
      case 'all': {
        for (const l of [this.allAnnounce, this.allWithdraw]) {
          const at = l.indexOf(e);
          if (at >= 0) l.splice(at, 1);
        }
        break;
      }
    }
  }

  /**
   * Appends each client whose filter matches the event to `out`, once. With `watchers` (for an announcement):
   * also appends the watcher clients that would want this route's withdrawal, in the same walk.
   */
  match(ev: RouteMatchInput, out: C[], watchers: C[] | null = null): void {
    if (this.entries.size === 0) return;
    const stamp = ++this.stamp;
    const all = ev.kind === 'announce' ? this.allAnnounce : this.allWithdraw;
    for (let i = 0; i < all.length; i++) {
      all[i].stamp = stamp;
      out.push(all[i].client);
    }
    const cand = this.candidates;
    cand.length = 0;
    if (this.trie.size > 0) {
      if (ev.key !== null) this.trie.match(ev.key, cand);
      else if (parseKey(ev.prefix, this.key)) this.trie.match(this.key, cand);
    }
    if (ev.originAsn !== null && this.byOrigin.size > 0) pushList(cand, this.byOrigin.get(ev.originAsn));
    if (this.byPeer.size > 0) pushList(cand, this.byPeer.get(ev.peer));
    if (this.byPeerAsn.size > 0) pushList(cand, this.byPeerAsn.get(ev.peerAsn));
    if (this.byPath.size > 0 && ev.path !== null) {
      for (let i = 0; i < ev.path.length; i++) {
        const hop = ev.path[i];
        if (typeof hop === 'number') pushList(cand, this.byPath.get(hop));
        else for (let j = 0; j < hop.length; j++) pushList(cand, this.byPath.get(hop[j]));
      }
    }
    if (this.byRouter.size > 0) {
      pushList(cand, this.byRouter.get(ev.router));
      if (ev.routerName !== null) pushList(cand, this.byRouter.get(ev.routerName));
      if (ev.routerGroup !== null) pushList(cand, this.byRouter.get(ev.routerGroup));
    }
    for (let i = 0; i < cand.length; i++) {
      const e = cand[i];
      if (e.stamp === stamp) continue;
      e.stamp = stamp;
      if (watchers === null) {
        if (e.accepts(ev)) out.push(e.client);
      } else {
        const kindOk = ev.kind === 'announce' ? e.announce : e.withdraw;
        if ((kindOk || e.watcher) && e.acceptsFields(ev)) {
          if (kindOk) out.push(e.client);
          if (e.watcher) watchers.push(e.client);
        }
      }
    }
  }
}

function pushList<T>(out: T[], l: T[] | undefined): void {
  if (l === undefined) return;
  for (let i = 0; i < l.length; i++) out.push(l[i]);
}
