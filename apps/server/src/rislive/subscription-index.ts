/**
 * Which RIS Live sockets want a message. Subscriptions with a prefix sit in the fan-out's prefix trie (so an
 * UPDATE costs a walk per prefix it carries, not a look at every subscription); the others, usually few, are
 * checked one by one. A socket gets each message once, however many of its subscriptions match (RIS Live
 * delivers the union of a socket's subscriptions).
 */
import type { PathHop, RouteScan } from '@bmpwatch/bmp';
import type { RouteGroup, RouteUpdate } from '../model/events.ts';
import { keyOf, PrefixKey, parseKey, scannedKey } from '../prefix/prefix-key.ts';
import { type MatchMode, PrefixTrie } from '../prefix/prefix-trie.ts';
import type { RouterState } from '../state/routers.ts';
import { answersTo } from './host.ts';
import { updateHops } from './message.ts';
import { matchesPath } from './path-pattern.ts';
import type { RisSubscription, RisType } from './protocol.ts';

/** What a subscription is checked against (filled in place per message). */
export interface MessageFacts {
  type: RisType;
  /** The message's router (a `host` filter may name it by any of its names). */
  router: RouterState;
  peer: string;
  /**
   * UPDATE only (else null): the message, and its AS path ([] without announcements). The path stays null
   * until a path pattern asks for it (`pathOf` flattens it then).
   */
  update: RouteUpdate | null;
  path: readonly PathHop[] | null;
  /** UPDATE only: whether it announces / withdraws. */
  announces: boolean;
  withdraws: boolean;
}

/** The part of a socket the index needs: a stamp to report it once per message. */
export interface Subscriber {
  stamp: number;
}

class Entry<C extends Subscriber> {
  stamp = 0;
  constructor(
    readonly client: C,
    readonly sub: RisSubscription,
  ) {}
}

function modes(sub: RisSubscription): MatchMode[] {
  if (sub.moreSpecific && sub.lessSpecific) return ['more', 'less'];
  if (sub.moreSpecific) return ['more'];
  if (sub.lessSpecific) return ['less'];
  return ['exact'];
}

/**
 * The ASN of an origin-only pattern ("64500$", the form BGPalerter subscribes with per monitored AS), else
 * null. Such a subscription can be ruled out from the decoder's scan, which reads the origin.
 */
function originOnly(sub: RisSubscription): number | null {
  const p = sub.path;
  if (p === null || p.negate || p.anchorStart || !p.anchorEnd || p.hops.length !== 1) return null;
  const h = p.hops[0];
  return typeof h === 'number' ? h : null;
}

function wantsUpdates(sub: RisSubscription): boolean {
  return sub.type === null || sub.type === 'UPDATE';
}

/** Whether the scan (prefixes as numbers, the origin) can tell that an UPDATE cannot match. */
function scanDecidable(sub: RisSubscription): boolean {
  return sub.prefix !== null || originOnly(sub) !== null;
}

/** The message's AS path, flattened on first use (only path patterns need it); null when it is no UPDATE. */
function pathOf(f: MessageFacts): readonly PathHop[] | null {
  if (f.path === null && f.update !== null) f.path = updateHops(f.update);
  return f.path;
}

/** Every field but the prefix (the trie has checked that). */
function accepts(sub: RisSubscription, f: MessageFacts): boolean {
  if (sub.type !== null && sub.type !== f.type) return false;
  if (sub.host !== null && !answersTo(f.router, sub.host)) return false;
  if (sub.peer !== null && sub.peer !== f.peer) return false;
  if (sub.require !== null) {
    if (f.type !== 'UPDATE') return false;
    if (sub.require === 'announcements' ? !f.announces : !f.withdraws) return false;
  }
  if (sub.path !== null) {
    const path = pathOf(f);
    if (path === null || !matchesPath(sub.path, path)) return false;
  }
  return true;
}

export class RisSubscriptionIndex<C extends Subscriber> {
  private readonly trie = new PrefixTrie<Entry<C>>();
  /** Subscriptions without a prefix. */
  private readonly others: Entry<C>[] = [];
  private readonly byClient = new Map<C, Map<string, Entry<C>>>();
  private readonly candidates: Entry<C>[] = [];
  private readonly key = new PrefixKey();
  private stamp = 0;
  /** Subscriptions that UPDATE messages can match (they need fully decoded updates). */
  updateSubscriptions = 0;
  /** Of those, the ones the scan can rule out (a prefix, or an origin-only path), and their origins. */
  private scanDecidable = 0;
  private readonly origins = new Map<number, number>();

