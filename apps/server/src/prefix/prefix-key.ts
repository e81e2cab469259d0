/**
 * A prefix as numbers: IPv4 in one 32-bit word, IPv6 in four, plus a length. The trie and the matcher work on
 * these instead of strings so that comparing prefixes is XOR and count-leading-zeros, not text.
 */
import { parsePrefix, type RouteScan } from '@bmpwatch/bmp';

export class PrefixKey {
  family: 4 | 6 = 4;
  /** Address words, big-endian bit order, host bits cleared; b..d are 0 for IPv4. Stored as int32. */
  a = 0;
  b = 0;
  c = 0;
  d = 0;
  len = 0;

  /** Bit `i` (0 = most significant) of the address. */
  bit(i: number): number {
    const w = i < 32 ? this.a : i < 64 ? this.b : i < 96 ? this.c : this.d;
    return (w >>> (31 - (i & 31))) & 1;
  }

  word(i: number): number {
    return i === 0 ? this.a : i === 1 ? this.b : i === 2 ? this.c : this.d;
  }

  private copyFrom(k: PrefixKey): this {
    this.family = k.family;
    this.a = k.a;
    this.b = k.b;
    this.c = k.c;
    this.d = k.d;
    this.len = k.len;
    return this;
  }

  clone(): PrefixKey {
    return new PrefixKey().copyFrom(this);
  }

  /** Clears every bit from `len` on (and sets the length), making the key canonical. */
  truncate(len: number): this {
    this.len = len;
    this.a = maskWord(this.a, len);
    this.b = maskWord(this.b, len - 32);
    this.c = maskWord(this.c, len - 64);
    this.d = maskWord(this.d, len - 96);
    return this;
  }
}

/** Keeps the first `bits` bits of a word (all of it for ≥ 32, nothing for ≤ 0). */
export function maskWord(w: number, bits: number): number {
  if (bits >= 32) return w | 0;
  if (bits <= 0) return 0;
  return w & (0xffffffff << (32 - bits));
}

/**
 * Number of leading bits `x` and `y` share, at most min(x.len, y.len). Both must be the same family.
 */
export function commonLength(x: PrefixKey, y: PrefixKey): number {
  const max = Math.min(x.len, y.len);
  const words = x.family === 4 ? 1 : 4;
  for (let i = 0; i < words; i++) {
    const diff = x.word(i) ^ y.word(i);
    if (diff !== 0) {
      return Math.min(i * 32 + Math.clz32(diff), max);
    }
    if ((i + 1) * 32 >= max) return max;
  }
  return max;
}

/** True when `outer` covers `inner` (same family, outer.len ≤ inner.len, same leading bits). */
export function covers(outer: PrefixKey, inner: PrefixKey): boolean {
  return outer.family === inner.family && outer.len <= inner.len && commonLength(outer, inner) === outer.len;
}

function word32(b: Uint8Array, i: number): number {
  return (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
}

function setFromBytes(k: PrefixKey, bytes: Uint8Array, len: number): void {
  k.family = bytes.length === 4 ? 4 : 6;
  k.a = word32(bytes, 0);
  k.b = k.family === 4 ? 0 : word32(bytes, 4);
  k.c = k.family === 4 ? 0 : word32(bytes, 8);
  k.d = k.family === 4 ? 0 : word32(bytes, 12);
  k.truncate(len);
}

/**
 * Reads canonical-or-not prefix text into `out` (host bits are cleared). Returns false for anything that is
 * not a valid prefix. IPv4 takes a fast path without allocation: route prefixes arrive here by the million.
 */
export function parseKey(text: string, out: PrefixKey): boolean {
  if (text.indexOf(':') < 0) {
    let word = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    let i = 0;
    const n = text.length;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch >= 48 && ch <= 57) {
        if (digits > 0 && octet === 0) return false; // leading zero
        octet = octet * 10 + (ch - 48);
        if (++digits > 3 || octet > 255) return false;
      } else if (ch === 46 /* . */) {
        if (digits === 0 || ++dots > 3) return false;
        word = (word << 8) | octet;
        octet = 0;
        digits = 0;
      } else if (ch === 47 /* / */) break;
      else return false;
    }
    if (dots !== 3 || digits === 0 || i >= n - 1) return false;
    word = (word << 8) | octet;
    let len = 0;
    let lenDigits = 0;
    for (i++; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch < 48 || ch > 57) return false;
      if (lenDigits > 0 && len === 0) return false;
      len = len * 10 + (ch - 48);
      if (++lenDigits > 2 || len > 32) return false;
    }
    out.family = 4;
    out.a = word | 0;
    out.b = 0;
    out.c = 0;
    out.d = 0;
    out.truncate(len);
    return true;
  }
  return parseKey6(text, out);
}

