/**
 * The fast path: what a live pipeline needs from a Route Monitoring message — peer, each prefix with
 * announce/withdraw, origin ASN — read straight into a reused RouteScan, building no objects or strings.
 * Everything else (attributes for display, other message types) is left to the full decoder, which the caller
 * runs only when something matched. Same encoding choices and RFC 7606 verdicts as the full decoder.
 */
import { asPathFits, chooseAsnWidth } from './bgp/attributes/attr-02-17-as-path.ts';
import { chooseAddPath, maxPrefixLen, nlriCount } from './bgp/nlri.ts';
import { familyBit } from './bgp/update.ts';
import type { HintSource } from './bmp/messages/route-monitoring.ts';
import type { ErrorCode } from './errors.ts';
import { seconds } from './read.ts';

export const ANNOUNCE = 1;
export const WITHDRAW = 2;

/** One message's routes as flat typed arrays; grown on demand and reused across messages. */
export class RouteScan {
  /** BMP message type of the scanned message; only type 0 (Route Monitoring) fills the route fields. */
  bmpType = -1;
  /** Per-peer header fields. */
  peerTypeCode = 0;
  peerFlags = 0;
  peerIpv6 = false;
  peerAsn = 0;
  /** Peer address as four 32-bit words (IPv4 in word 3, like its position in the 16-byte field). */
  readonly peerAddr = new Uint32Array(4);
  timestamp = 0;
  /** Offset of the per-peer header in the buffer (for a later full decode of just this message). */
  peerHeaderOffset = 0;
  /** Origin AS (last AS of the path), or -1 when there is no path or it ends in an AS_SET of several. */
  originAsn = -1;
  /**
   * Where the AS_PATH value is in the buffer and its ASN width (2 or 4; 0 when there is no usable path), so a
   * caller can test "AS in path" without a full decode. A 2-byte path's AS4_PATH is at as4PathStart (-1: none).
   */
  asPathStart = -1;
  asPathEnd = -1;
  asnWidth = 0;
  as4PathStart = -1;
  as4PathEnd = -1;
  /** True when RFC 7606 makes this update's announcements withdrawals (they are reported as WITHDRAW). */
  treatAsWithdraw = false;
  /** The update is an End-of-RIB marker. */
  endOfRib = false;
  /** Number of prefixes found. */
  count = 0;
  /** Per prefix: ANNOUNCE or WITHDRAW. */
  kind = new Uint8Array(16);
  /** Per prefix: 4 or 6. */
  family = new Uint8Array(16);
  /** Per prefix: prefix length. */
  length = new Uint8Array(16);
  /** Per prefix: ADD-PATH id (0 when none). */
  pathId = new Uint32Array(16);
  /** Per prefix: four address words, host bits cleared (IPv4 uses word 0). */
  addr = new Uint32Array(64);
  /** Where an error was found, when scanRoutes returned a code. */
  errorOffset = 0;

  private grow(): void {
    const cap = this.kind.length * 2;
    const k = new Uint8Array(cap);
    k.set(this.kind);
    this.kind = k;
    const f = new Uint8Array(cap);
    f.set(this.family);
    this.family = f;
    const l = new Uint8Array(cap);
    l.set(this.length);
    this.length = l;
    const p = new Uint32Array(cap);
    p.set(this.pathId);
    this.pathId = p;
    const a = new Uint32Array(cap * 4);
    a.set(this.addr);
    this.addr = a;
  }

