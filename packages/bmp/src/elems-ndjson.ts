/**
 * Route changes as NDJSON, written straight from a Route Monitoring message: line for line what
 * `JSON.stringify` of each of `routeElems(msg, router)` gives, without building the elem objects or their text.
 * Bytes go straight into a buffer: keys are pre-encoded, integers written digit by digit; the first line of a
 * message's prefixes is written piece by piece and the others copy its head (type, peer) and tail (attributes).
 *
 * Strings are written without escaping: every one comes from this decoder's own formatters (addresses,
 * prefixes, extended communities, names), which write only ASCII letters, digits and `.:/`. The test compares
 * with JSON.stringify on fuzzed messages.
 */
import { announceCount, withdrawCount } from './elems.ts';
import type { AsPathSegment, Nlri, PathAttributes } from './models/bgp.ts';
import type { PerPeerHeader, RouteMonitoring } from './models/bmp.ts';

/** "00" to "99" as byte pairs: integers are written two digits a step. */
const PAIRS = Uint8Array.from(
  { length: 200 },
  (_, i) => 0x30 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10),
);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const WITHDRAW = ascii('{"type":"withdraw","timestamp":');
const ANNOUNCE = ascii('{"type":"announce","timestamp":');
const ROUTER = ascii(',"router":');
const PEER = ascii(',"peer":"');
const PEER_ASN = ascii('","peer_asn":');
const PEER_TYPE = ascii(',"peer_type":"');
const POST_POLICY_TRUE = ascii('","post_policy":true,"adj_rib_out":');
const POST_POLICY_FALSE = ascii('","post_policy":false,"adj_rib_out":');
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
const PATH_ID = ascii(',"path_id":');
const PREFIX = ascii(',"prefix":"');
const WITHDRAW_END = ascii('"}\n');
const PATH = ascii('","path":[');
const ORIGIN = ascii('],"origin":');
const NEXT_HOP = ascii(',"next_hop":');
const MED = ascii(',"med":');
const LOCAL_PREF = ascii(',"local_pref":');
const COMMUNITY = ascii(',"community":[');
const LARGE = ascii('],"large_community":[');
const EXT = ascii('],"ext_community":[');
const ANNOUNCE_END = ascii(']}\n');

/** The router-and-peer part of a line's head as written for a peer address, and what it was written from. */
interface PeerPart {
  readonly router: string | null;
  readonly asn: number;
  readonly peerType: PerPeerHeader['peerType'];
  readonly postPolicy: boolean;
  readonly adjRibOut: boolean;
  readonly bytes: Uint8Array;
}

// The writers below put bytes at `p` of `b` and return the position after them. Room is the caller's: each
// line's longest possible length is made room for once (see lines). Positions stay in locals, not fields,
// which is what makes writing a line cheap.

function lit(b: Uint8Array, p: number, src: Uint8Array): number {
  // One native copy: measured faster here than a loop, even for a few bytes.
  b.set(src, p);
  return p + src.length;
}

/** ASCII text (see the module's note on escaping). */
function text(b: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
  return p + n;
}

function quoted(b: Uint8Array, p: number, s: string | null): number {
  if (s === null) return lit(b, p, NULL);
  b[p] = 0x22;
  p = text(b, p + 1, s);
  b[p] = 0x22;
  return p + 1;
}

/** A non-negative integer below 10^10 (every integer field here has 32 bits), in decimal, no string made. */
function uint(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 0x30 + n;
    return p + 1;
  }
  const digits =
    n < 1e2
      ? 2
      : n < 1e3
        ? 3
        : n < 1e4
          ? 4
          : n < 1e5
            ? 5
            : n < 1e6
              ? 6
              : n < 1e7
                ? 7
                : n < 1e8
                  ? 8
                  : n < 1e9
                    ? 9
                    : 10;
  const end = p + digits;
  let q = end;
  // Two digits a step from a table; an ASN may exceed 2^31, so the division is a double's.
  let m = n;
  while (m >= 100) {
    const d = Math.floor(m / 100);
    const r = 2 * (m - d * 100);
    b[--q] = PAIRS[r + 1];
    b[--q] = PAIRS[r];
    m = d;
  }
  if (m >= 10) {
    b[--q] = PAIRS[2 * m + 1];
    b[--q] = PAIRS[2 * m];
  } else b[--q] = 0x30 + m;
  return end;
}

function uintOrNull(b: Uint8Array, p: number, n: number | null): number {
  return n === null ? lit(b, p, NULL) : uint(b, p, n);
}

/**
 * Seconds with microseconds as JSON writes them, without making the number's text: the decoder's time stamps
 * are the doubles nearest to sec.usec (read.ts `seconds`), whose shortest text is that decimal (a microsecond
 * is more than a double's spacing below 2^32 s). Any other number goes through JSON.stringify.
 */