const words6 = new Uint16Array(8);

function hexDigit(ch: number): number {
  if (ch >= 48 && ch <= 57) return ch - 48;
  if (ch >= 97 && ch <= 102) return ch - 87;
  if (ch >= 65 && ch <= 70) return ch - 55;
  return -1;
}

/**
 * IPv6 prefix text → key, without allocating (route prefixes arrive here at line rate). Groups of 1–4 hex
 * digits, at most one "::"; an embedded IPv4 tail takes the allocating slow path (it is rare).
 */
function parseKey6(text: string, out: PrefixKey): boolean {
  const slash = text.indexOf('/');
  if (slash < 2) return false;
  const w = words6;
  const t = tailWords;
  w.fill(0);
  let head = 0; // groups before "::"
  let tail = -1; // groups after "::"; -1 while there was none
  let group = 0;
  let digits = 0;
  let i = 0;
  if (text.charCodeAt(0) === 58 /* : */) {
    if (text.charCodeAt(1) !== 58) return false;
    tail = 0;
    i = 2;
  }
  for (; i < slash; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 58) {
      if (digits === 0) {
        // The second colon of "::" (the first one closed the group before it); only one "::" is allowed.
        if (tail >= 0) return false;
        tail = 0;
        continue;
      }
      if (tail >= 0) {
        if (tail >= 8) return false;
        t[tail++] = group;
      } else {
        if (head >= 8) return false;
        w[head++] = group;
      }
      group = 0;
      digits = 0;
      continue;
    }
    if (ch === 46 /* . */) return slowKey6(text, out);
    const d = hexDigit(ch);
    if (d < 0 || digits === 4) return false;
    digits++;
    group = (group << 4) | d;
  }
  if (digits > 0) {
    if (tail >= 0) {
      if (tail >= 8) return false;
      t[tail++] = group;
    } else {
      if (head >= 8) return false;
      w[head++] = group;
    }
  } else if (!(tail === 0 && text.charCodeAt(slash - 1) === 58 && text.charCodeAt(slash - 2) === 58)) {
    return false; // ends in a single colon
  }
  if (tail < 0) {
    if (head !== 8) return false;
  } else {
    if (head + tail > 7) return false;
    for (let k = 0; k < tail; k++) w[8 - tail + k] = t[k];
  }
  let len = 0;
  let lenDigits = 0;
  for (i = slash + 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) return false;
    if (lenDigits > 0 && len === 0) return false;
    len = len * 10 + (ch - 48);
    if (++lenDigits > 3 || len > 128) return false;
  }
  if (lenDigits === 0) return false;
  out.family = 6;
  out.a = (w[0] << 16) | w[1];
  out.b = (w[2] << 16) | w[3];
  out.c = (w[4] << 16) | w[5];
  out.d = (w[6] << 16) | w[7];
  out.truncate(len);
  return true;
}

const tailWords = new Uint16Array(8);

/** IPv6 with an embedded IPv4 tail ("::ffff:192.0.2.1/128"): rare, so the allocating parser is fine. */
function slowKey6(text: string, out: PrefixKey): boolean {
  const p = parsePrefix(text);
  if (p === null || p.family !== 6) return false;
  setFromBytes(out, p.bytes, p.length);
  return true;
}

/** A fresh key for `text`, or null if it is not a prefix. */
export function keyOf(text: string): PrefixKey | null {
  const k = new PrefixKey();
  return parseKey(text, k) ? k : null;
}

/** Loads prefix `j` of a scan into `key` (the scan's words are unsigned; keys hold them as int32). */
export function scannedKey(key: PrefixKey, scan: RouteScan, j: number): void {
  const w = j * 4;
  const addr = scan.addr;
  key.family = scan.family[j] === 6 ? 6 : 4;
  key.a = addr[w] | 0;
  key.b = addr[w + 1] | 0;
  key.c = addr[w + 2] | 0;
  key.d = addr[w + 3] | 0;
  key.len = scan.length[j];
}
