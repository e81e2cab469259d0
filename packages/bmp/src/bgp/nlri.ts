/**
 * NLRI (RFC 4271 §4.3, RFC 4760, RFC 7911 ADD-PATH): a run of (path id?, length, prefix bytes) entries.
 * Validation is separate from decoding so the encoding (with or without path ids) can be chosen first.
 */
import { formatPrefix4, formatPrefix6 } from '../address.ts';
import { fault } from '../errors.ts';
import type { Nlri } from '../models/bgp.ts';

/** Result of a structural check: entry count, or -1 when the bytes don't form valid NLRI. -2: valid but has a /0 entry. */
export function countNlri(b: Uint8Array, o: number, end: number, maxLen: number, addPath: boolean): number {
  let n = 0;
  let zeroLen = false;
  while (o < end) {
    if (addPath) {
      o += 4;
      if (o >= end) return -1;
    }
    const len = b[o];
    if (len > maxLen) return -1;
    if (len === 0) zeroLen = true;
    o += 1 + ((len + 7) >> 3);
    if (o > end) return -1;
    n++;
  }
  return zeroLen && n > 1 ? -2 - n : n;
}

/** Entry count from a `countNlri` result that was valid (≥ 0 or ≤ -2). */
export function nlriCount(r: number): number {
  return r >= 0 ? r : -2 - r;
}

/**
 * Chooses whether NLRI bytes carry ADD-PATH ids. `preferred` is what the session (or flags) say;
 * null means nobody knows and a heuristic decides. Returns the count result for the chosen encoding,
 * with the choice in `choice.addPath`.
 */
export function chooseAddPath(
  b: Uint8Array,
  o: number,
  end: number,
  maxLen: number,
  preferred: boolean | null,
  choice: { addPath: boolean },
): number {
  if (o >= end) {
    choice.addPath = preferred === true;
    return 0;
  }
  if (preferred !== null) {
    // The session knows (from both OPENs): its reading wins whenever the bytes fit it.
    const r1 = countNlri(b, o, end, maxLen, preferred);
    if (r1 !== -1) {
      choice.addPath = preferred;
      return r1;
    }
    const r2 = countNlri(b, o, end, maxLen, !preferred);
    choice.addPath = r2 !== -1 ? !preferred : preferred;
    return r2 !== -1 ? r2 : r1;
  }
  // Nobody knows: prefer no path ids. A path-id-less parse that yields /0 entries among others is the
  // classic misreading of ADD-PATH bytes (path id 0x00000001 reads as three /0s and a /1).
  const rNo = countNlri(b, o, end, maxLen, false);
  if (rNo >= 0) {
    choice.addPath = false;
    return rNo;
  }
  const rYes = countNlri(b, o, end, maxLen, true);
  if (rYes >= 0 || (rNo === -1 && rYes !== -1)) {
    choice.addPath = true;
    return rYes;
  }
  choice.addPath = false;
  return rNo;
}

export function maxPrefixLen(afi: number): number {
  return afi === 2 /* Afi.IPV6 */ ? 128 : afi === 1 ? 32 : -1;
}

/** Empty NLRI are shared (frozen) per family: most UPDATEs have an empty withdrawn or NLRI field. */
const EMPTY = new Map<number, Nlri>();
function emptyNlri(afi: number, safi: number): Nlri {
  const key = afi * 256 + safi;
  let e = EMPTY.get(key);
  if (e === undefined) {
    e = Object.freeze({ afi, safi, prefixes: Object.freeze([]) as unknown as string[], pathIds: null });
    if (EMPTY.size < 64) EMPTY.set(key, e);
  }
  return e;
}
export const EMPTY_IPV4_NLRI: Nlri = emptyNlri(1, 1);

/** Decodes `count` entries (already validated by countNlri) into an Nlri. */
export function decodeNlri(
  b: Uint8Array,
  o: number,
  count: number,
  afi: number,
  safi: number,
  addPath: boolean,
): Nlri {
  if (count === 0) return afi === 1 && safi === 1 ? EMPTY_IPV4_NLRI : emptyNlri(afi, safi);
  const prefixes = new Array<string>(count);
  const pathIds: number[] | null = addPath ? new Array<number>(count) : null;
  const v6 = afi === 2; // Afi.IPV6
  for (let i = 0; i < count; i++) {
    if (pathIds !== null) {
      pathIds[i] = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
      o += 4;
    }
    const len = b[o];
    prefixes[i] = v6 ? formatPrefix6(b, o + 1, len) : formatPrefix4(b, o + 1, len);
    o += 1 + ((len + 7) >> 3);
  }
  return { afi, safi, prefixes, pathIds };
}

/** Validates and decodes in one call; faults with BGP_ERR_NLRI on bad bytes. */
export function readNlri(
  b: Uint8Array,
  o: number,
  end: number,
  afi: number,
  safi: number,
  preferredAddPath: boolean | null,
  choice: { addPath: boolean },
): Nlri {
  const maxLen = afi === 2 ? 128 : afi === 1 ? 32 : -1; // maxPrefixLen(afi), written out for the JIT
  // The common case first: the session knows there are no path ids and the bytes agree.
  if (preferredAddPath === false) {
    const n = countNlri(b, o, end, maxLen, false);
    if (n !== -1) {
      choice.addPath = false;
      return decodeNlri(b, o, nlriCount(n), afi, safi, false);
    }
  }
  const r = chooseAddPath(b, o, end, maxLen, preferredAddPath, choice);
  if (r === -1)
    fault('BGP_ERR_NLRI', o, `NLRI for AFI ${afi} overruns its field or has a prefix length above ${maxLen}`);
  return decodeNlri(b, o, nlriCount(r), afi, safi, choice.addPath);
}