  /** Appends the prefixes of validated NLRI bytes. */
  push(b: Uint8Array, o: number, n: number, v6: boolean, addPath: boolean, kind: number): void {
    while (this.count + n > this.kind.length) this.grow();
    const addr = this.addr;
    for (let i = 0; i < n; i++) {
      const j = this.count++;
      if (addPath) {
        this.pathId[j] = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
        o += 4;
      } else this.pathId[j] = 0;
      const len = b[o++];
      this.kind[j] = kind;
      this.family[j] = v6 ? 6 : 4;
      this.length[j] = len;
      const nb = (len + 7) >> 3;
      const w = j * 4;
      if (!v6) {
        // IPv4 (most prefixes): one word.
        let word = nb > 0 ? b[o] << 24 : 0;
        if (nb > 1) word |= b[o + 1] << 16;
        if (nb > 2) word |= b[o + 2] << 8;
        if (nb > 3) word |= b[o + 3];
        addr[w] = len === 0 ? 0 : len >= 32 ? word >>> 0 : (word & ~(0xffffffff >>> len)) >>> 0;
        addr[w + 1] = 0;
        addr[w + 2] = 0;
        addr[w + 3] = 0;
        o += nb;
        continue;
      }
      for (let k = 0; k < 4; k++) {
        let word = 0;
        const base = k * 4;
        if (base < nb) {
          word = b[o + base] << 24;
          if (base + 1 < nb) word |= b[o + base + 1] << 16;
          if (base + 2 < nb) word |= b[o + base + 2] << 8;
          if (base + 3 < nb) word |= b[o + base + 3];
        }
        const bitsInWord = len - k * 32;
        if (bitsInWord <= 0) word = 0;
        else if (bitsInWord < 32) word &= ~(0xffffffff >>> bitsInWord);
        addr[w + k] = word >>> 0;
      }
      o += nb;
    }
  }
}

const choice = { addPath: false };
const segments = { count: 0 };

function fail(out: RouteScan, code: ErrorCode, at: number): ErrorCode {
  out.errorOffset = at;
  return code;
}

/**
 * Scans the BMP message at [o, end). Returns null on success (see `out`), or an error code (offset in
 * out.errorOffset) where the full decoder would return a BmpError. Non-Route-Monitoring messages only set
 * out.bmpType: decode those with the session (that is also how it learns Peer Ups).
 */
