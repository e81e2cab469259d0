// Strict parsing of IP addresses and prefixes typed by a user, with canonical output (masked prefix,
// RFC 5952 IPv6 text) and error messages that quote the input.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ParsedPrefix {
  family: 4 | 6;
  /** Canonical text: host bits cleared, IPv6 per RFC 5952. */
  text: string;
  length: number;
}

const DEC = /^[0-9]{1,3}$/;
const HEX = /^[0-9a-fA-F]{1,4}$/;

/** IPv4 dotted quad → uint32, or null. Leading zeros ("010") are refused as ambiguous. */
export function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!DEC.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** IPv6 text → 8 hextets, or null. Accepts "::" compression and a trailing dotted quad. */
export function parseIPv6(s: string): number[] | null {
  if (s.length < 2 || s.includes('%')) return null;
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return null;
  const parseSide = (side: string, allowV4: boolean): number[] | null => {
    if (side === '') return [];
    const groups = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (allowV4 && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!HEX.test(g)) return null;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  if (dbl === -1) {
    const all = parseSide(s, true);
    return all && all.length === 8 ? all : null;
  }
  const head = parseSide(s.slice(0, dbl), false);
  const tail = parseSide(s.slice(dbl + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** RFC 5952: lowercase, no leading zeros, the longest run (≥ 2) of zero groups shortened to "::". */
export function formatIPv6(h: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && h[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number, b: number) =>
    h
      .slice(a, b)
      .map((x) => x.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** A single address (v4 or v6) in canonical text, for peer filters. */
export function parseAddress(input: string): Parsed<{ family: 4 | 6; text: string }> {
  const s = input.trim();
  const v4 = parseIPv4(s);
  if (v4 !== null) return { ok: true, value: { family: 4, text: formatIPv4(v4) } };
  const v6 = parseIPv6(s);
  if (v6 !== null) return { ok: true, value: { family: 6, text: formatIPv6(v6) } };
  return { ok: false, error: `"${s}" is not an IPv4 or IPv6 address` };
}

function maskV6(h: number[], len: number): number[] {
  return h.map((x, i) => {
    const keep = Math.min(16, Math.max(0, len - i * 16));
    return keep === 16 ? x : keep === 0 ? 0 : x & ((0xffff << (16 - keep)) & 0xffff);
  });
}

/**
 * A prefix such as "10.0.0.0/8" or "2001:db8::/32". A bare address means a host prefix (/32, /128).
 * Host bits are cleared ("10.1.2.3/8" → "10.0.0.0/8").
 */
export function parsePrefix(input: string): Parsed<ParsedPrefix> {
  const s = input.trim();
  if (s === '') return { ok: false, error: 'empty prefix' };
  const slash = s.indexOf('/');
  const addr = slash === -1 ? s : s.slice(0, slash);
  const lenText = slash === -1 ? null : s.slice(slash + 1);
  if (lenText !== null && !/^[0-9]{1,3}$/.test(lenText)) {
    return { ok: false, error: `"${s}": the length after "/" must be a number` };
  }
  const v4 = parseIPv4(addr);
  if (v4 !== null) {
    const length = lenText === null ? 32 : Number(lenText);
    if (length > 32) return { ok: false, error: `"${s}": an IPv4 prefix length is 0–32` };
    const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
    return { ok: true, value: { family: 4, length, text: `${formatIPv4((v4 & mask) >>> 0)}/${length}` } };
  }
  const v6 = parseIPv6(addr);
  if (v6 !== null) {
    const length = lenText === null ? 128 : Number(lenText);
    if (length > 128) return { ok: false, error: `"${s}": an IPv6 prefix length is 0–128` };
    return { ok: true, value: { family: 6, length, text: `${formatIPv6(maskV6(v6, length))}/${length}` } };
  }
  return { ok: false, error: `"${s}" is not a valid prefix (e.g. 10.0.0.0/8 or 2001:db8::/32)` };
}
