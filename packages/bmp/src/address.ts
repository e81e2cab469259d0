/**
 * IP addresses and prefixes between bytes and canonical text. Hot path: formatting goes straight from the
 * bytes through small lookup tables (no temporary arrays, no toString(16), no BigInt).
 */

const DEC: string[] = [];
const HEX: string[] = []; // 0..255 without leading zeros
const HEX2: string[] = []; // 0..255 as two digits
const SLASH: string[] = [];
/** ":" + hex without leading zeros: an IPv6 group and its separator in one piece. */
const COLHEX: string[] = [];
/** "v." for each octet: halves the concatenations of a dotted quad. */
const DECDOT: string[] = [];
for (let i = 0; i < 256; i++) {
  DEC.push(String(i));
  DECDOT.push(`${i}.`);
  HEX.push(i.toString(16));
  HEX2.push(i.toString(16).padStart(2, '0'));
  COLHEX.push(`:${i.toString(16)}`);
}
for (let i = 0; i <= 128; i++) SLASH.push('/' + i);
/**
 * "c.0/len" for every third octet and length up to /24: the last part of most IPv4 prefixes in one piece, so a
 * prefix is two concatenations instead of four (6,400 short strings, built once). Indexed (and laid out in
 * memory) by length first: the tails of one length, e.g. the many /24s, share a few KB of cache.
 */
const TAIL24: string[] = [];
for (let len = 0; len <= 24; len++) for (let c = 0; c < 256; c++) TAIL24.push(`${c}.0/${len}`);
/** "b.0.0/len" up to /16: short prefixes in two pieces (4,352 strings), also by length first. */
const TAIL16: string[] = [];
for (let len = 0; len <= 16; len++) for (let c = 0; c < 256; c++) TAIL16.push(`${c}.0.0/${len}`);

export function formatIPv4(b: Uint8Array, o: number): string {
  return DECDOT[b[o]] + DECDOT[b[o + 1]] + DECDOT[b[o + 2]] + DEC[b[o + 3]];
}

/**
 * Addresses that repeat message after message (peer, BGP ID, next hop) come from a small direct-mapped cache:
 * bounded (1024 slots, so hostile input can't grow it) and a miss costs only the formatting it replaces.
 */
const SLOTS = 1024;
const slotKey = new Float64Array(SLOTS).fill(-1);
const slotText: string[] = new Array<string>(SLOTS).fill('');

export function formatIPv4Cached(b: Uint8Array, o: number): string {
  const n = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  const slot = (n ^ (n >>> 10) ^ (n >>> 20)) & (SLOTS - 1);
  return slotKey[slot] === n ? slotText[slot] : cacheIPv4(b, o, n, slot);
}

/** The miss path, out of line so the hit path stays small enough for the JIT to inline everywhere. */
function cacheIPv4(b: Uint8Array, o: number, n: number, slot: number): string {
  const text = formatIPv4(b, o);
  slotKey[slot] = n;
  slotText[slot] = text;
  return text;
}

function group(b: Uint8Array, o: number): string {
  const hi = b[o];
  return hi === 0 ? HEX[b[o + 1]] : HEX[hi] + HEX2[b[o + 1]];
}

/** ":" and the group at `o`. */
function colonGroup(b: Uint8Array, o: number): string {
  const hi = b[o];
  return hi === 0 ? COLHEX[b[o + 1]] : COLHEX[hi] + HEX2[b[o + 1]];
}

/**
 * "g0:g1", the first two groups of an address, from a small direct-mapped cache keyed by those 32 bits: the prefixes
 * of one allocation (a /32 and longer) share them, and rendering them is half the concatenations of a /64.
 */
const HEAD_SLOTS = 256;
const headKey = new Int32Array(HEAD_SLOTS);
const headText: string[] = new Array<string>(HEAD_SLOTS).fill('');

