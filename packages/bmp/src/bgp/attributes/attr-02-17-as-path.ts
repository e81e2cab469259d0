/**
 * AS_PATH (RFC 4271 §5.1.2) and AS4_PATH (RFC 6793): segments of 2- or 4-byte ASNs. Whether a path is
 * 2- or 4-byte can't be read from the attribute itself, so `asPathFits` checks a reading before using it.
 */

import { checkMax, type Writer } from '../../encode/writer.ts';
import { fault } from '../../errors.ts';
import type { AsPathSegment, AsPathSegmentType } from '../../models/bgp.ts';
import { AS_TRANS } from '../../models/iana.ts';

const SEGMENT_TYPES: (AsPathSegmentType | null)[] = [
  null,
  'set',
  'sequence',
  'confed_sequence',
  'confed_set',
];
const SEGMENT_CODES: Record<AsPathSegmentType, number> = {
  set: 1,
  sequence: 2,
  confed_sequence: 3,
  confed_set: 4,
};

/** Segment count if the bytes are a well-formed path with `asnSize`-byte ASNs, else -1 (RFC 7606 §7.2 rules). */
export function asPathFits(b: Uint8Array, o: number, end: number, asnSize: 2 | 4): number {
  let segments = 0;
  while (o < end) {
    if (o + 2 > end) return -1;
    const t = b[o];
    const n = b[o + 1];
    if (t < 1 || t > 4 || n === 0) return -1;
    o += 2 + n * asnSize;
    segments++;
  }
  return o === end ? segments : -1;
}

/** True when any ASN of a well-formed path reads as `asn`, or (halves) has a 16-bit half equal to it. */
function anyAsn(
  b: Uint8Array,
  o: number,
  end: number,
  asnSize: 2 | 4,
  test: (asn: number) => boolean,
): boolean {
  while (o < end) {
    const n = b[o + 1];
    o += 2;
    for (let i = 0; i < n; i++, o += asnSize) {
      const asn =
        asnSize === 4
          ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0
          : (b[o] << 8) | b[o + 1];
      if (test(asn)) return true;
    }
  }
  return false;
}

const isZero = (asn: number) => asn === 0;
const hasTransHalf = (asn: number) => asn >>> 16 === AS_TRANS || (asn & 0xffff) === AS_TRANS;

/**
 * Chooses the ASN width of an AS_PATH: `hint` (from the peer's OPENs) when the bytes fit it; otherwise whichever
 * width fits; when both fit and nothing is known, the likelier one: an AS4_PATH beside it means 2-byte; AS 0 (never
 * valid) in the 2-byte reading means 4-byte; an AS_TRANS half inside a 4-byte ASN means a 2-byte path misread.
 * Returns the width and sets `segments.count`, or -1 when neither width fits.
 */
export function chooseAsnWidth(
  b: Uint8Array,
  o: number,
  end: number,
  hint: boolean | null,
  hasAs4Path: boolean,
  segments: { count: number },
): 2 | 4 | -1 {
  const first: 2 | 4 = hint === false ? 2 : 4;
  const second: 2 | 4 = first === 4 ? 2 : 4;
  const f1 = asPathFits(b, o, end, first);
  if (hint !== null && f1 >= 0) {
    segments.count = f1;
    return first;
  }
  const f2 = asPathFits(b, o, end, second);
  if (f1 < 0 || f2 < 0) {
    segments.count = f1 >= 0 ? f1 : f2;
    return f1 >= 0 ? first : f2 >= 0 ? second : -1;
  }
  // Both fit and nobody knows (first is 4 here).
  const two = hasAs4Path || (!anyAsn(b, o, end, 2, isZero) && anyAsn(b, o, end, 4, hasTransHalf));
  segments.count = two ? f2 : f1;
  return two ? 2 : 4;
}

export function decodeAsPath(
  b: Uint8Array,
  o: number,
  end: number,
  asnSize: 2 | 4,
  segmentCount = -1,
): AsPathSegment[] {
  const count = segmentCount >= 0 ? segmentCount : asPathFits(b, o, end, asnSize);
  if (count < 0) fault('BGP_ERR_UPDATE', o, `malformed ${asnSize}-byte AS path`);
  const segments = new Array<AsPathSegment>(count);
  for (let s = 0; s < count; s++) {
    const type = SEGMENT_TYPES[b[o]]!;
    const n = b[o + 1];
    o += 2;
    const asns = new Array<number>(n);
    if (asnSize === 4) {
      for (let i = 0; i < n; i++, o += 4)
        asns[i] = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    } else {
      for (let i = 0; i < n; i++, o += 2) asns[i] = (b[o] << 8) | b[o + 1];
    }
    segments[s] = { type, asns };
  }
  return segments;
}

/** Path length as RFC 6793 §4.2.3 counts it: a set counts one, confederation segments count zero. */
function pathLength(path: AsPathSegment[]): number {
  let n = 0;
  for (const seg of path) {
    if (seg.type === 'sequence') n += seg.asns.length;
    else if (seg.type === 'set') n += 1;
  }
  return n;
}

/**
 * Rebuilds the true path from a 2-byte AS_PATH and an AS4_PATH (RFC 6793 §4.2.3): keep the leading ASes of
 * AS_PATH that AS4_PATH does not cover, then append AS4_PATH. An AS4_PATH longer than AS_PATH is ignored.
 */
export function mergeAs4Path(asPath: AsPathSegment[], as4Path: AsPathSegment[]): AsPathSegment[] {
  const as4 = as4Path.filter((s) => s.type === 'sequence' || s.type === 'set');
  const keep = pathLength(asPath) - pathLength(as4);
  if (keep < 0) return asPath;
  const merged: AsPathSegment[] = [];
  let left = keep;
  for (const seg of asPath) {
    if (seg.type === 'confed_sequence' || seg.type === 'confed_set') {
      merged.push(seg);
      continue;
    }
    if (left === 0) break;
    if (seg.type === 'set') {
      merged.push(seg);
      left -= 1;
    } else if (seg.asns.length <= left) {
      merged.push(seg);
      left -= seg.asns.length;
    } else {
      merged.push({ type: 'sequence', asns: seg.asns.slice(0, left) });
      left = 0;
    }
  }
  for (const seg of as4) merged.push(seg);
  return merged;
}

/** Encodes segments; with asnSize 2, ASNs above 65535 must already be AS_TRANS (else EncodeError). */
export function encodeAsPath(w: Writer, path: AsPathSegment[], asnSize: 2 | 4): void {
  for (const seg of path) {
    checkMax('AS path segment length', seg.asns.length, 255);
    w.u8(SEGMENT_CODES[seg.type]).u8(seg.asns.length);
    for (const a of seg.asns) {
      if (asnSize === 2) {
        checkMax('2-byte ASN', a, 0xffff);
        w.u16(a);
      } else {
        checkMax('ASN', a, 0xffffffff);
        w.u32(a);
      }
    }
  }
}

/** The origin AS: the last AS of the last segment (null for an empty path or one ending in a set of several). */
export function originAsn(path: AsPathSegment[] | null): number | null {
  if (!path || path.length === 0) return null;
  const last = path[path.length - 1];
  if (last.asns.length === 0) return null;
  if ((last.type === 'set' || last.type === 'confed_set') && last.asns.length !== 1) return null;
  return last.asns[last.asns.length - 1];
}