function timestamp(b: Uint8Array, p: number, t: number): number {
  const sec = Math.floor(t);
  const usec = Math.round((t - sec) * 1e6);
  if (!(sec >= 0) || sec >= 2 ** 32 || usec >= 1e6 || (sec * 1e6 + usec) / 1e6 !== t)
    return text(b, p, JSON.stringify(t));
  p = uint(b, p, sec);
  if (usec === 0) return p;
  let digits = 6;
  let frac = usec;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  b[p] = 0x2e; /* . */
  for (let i = digits; i >= 1; i--) {
    const d = (frac / 10) | 0;
    b[p + i] = 0x30 + frac - d * 10;
    frac = d;
  }
  return p + 1 + digits;
}

/** pathHops as JSON, without its brackets: sequences flattened, sets as nested arrays. */
function path(b: Uint8Array, p: number, segments: AsPathSegment[] | null): number {
  if (segments === null) return p;
  let first = true;
  for (const seg of segments) {
    const asns = seg.asns;
    if (seg.type === 'sequence' || seg.type === 'confed_sequence') {
      for (let i = 0; i < asns.length; i++) {
        if (!first) b[p++] = 0x2c;
        first = false;
        p = uint(b, p, asns[i]);
      }
    } else {
      if (!first) b[p++] = 0x2c;
      first = false;
      b[p++] = 0x5b;
      for (let i = 0; i < asns.length; i++) {
        if (i > 0) b[p++] = 0x2c;
        p = uint(b, p, asns[i]);
      }
      b[p++] = 0x5d;
    }
  }
  return p;
}

/** An announcement's line from the prefix's closing quote to its end. */
function attributes(b: Uint8Array, p: number, a: PathAttributes, nextHop: string | null): number {
  p = lit(b, p, PATH);
  p = path(b, p, a.asPath);
  p = lit(b, p, ORIGIN);
  p = quoted(b, p, a.origin);
  p = lit(b, p, NEXT_HOP);
  p = quoted(b, p, nextHop);
  p = lit(b, p, MED);
  p = uintOrNull(b, p, a.med);
  p = lit(b, p, LOCAL_PREF);
  p = uintOrNull(b, p, a.localPref);
  p = lit(b, p, COMMUNITY);
  const cs = a.communities;
  if (cs !== null) {
    for (let i = 0; i < cs.length; i++) {
      if (i > 0) b[p++] = 0x2c; /* , */
      b[p++] = 0x5b; /* [ */
      p = uint(b, p, cs[i] >>> 16);
      b[p++] = 0x2c;
      p = uint(b, p, cs[i] & 0xffff);
      b[p++] = 0x5d; /* ] */
    }
  }
  p = lit(b, p, LARGE);
  const ls = a.largeCommunities;
  if (ls !== null) {
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i];
      if (i > 0) b[p++] = 0x2c;
      b[p++] = 0x5b;
      p = uint(b, p, l[0]);
      b[p++] = 0x2c;
      p = uint(b, p, l[1]);
      b[p++] = 0x2c;
      p = uint(b, p, l[2]);
      b[p++] = 0x5d;
    }
  }
  p = lit(b, p, EXT);
  const xs = a.extCommunities;
  if (xs !== null) {
    for (let i = 0; i < xs.length; i++) {
      if (i > 0) b[p++] = 0x2c;
      p = quoted(b, p, xs[i]);
    }
  }
  return lit(b, p, ANNOUNCE_END);
}

/** The most bytes `attributes` can write (numbers at ten digits, texts as long as they are). */
function attributesBound(a: PathAttributes, nextHop: string | null): number {
  let n = 256 + (nextHop === null ? 0 : nextHop.length);
  if (a.asPath !== null) for (const seg of a.asPath) n += 11 * seg.asns.length + 3;
  if (a.communities !== null) n += 24 * a.communities.length;
  if (a.largeCommunities !== null) n += 36 * a.largeCommunities.length;
  if (a.extCommunities !== null) for (const x of a.extCommunities) n += x.length + 3;
  return n;
}

/** Head (with peer part, less the router), path id and prefix: what a line holds besides attributes, at most. */
const HEAD_BOUND = 512;

/** Route changes as NDJSON bytes in a buffer of its own, which the caller `take`s whenever `length` is large. */
export class ElemsNdjson {
  private buf: Uint8Array;
  private pos = 0;
  private readonly peerParts = new Map<string, PeerPart>();

  constructor(private readonly initialSize = 1 << 21) {
    this.buf = new Uint8Array(initialSize);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos;
  }