function head(b: Uint8Array, o: number): string {
  const w = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  const slot = (w ^ (w >>> 8) ^ (w >>> 16) ^ (w >>> 24)) & (HEAD_SLOTS - 1);
  // '' marks an empty slot: no head renders as the empty string.
  return headKey[slot] === w && headText[slot] !== '' ? headText[slot] : cacheHead(b, o, w, slot);
}

function cacheHead(b: Uint8Array, o: number, w: number, slot: number): string {
  const text = group(b, o) + colonGroup(b, o + 2);
  headKey[slot] = w;
  headText[slot] = text;
  return text;
}

/** RFC 5952 text of the 16 bytes at `o`: lower case, no leading zeros, the longest zero run (≥ 2 groups) as "::". */
export function formatIPv6(b: Uint8Array, o: number): string {
  return ipv6Text(b, o, -1);
}

/** "::" followed by "/len": the end of most IPv6 prefixes in one piece. */
const ZEROS_SLASH: string[] = [];
for (let i = 0; i <= 128; i++) ZEROS_SLASH.push('::/' + i);

/** The address text, followed by "/len" when `len` ≥ 0 (a prefix: one concatenation fewer for the usual "::/len"). */
function ipv6Text(b: Uint8Array, o: number, len: number): string {
  // Find the longest run of zero groups (first one wins a tie).
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    const zero = b[o + 2 * g] === 0 && b[o + 2 * g + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = g;
      const run = g - runStart + 1;
      if (run > bestLen) {
        bestLen = run;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  // IPv4-mapped (::ffff:a.b.c.d) keeps its dotted tail, as RFC 5952 §5 recommends.
  if (bestStart === 0 && bestLen === 5 && b[o + 10] === 0xff && b[o + 11] === 0xff) {
    const text = '::ffff:' + formatIPv4(b, o + 12);
    return len < 0 ? text : text + SLASH[len];
  }
  const stop = bestStart < 0 ? 8 : bestStart;
  let s: string;
  let g: number;
  if (stop >= 2) {
    s = head(b, o);
    g = 2;
  } else {
    s = stop === 0 ? '' : group(b, o);
    g = 1;
  }
  for (; g < stop; g++) s += colonGroup(b, o + 2 * g);
  if (bestStart < 0) return len < 0 ? s : s + SLASH[len];
  const end = bestStart + bestLen;
  if (end === 8) return s + (len < 0 ? '::' : ZEROS_SLASH[len]);
  s += ':';
  for (g = end; g < 8; g++) s += colonGroup(b, o + 2 * g);
  return len < 0 ? s : s + SLASH[len];
}

/**
 * Addresses that repeat message after message (IPv6 next hops and peers): a direct-mapped cache keyed by the four
 * words, bounded like the IPv4 one.
 */
const SLOTS6 = 256;
const slot6Key = new Int32Array(SLOTS6 * 4);
const slot6Text: string[] = new Array<string>(SLOTS6).fill('');

export function formatIPv6Cached(b: Uint8Array, o: number): string {
  const w0 = (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  const w1 = (b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7];
  const w2 = (b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11];
  const w3 = (b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15];
  let h = w0 ^ w1 ^ w2 ^ w3;
  h ^= h >>> 16;
  const slot = (h ^ (h >>> 8)) & (SLOTS6 - 1);
  const k = slot * 4;
  return slot6Key[k] === w0 &&
    slot6Key[k + 1] === w1 &&
    slot6Key[k + 2] === w2 &&
    slot6Key[k + 3] === w3 &&
    slot6Text[slot] !== ''
    ? slot6Text[slot]
    : cacheIPv6(b, o, slot, w0, w1, w2, w3);
}

function cacheIPv6(
  b: Uint8Array,
  o: number,
  slot: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): string {
  const text = formatIPv6(b, o);
  const k = slot * 4;
  slot6Key[k] = w0;
  slot6Key[k + 1] = w1;
  slot6Key[k + 2] = w2;
  slot6Key[k + 3] = w3;
  slot6Text[slot] = text;
  return text;
}

/** Scratch for prefixes whose bytes are not all on the wire (NLRI carries only ceil(len/8) bytes). */
const scratch = new Uint8Array(16);

/**
 * Canonical CIDR text of an NLRI prefix: `nbytes` significant bytes at `o`, host bits beyond `len` cleared.
 * The caller has checked that `len` fits the family and the bytes are present.
 */
export function formatPrefix4(b: Uint8Array, o: number, len: number): string {
  // The address as one 32-bit number (absent bytes zero), host bits cleared: compact code the JIT inlines.
  let v = 0;
  for (let i = 0, n = (len + 7) >> 3; i < n; i++) v |= b[o + i] << (24 - 8 * i);
  if (len < 32) v &= ~(-1 >>> len);
  const a0 = v >>> 24;
  const a1 = (v >>> 16) & 255;
  if (len <= 16) return DECDOT[a0] + TAIL16[(len << 8) | a1];
  if (len <= 24) return DECDOT[a0] + DECDOT[a1] + TAIL24[(len << 8) | ((v >>> 8) & 255)];
  return DECDOT[a0] + DECDOT[a1] + DECDOT[(v >>> 8) & 255] + DEC[v & 255] + SLASH[len];
}

export function formatPrefix6(b: Uint8Array, o: number, len: number): string {
  const n = (len + 7) >> 3;
  for (let i = 0; i < 16; i++) scratch[i] = i < n ? b[o + i] : 0;
  const rem = len & 7;
  if (rem !== 0) scratch[n - 1] &= (0xff00 >> rem) & 0xff;
  return ipv6Text(scratch, 0, len);
}

// ---- text → bytes (strict; used by the encoder and by filters, not on the decode hot path) ----

/** Parses dotted-quad IPv4 text; null if it is not exactly four decimal octets. */
export function parseIPv4(s: string, out: Uint8Array = new Uint8Array(4), o = 0): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out[o + i] = v;
  }
  return out;
}

/** Parses IPv6 text (with optional "::" and an IPv4 tail); null if invalid. */
export function parseIPv6(s: string, out: Uint8Array = new Uint8Array(16), o = 0): Uint8Array | null {
  if (s.length < 2 || s.length > 45) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseSide = (side: string): number[] | null => {
    if (side === '') return [];
    const groups = side.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return null;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        words.push(parseInt(g, 16));
      }
    }
    return words;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseSide(s.slice(0, dbl));
    const tail = parseSide(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseSide(s);
    if (all?.length !== 8) return null;
    words = all;
  }
  for (let i = 0; i < 8; i++) {
    out[o + 2 * i] = words[i] >> 8;
    out[o + 2 * i + 1] = words[i] & 0xff;
  }
  return out;
}

export interface ParsedPrefix {
  /** 4 or 6. */
  family: 4 | 6;
  /** Address bytes (4 or 16), host bits cleared. */
  bytes: Uint8Array;
  length: number;
}

/** Parses "addr/len" strictly; host bits are cleared (so the result is canonical). Null if invalid. */
export function parsePrefix(s: string): ParsedPrefix | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const lenText = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return null;
  const length = Number(lenText);
  const addr = s.slice(0, slash);
  const v4 = addr.includes(':') ? null : parseIPv4(addr);
  const bytes = v4 ?? (addr.includes(':') ? parseIPv6(addr) : null);
  if (!bytes) return null;
  const family = bytes.length === 4 ? 4 : 6;
  if (length > bytes.length * 8) return null;
  for (let bit = length; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  return { family, bytes, length };
}

/** Canonical text of a parsed prefix. */
export function formatParsedPrefix(p: ParsedPrefix): string {
  return p.family === 4 ? formatPrefix4(p.bytes, 0, p.length) : formatPrefix6(p.bytes, 0, p.length);
}

/** Parses an address of either family to bytes (4 or 16); null if invalid. */
export function parseIP(s: string): Uint8Array | null {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}