export function scanRoutes(
  b: Uint8Array,
  o: number,
  end: number,
  hints: HintSource,
  out: RouteScan,
): ErrorCode | null {
  out.count = 0;
  out.originAsn = -1;
  out.asPathStart = -1;
  out.asPathEnd = -1;
  out.asnWidth = 0;
  out.as4PathStart = -1;
  out.as4PathEnd = -1;
  out.treatAsWithdraw = false;
  out.endOfRib = false;
  if (end - o < 6) return fail(out, 'BMP_ERR_TRUNCATED', o);
  if (b[o] !== 3) return fail(out, 'BMP_ERR_VERSION', o);
  const len = ((b[o + 1] << 24) | (b[o + 2] << 16) | (b[o + 3] << 8) | b[o + 4]) >>> 0;
  if (len < 6) return fail(out, 'BMP_ERR_LENGTH', o + 1);
  if (o + len > end) return fail(out, 'BMP_ERR_TRUNCATED', o + 1);
  end = o + len;
  out.bmpType = b[o + 5];
  if (out.bmpType !== 0) return null;
  const ph = o + 6;
  if (ph + 42 > end) return fail(out, 'BMP_ERR_TRUNCATED', ph);
  out.peerHeaderOffset = ph;
  const peerType = b[ph];
  const flags = b[ph + 1];
  out.peerTypeCode = peerType;
  out.peerFlags = flags;
  out.peerIpv6 = peerType !== 3 && (flags & 0x80) !== 0;
  const pa = out.peerAddr;
  for (let k = 0; k < 4; k++) {
    const q = ph + 10 + k * 4;
    pa[k] = ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0;
  }
  out.peerAsn = ((b[ph + 26] << 24) | (b[ph + 27] << 16) | (b[ph + 28] << 8) | b[ph + 29]) >>> 0;
  out.timestamp = seconds(
    ((b[ph + 34] << 24) | (b[ph + 35] << 16) | (b[ph + 36] << 8) | b[ph + 37]) >>> 0,
    ((b[ph + 38] << 24) | (b[ph + 39] << 16) | (b[ph + 40] << 8) | b[ph + 41]) >>> 0,
  );

  // BGP header.
  const m = ph + 42;
  if (end - m < 19) return fail(out, 'BGP_ERR_LENGTH', m);
  for (let i = 0; i < 16; i++) if (b[m + i] !== 0xff) return fail(out, 'BGP_ERR_MARKER', m + i);
  const bgpLen = (b[m + 16] << 8) | b[m + 17];
  if (bgpLen < 19 || m + bgpLen > end) return fail(out, 'BGP_ERR_LENGTH', m + 16);
  if (b[m + 18] !== 2) return fail(out, 'BGP_ERR_TYPE', m + 18);
  const uEnd = m + bgpLen;
  const u = m + 19;
  if (uEnd - u < 4) return fail(out, 'BGP_ERR_UPDATE', u);
  const wStart = u + 2;
  const wEnd = wStart + ((b[u] << 8) | b[u + 1]);
  if (wEnd + 2 > uEnd) return fail(out, 'BGP_ERR_UPDATE', u);
  const aStart = wEnd + 2;
  const aEnd = aStart + ((b[wEnd] << 8) | b[wEnd + 1]);
  if (aEnd > uEnd) return fail(out, 'BGP_ERR_UPDATE', wEnd);

  const h = hints.hintsAt(b, ph);
  const v4AddPath = h.addPath === null ? null : (h.addPath & 1) !== 0;

  // Withdrawn routes field.
  if (wEnd > wStart) {
    const r = chooseAddPath(b, wStart, wEnd, 32, v4AddPath, choice);
    if (r === -1) return fail(out, 'BGP_ERR_NLRI', wStart);
    out.push(b, wStart, nlriCount(r), false, choice.addPath, WITHDRAW);
  }

  // Attributes: find AS_PATH / AS4_PATH / MP_*; check lengths of the rest the way the full decoder does.
  let asPath = -1;
  let asPathEnd = 0;
  let as4Path = -1;
  let as4PathEnd = 0;
  let reach = -1;
  // RFC 6793: an AGGREGATOR with a real ASN next to an AS4_AGGREGATOR voids AS4_PATH.
  let aggregatorAsn = -1;
  let as4Aggregator = false;
  let reachEnd = 0;
  let hasOrigin = false;
  let hasNextHop = false;
  // Codes seen so far (bits for 0–31 and 32–63): duplicates are discarded, as the full decoder does.
  let seenLo = 0;
  let seenHi = 0;
  let attrCount = 0;
  let unreachEmpty = false;
  let tw = false;
  let p = aStart;
  while (p < aEnd) {
    if (p + 3 > aEnd) {
      tw = true;
      break;
    }
    const aflags = b[p];
    const code = b[p + 1];
    let alen: number;
    // Literal codes (Attr, AttrFlag in models/iana.ts): imported constants would be loaded at run time.
    if ((aflags & 0x10) /* extended length */ !== 0) {
      if (p + 4 > aEnd) {
        tw = true;
        break;
      }
      alen = (b[p + 2] << 8) | b[p + 3];
      p += 4;
    } else {
      alen = b[p + 2];
      p += 3;
    }
    const vEnd = p + alen;
    if (vEnd > aEnd) {
      tw = true;
      break;
    }
    attrCount++;
    if (code < 32) {
      if ((seenLo & (1 << code)) !== 0) {
        p = vEnd;
        continue;
      }
      seenLo |= 1 << code;
    } else if (code < 64) {
      if ((seenHi & (1 << (code - 32))) !== 0) {
        p = vEnd;
        continue;
      }
      seenHi |= 1 << (code - 32);
    }
    switch (code) {
      case 1: // ORIGIN
        hasOrigin = true;
        if (alen !== 1 || b[p] > 2) tw = true;
        break;
      case 2: // AS_PATH
        asPath = p;
        asPathEnd = vEnd;
        break;
      case 3: // NEXT_HOP
        hasNextHop = true;
        if (alen !== 4) tw = true;
        break;
      case 4: // MED
      case 5: // LOCAL_PREF
      case 9: // ORIGINATOR_ID
      case 35: // OTC
        if (alen !== 4) tw = true;
        break;
      case 8: // COMMUNITIES
      case 10: // CLUSTER_LIST
        if ((alen & 3) !== 0) tw = true;
        break;
      case 16: // EXTENDED_COMMUNITIES
        if ((alen & 7) !== 0) tw = true;
        break;
      case 32: // LARGE_COMMUNITY
        if (alen === 0 || alen % 12 !== 0) tw = true;
        break;
      case 17: // AS4_PATH
        as4Path = p;
        as4PathEnd = vEnd;
        break;
      case 7: // AGGREGATOR
        if (alen === 6) aggregatorAsn = (b[p] << 8) | b[p + 1];
        else if (alen === 8)
          aggregatorAsn = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
        break;
      case 18: // AS4_AGGREGATOR
        as4Aggregator = alen === 8;
        break;
      case 14: // MP_REACH_NLRI
        reach = p;
        reachEnd = vEnd;
        break;
      case 15: {
        // MP_UNREACH_NLRI
        if (alen < 3) {
          tw = true;
          break;
        }
        if (alen === 3) unreachEmpty = true;
        const afi = (b[p] << 8) | b[p + 1];
        const safi = b[p + 2];
        const bit = familyBit(afi, safi);
        if (bit === 0) break;
        const mx = maxPrefixLen(afi);
        const r = chooseAddPath(
          b,
          p + 3,
          vEnd,
          mx,
          h.addPath === null ? null : (h.addPath & bit) !== 0,
          choice,
        );
        if (r === -1) {
          tw = true;
          break;
        }
        out.push(b, p + 3, nlriCount(r), afi === 2, choice.addPath, WITHDRAW);
        break;
      }
    }
    p = vEnd;
  }

  // Announcements: the NLRI field and MP_REACH (in the order routeElems reports them), then the path's origin.
  const firstAnnounce = out.count;
  if (uEnd > aEnd) {
    const r = chooseAddPath(b, aEnd, uEnd, 32, v4AddPath, choice);
    if (r === -1) return fail(out, 'BGP_ERR_NLRI', aEnd);
    out.push(b, aEnd, nlriCount(r), false, choice.addPath, ANNOUNCE);
  }
  if (reach >= 0) {
    if (reachEnd - reach < 5) tw = true;
    else {
      const afi = (b[reach] << 8) | b[reach + 1];
      const safi = b[reach + 2];
      const nlri = reach + 5 + b[reach + 3];
      const bit = familyBit(afi, safi);
      if (nlri > reachEnd) tw = true;
      else if (bit !== 0) {
        const r = chooseAddPath(
          b,
          nlri,
          reachEnd,
          maxPrefixLen(afi),
          h.addPath === null ? null : (h.addPath & bit) !== 0,
          choice,
        );
        if (r === -1) tw = true;
        else out.push(b, nlri, nlriCount(r), afi === 2, choice.addPath, ANNOUNCE);
      }
    }
  }
  if (asPath >= 0) {
    const width = chooseAsnWidth(b, asPath, asPathEnd, h.as4, as4Path >= 0, segments);
    if (width === -1) tw = true;
    else if (!tw) {
      out.asPathStart = asPath;
      out.asPathEnd = asPathEnd;
      out.asnWidth = width;
      if (width === 2 && as4Path >= 0) {
        out.as4PathStart = as4Path;
        out.as4PathEnd = as4PathEnd;
      }
      out.originAsn = lastAsn(b, asPath, asPathEnd, width);
      // A 2-byte path's real origin is in AS4_PATH (RFC 6793), unless AS4_PATH is the longer one.
      const as4Void = as4Aggregator && aggregatorAsn >= 0 && aggregatorAsn !== 23456;
      if (width === 2 && !as4Void && as4Path >= 0 && asPathFits(b, as4Path, as4PathEnd, 4) >= 0) {
        if (pathLen(b, as4Path, as4PathEnd, 4) <= pathLen(b, asPath, asPathEnd, 2))
          out.originAsn = lastAsn(b, as4Path, as4PathEnd, 4);
      }
    }
  }
  const announced = out.count - firstAnnounce;
  if (announced > 0 && !tw && (!hasOrigin || asPath < 0 || (uEnd > aEnd && !hasNextHop))) tw = true;
  if (tw) {
    out.treatAsWithdraw = true;
    for (let i = firstAnnounce; i < out.count; i++) out.kind[i] = WITHDRAW;
  }
  out.endOfRib = wEnd === wStart && uEnd === aEnd && (attrCount === 0 || (attrCount === 1 && unreachEmpty));
  return null;
}

function lastAsn(b: Uint8Array, o: number, end: number, width: 2 | 4): number {
  let last = -1;
  while (o < end) {
    const t = b[o];
    const n = b[o + 1];
    const q = o + 2 + (n - 1) * width;
    const asn =
      width === 4
        ? ((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0
        : (b[q] << 8) | b[q + 1];
    if (t === 2 || t === 3) last = asn;
    else last = n === 1 ? asn : -1;
    o += 2 + n * width;
  }
  return last;
}

function pathLen(b: Uint8Array, o: number, end: number, width: 2 | 4): number {
  let n = 0;
  while (o < end) {
    const t = b[o];
    const c = b[o + 1];
    if (t === 2) n += c;
    else if (t === 1) n += 1;
    o += 2 + c * width;
  }
  return n;
}
