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
    // Room for a head and the fixed part of a tail at once, not per byte (lists make their own).
    this.room(1024);
    const headAt = this.pos;
    this.head(msg.peer, router, a === null ? WITHDRAW : ANNOUNCE);
    const headEnd = this.pos;
    this.pathIdAndPrefix(ids === null ? -1 : ids[0], ps[0]);
    const tailAt = this.pos;
    if (a === null) this.bytes(WITHDRAW_END);
    else this.attributes(a, nextHop);
    const tailEnd = this.pos;
    for (let i = 1; i < ps.length; i++) {
      this.room(tailEnd - headAt + 64);
      this.copy(headAt, headEnd);
      this.pathIdAndPrefix(ids === null ? -1 : ids[i], ps[i]);
      this.copy(tailAt, tailEnd);
    }
  }

  /** From `{"type":` to `"path_id":`. */
  private head(p: PerPeerHeader, router: string | null, type: Uint8Array): void {
    this.bytes(type);
    this.timestamp(p.timestamp);
    // The rest names router and peer, alike message after message from a peer: its bytes are kept per peer
    // address (one Map lookup and one copy instead of a dozen pieces).
    const known = this.peerParts.get(p.address);
    if (
      known !== undefined &&
      known.router === router &&
      known.asn === p.asn &&
      known.peerType === p.peerType &&
      known.postPolicy === p.postPolicy &&
      known.adjRibOut === p.adjRibOut
    ) {
      this.bytes(known.bytes);
      return;
    }
    const at = this.pos;
    this.bytes(ROUTER);
    this.quoted(router);
    this.bytes(PEER);
    this.text(p.address);
    this.bytes(PEER_ASN);
    this.uint(p.asn);
    this.bytes(PEER_TYPE);
    this.text(p.peerType);
    this.bytes(p.postPolicy ? POST_POLICY_TRUE : POST_POLICY_FALSE);
    this.bytes(p.adjRibOut ? TRUE : FALSE);
    this.bytes(PATH_ID);
    // Bounded: a stream with very many peers just starts over.
    if (this.peerParts.size >= 4096) this.peerParts.clear();
    this.peerParts.set(p.address, {
      router,
      asn: p.asn,
      peerType: p.peerType,
      postPolicy: p.postPolicy,
      adjRibOut: p.adjRibOut,
      bytes: this.buf.slice(at, this.pos),
    });
  }

  /** `id,"prefix":"prefix`; id -1: none (null). */
  private pathIdAndPrefix(id: number, prefix: string): void {
    this.room(prefix.length + 32);
    if (id < 0) this.bytes(NULL);
    else this.uint(id);
    this.bytes(PREFIX);
    this.text(prefix);
  }

  /** From the prefix's closing quote to the end of the line. */
  private attributes(a: PathAttributes, nextHop: string | null): void {
    this.bytes(PATH);
    this.path(a.asPath);
    this.bytes(ORIGIN);
    this.quoted(a.origin);
    this.bytes(NEXT_HOP);
    this.quoted(nextHop);
    this.bytes(MED);
    this.uintOrNull(a.med);
    this.bytes(LOCAL_PREF);
    this.uintOrNull(a.localPref);
    this.bytes(COMMUNITY);
    const cs = a.communities;
    if (cs !== null) {
      this.room(24 * cs.length);
      for (let i = 0; i < cs.length; i++) {
        if (i > 0) this.byte(0x2c /* , */);
        this.byte(0x5b /* [ */);
        this.uint(cs[i] >>> 16);
        this.byte(0x2c);
        this.uint(cs[i] & 0xffff);
        this.byte(0x5d /* ] */);
      }
    }
    this.bytes(LARGE);
    const ls = a.largeCommunities;
    if (ls !== null) {
      this.room(40 * ls.length);
      for (let i = 0; i < ls.length; i++) {
        const l = ls[i];
        if (i > 0) this.byte(0x2c);
        this.byte(0x5b);
        this.uint(l[0]);
        this.byte(0x2c);
        this.uint(l[1]);
        this.byte(0x2c);
        this.uint(l[2]);
        this.byte(0x5d);
      }
    }
    this.bytes(EXT);
    const xs = a.extCommunities;
    if (xs !== null) {
      for (let i = 0; i < xs.length; i++) {
        if (i > 0) this.byte(0x2c);
        this.quoted(xs[i]);
      }
    }
    this.bytes(ANNOUNCE_END);
  }

  /** pathHops as JSON, without its brackets: sequences flattened, sets as nested arrays. */
  private path(path: AsPathSegment[] | null): void {
    if (path === null) return;
    let first = true;
    for (const seg of path) {
      const asns = seg.asns;
      this.room(12 * asns.length + 4);
      if (seg.type === 'sequence' || seg.type === 'confed_sequence') {
        for (let i = 0; i < asns.length; i++) {
          if (!first) this.byte(0x2c);
          first = false;
          this.uint(asns[i]);
        }
      } else {
        if (!first) this.byte(0x2c);
        first = false;
        this.byte(0x5b);
        for (let i = 0; i < asns.length; i++) {
          if (i > 0) this.byte(0x2c);
          this.uint(asns[i]);
        }
        this.byte(0x5d);
      }
    }
  }

  private quoted(s: string | null): void {
    if (s === null) {
      this.bytes(NULL);
      return;
    }
    this.room(s.length + 2);
    this.byte(0x22);
    this.text(s);
    this.byte(0x22);
  }

  private uintOrNull(n: number | null): void {
    if (n === null) this.bytes(NULL);
    else this.uint(n);
  }

  /**
   * Seconds with microseconds as JSON writes them, without making the number's text: the decoder's time
   * stamps are the doubles nearest to sec.usec (read.ts `seconds`), whose shortest text is that decimal
   * (a microsecond is more than a double's spacing below 2^32 s). Any other number goes through String.
   */
  private timestamp(t: number): void {
    const sec = Math.floor(t);
    const usec = Math.round((t - sec) * 1e6);
    if (!(sec >= 0) || sec >= 2 ** 32 || usec >= 1e6 || (sec * 1e6 + usec) / 1e6 !== t) {
      this.text('' + t);
      return;
    }
    this.uint(sec);
    if (usec === 0) return;
    let digits = 6;
    let frac = usec;
    while (frac % 10 === 0) {
      frac /= 10;
      digits--;
    }
    const b = this.buf;
    b[this.pos] = 0x2e; /* . */
    const p = this.pos + 1;
    for (let i = digits - 1; i >= 0; i--) {
      const q = (frac / 10) | 0;
      b[p + i] = 0x30 + frac - q * 10;
      frac = q;
    }
    this.pos = p + digits;
  }

  /** A non-negative integer below 10^10 (every integer field here has 32 bits), in decimal, no string made. */
  private uint(n: number): void {
    const b = this.buf;
    let p = this.pos;
    if (n < 100) {
      if (n < 10) b[p++] = 0x30 + n;
      else {
        b[p++] = PAIRS[2 * n];
        b[p++] = PAIRS[2 * n + 1];
      }
      this.pos = p;
      return;
    }
    const digits =
      n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
    p += digits;
    this.pos = p;
    // Two digits per step from a table; the first step may exceed 2^31 (an ASN can), so it divides as a double.
    let m = n;
    while (m >= 100) {
      const q = Math.floor(m / 100);
      const r = 2 * (m - q * 100);
      b[--p] = PAIRS[r + 1];
      b[--p] = PAIRS[r];
      m = q;
    }
    if (m >= 10) {
      b[--p] = PAIRS[2 * m + 1];
      b[--p] = PAIRS[2 * m];
    } else b[--p] = 0x30 + m;
  }

  /** ASCII text (see the module's note on escaping); room is the caller's. */
  private text(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  private bytes(src: Uint8Array): void {
    // One native copy: measured faster here than a loop, even for a few bytes.
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  private byte(x: number): void {
    this.buf[this.pos++] = x;
  }

  /** Appends a copy of the bytes [from, to) already written (room is the caller's). */
  private copy(from: number, to: number): void {
    this.buf.copyWithin(this.pos, from, to);
    this.pos += to - from;
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(2 * this.buf.length, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/** The message's route changes as NDJSON text (each line ending in "\n"); '' when it has none. */
export function routeElemsNdjson(msg: RouteMonitoring, router: string | null): string {
  const w = new ElemsNdjson(256);
  w.write(msg, router);
  return new TextDecoder().decode(w.take());
}