  /** The bytes written so far; writing goes on into a fresh buffer (the caller may hold on to these). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(Math.max(this.initialSize, this.buf.length));
    this.pos = 0;
    return out;
  }

  /** Appends the lines of the message's route changes. */
  write(msg: RouteMonitoring, router: string | null): void {
    const u = msg.update;
    const a = u.attributes;
    const reach = a.mpReach === null ? null : a.mpReach.nlri;
    const unreach = a.mpUnreach === null ? null : a.mpUnreach.nlri;
    if (withdrawCount(msg) > 0) {
      this.lines(msg, router, u.withdrawn, null, null);
      this.lines(msg, router, unreach, null, null);
      // RFC 7606: the announced prefixes of a malformed update are withdrawn.
      if (u.treatAsWithdraw) {
        this.lines(msg, router, u.announced, null, null);
        this.lines(msg, router, reach, null, null);
        return;
      }
    }
    if (announceCount(msg) === 0) return;
    this.lines(msg, router, u.announced, a, a.nextHop);
    if (a.mpReach !== null) this.lines(msg, router, reach, a, a.mpReach.nextHop);
  }

  /**
   * One line per prefix of `n`; `a`: the attributes of an announcement, null for a withdrawal. The first line
   * is written piece by piece; the others copy its head and tail and write only path id and prefix.
   */
  private lines(
    msg: RouteMonitoring,
    router: string | null,
    n: Nlri | null,
    a: PathAttributes | null,
    nextHop: string | null,
  ): void {
    if (n === null || n.prefixes.length === 0) return;
    const ps = n.prefixes;
    const ids = n.pathIds;
    const lineBound =
      HEAD_BOUND + (router === null ? 0 : router.length) + (a === null ? 8 : attributesBound(a, nextHop));
    this.room(lineBound);
    const b = this.buf;
    const headAt = this.pos;
    let p = this.head(b, headAt, msg.peer, router, a === null ? WITHDRAW : ANNOUNCE);
    const headEnd = p;
    p = pathIdAndPrefix(b, p, ids === null ? -1 : ids[0], ps[0]);
    const tailAt = p;
    p = a === null ? lit(b, p, WITHDRAW_END) : attributes(b, p, a, nextHop);
    const tailEnd = p;
    this.pos = p;
    for (let i = 1; i < ps.length; i++) {
      this.room(lineBound);
      // The copies read from the first line, which room() keeps in place (a grown buffer starts with it).
      const c = this.buf;
      c.copyWithin(this.pos, headAt, headEnd);
      let q = pathIdAndPrefix(c, this.pos + headEnd - headAt, ids === null ? -1 : ids[i], ps[i]);
      c.copyWithin(q, tailAt, tailEnd);
      q += tailEnd - tailAt;
      this.pos = q;
    }
  }

  /** From `{"type":` to `"path_id":`. */
  private head(
    b: Uint8Array,
    p: number,
    peer: PerPeerHeader,
    router: string | null,
    type: Uint8Array,
  ): number {
    p = lit(b, p, type);
    p = timestamp(b, p, peer.timestamp);
    // The rest names router and peer, alike message after message from a peer: its bytes are kept per peer
    // address (one Map lookup and one copy instead of a dozen pieces).
    const known = this.peerParts.get(peer.address);
    if (
      known !== undefined &&
      known.router === router &&
      known.asn === peer.asn &&
      known.peerType === peer.peerType &&
      known.postPolicy === peer.postPolicy &&
      known.adjRibOut === peer.adjRibOut
    )
      return lit(b, p, known.bytes);
    const at = p;
    p = lit(b, p, ROUTER);
    p = quoted(b, p, router);
    p = lit(b, p, PEER);
    p = text(b, p, peer.address);
    p = lit(b, p, PEER_ASN);
    p = uint(b, p, peer.asn);
    p = lit(b, p, PEER_TYPE);
    p = text(b, p, peer.peerType);
    p = lit(b, p, peer.postPolicy ? POST_POLICY_TRUE : POST_POLICY_FALSE);
    p = lit(b, p, peer.adjRibOut ? TRUE : FALSE);
    p = lit(b, p, PATH_ID);
    // Bounded: a stream with very many peers just starts over.
    if (this.peerParts.size >= 4096) this.peerParts.clear();
    this.peerParts.set(peer.address, {
      router,
      asn: peer.asn,
      peerType: peer.peerType,
      postPolicy: peer.postPolicy,
      adjRibOut: peer.adjRibOut,
      bytes: b.slice(at, p),
    });
    return p;
  }

  /** Room for `n` more bytes (the buffer grows; what is written stays where it is). */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(2 * this.buf.length, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/** `id,"prefix":"prefix`; id -1: none (null). */
function pathIdAndPrefix(b: Uint8Array, p: number, id: number, prefix: string): number {
  p = id < 0 ? lit(b, p, NULL) : uint(b, p, id);
  p = lit(b, p, PREFIX);
  return text(b, p, prefix);
}

/** The message's route changes as NDJSON text (each line ending in "\n"); '' when it has none. */
export function routeElemsNdjson(msg: RouteMonitoring, router: string | null): string {
  const w = new ElemsNdjson(256);
  w.write(msg, router);
  return new TextDecoder().decode(w.take());
}