  get size(): number {
    let n = 0;
    for (const m of this.byClient.values()) n += m.size;
    return n;
  }

  countFor(client: C): number {
    return this.byClient.get(client)?.size ?? 0;
  }

  /** Adds a subscription; false when the client already has it. */
  add(client: C, sub: RisSubscription): boolean {
    let mine = this.byClient.get(client);
    if (mine === undefined) {
      mine = new Map();
      this.byClient.set(client, mine);
    }
    if (mine.has(sub.key)) return false;
    const e = new Entry(client, sub);
    mine.set(sub.key, e);
    if (sub.prefix === null) this.others.push(e);
    else for (const m of modes(sub)) this.trie.insert(keyOf(sub.prefix)!, m, e);
    this.count(sub, 1);
    return true;
  }

  /** Removes a subscription of the client with the same key; false when it had none. */
  remove(client: C, sub: RisSubscription): boolean {
    const mine = this.byClient.get(client);
    const e = mine?.get(sub.key);
    if (mine === undefined || e === undefined) return false;
    mine.delete(sub.key);
    if (mine.size === 0) this.byClient.delete(client);
    if (e.sub.prefix === null) {
      const at = this.others.indexOf(e);
      this.others[at] = this.others[this.others.length - 1];
      this.others.pop();
    } else for (const m of modes(e.sub)) this.trie.remove(keyOf(e.sub.prefix)!, m, e);
    this.count(e.sub, -1);
    return true;
  }

  private count(sub: RisSubscription, d: 1 | -1): void {
    if (!wantsUpdates(sub)) return;
    this.updateSubscriptions += d;
    if (!scanDecidable(sub)) return;
    this.scanDecidable += d;
    const origin = sub.prefix === null ? originOnly(sub) : null;
    if (origin === null) return;
    const n = (this.origins.get(origin) ?? 0) + d;
    if (n === 0) this.origins.delete(origin);
    else this.origins.set(origin, n);
  }

  /** Whether every subscription UPDATEs can match is one the decoder's scan can rule out. */
  get scanDecides(): boolean {
    return this.scanDecidable === this.updateSubscriptions;
  }

  /**
   * From a scan: whether some subscription might want the message (a prefix in the trie matches, or its
   * origin has an origin-only subscription). False means none can; true asks for the full decode.
   */
  scanMayMatch(scan: RouteScan): boolean {
    if (scan.originAsn >= 0 && this.origins.has(scan.originAsn)) return true;
    if (this.trie.size === 0) return false;
    const key = this.key;
    const cand = this.candidates;
    for (let j = 0; j < scan.count; j++) {
      scannedKey(key, scan, j);
      cand.length = 0;
      this.trie.match(key, cand);
      if (cand.length > 0) return true;
    }
    return false;
  }

  removeClient(client: C): void {
    const mine = this.byClient.get(client);
    if (mine === undefined) return;
    for (const e of [...mine.values()]) this.remove(client, e.sub);
  }

  /** Appends to `out` each client with a subscription matching the UPDATE, once. */
  match(u: RouteUpdate, f: MessageFacts, out: C[]): void {
    const cand = this.candidates;
    cand.length = 0;
    if (this.trie.size > 0) {
      this.matchPrefixes(u.withdrawn, cand);
      this.matchPrefixes(u.announced, cand);
    }
    if (cand.length === 0 && this.others.length === 0) return;
    const stamp = ++this.stamp;
    this.collect(cand, f, stamp, out);
    this.collect(this.others, f, stamp, out);
  }

  /** Appends to `cand` the trie's entries for every prefix of the groups. */
  private matchPrefixes(groups: readonly RouteGroup[], cand: Entry<C>[]): void {
    const key = this.key;
    for (const g of groups)
      for (let i = 0; i < g.prefixes.length; i++)
        if (parseKey(g.prefixes[i], key)) this.trie.match(key, cand);
  }

  /** Appends to `out` each client with a subscription matching a message that carries no prefixes, once. */
  matchMessage(f: MessageFacts, out: C[]): void {
    this.collect(this.others, f, ++this.stamp, out);
  }

  private collect(entries: Entry<C>[], f: MessageFacts, stamp: number, out: C[]): void {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e.stamp === stamp || e.client.stamp === stamp) continue;
      e.stamp = stamp;
      if (!accepts(e.sub, f)) continue;
      e.client.stamp = stamp;
      out.push(e.client);
    }
  }
}
