/**
 * RIS Live's AS path patterns (the `path` field of `ris_subscribe`): a comma-separated list of ASNs that must
 * appear as consecutive hops of the AS path. `^` anchors the list at the first hop (the peer's side), `$` at
 * the last (the origin), a leading `!` inverts the match, and `[a,b]` is an AS_SET hop with exactly those
 * members (RIS writes sets as JSON arrays). It is not a regular expression, and is never turned into one: the
 * matcher is Knuth–Morris–Pratt over hops, linear in path length whatever the pattern, so a client cannot make
 * the server slow with a crafted pattern. Pure functions only.
 */
import type { PathHop } from '@bmpwatch/bmp';
import { isAsn } from '../prefix/canonical.ts';

/** Longest pattern text accepted, and most hops / set members in one (far beyond real AS paths). */
const MAX_PATTERN_CHARS = 1024;
export const MAX_PATTERN_HOPS = 64;
const MAX_SET_MEMBERS = 64;

/** One hop of a pattern: an ASN, or an AS_SET as its members in ascending order without repeats. */
export type PatternHop = number | readonly number[];

export interface PathPattern {
  /** Canonical text (what `ris_subscribe_ok` echoes and `ris_unsubscribe` compares). */
  readonly text: string;
  readonly negate: boolean;
  readonly anchorStart: boolean;
  readonly anchorEnd: boolean;
  readonly hops: readonly PatternHop[];
  /** KMP failure function: fail[i] = length of the longest proper border of hops[0..i]. */
  readonly fail: Int32Array;
}

type PatternResult = { ok: true; pattern: PathPattern } | { ok: false; message: string };

const MAX_ASN = 0xffffffff;

function bad(message: string): PatternResult {
  return { ok: false, message: `path: ${message}` };
}

function sameHop(a: PatternHop, b: PatternHop): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether a route's hop equals a pattern hop. A route's AS_SET may list its members in any order (and, sent
 * by a careless router, repeat one): same length and members found both ways. Sizes are capped, so this is
 * bounded per hop.
 */
function hopMatches(p: PatternHop, h: PathHop): boolean {
  if (typeof p === 'number') return p === h;
  if (typeof h === 'number' || h.length !== p.length) return false;
  for (let i = 0; i < h.length; i++) if (!sortedHas(p, h[i])) return false;
  for (let i = 0; i < p.length; i++) if (!h.includes(p[i])) return false;
  return true;
}

function sortedHas(list: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === x) return true;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function failure(hops: readonly PatternHop[]): Int32Array {
  const fail = new Int32Array(hops.length);
  let k = 0;
  for (let i = 1; i < hops.length; i++) {
    while (k > 0 && !sameHop(hops[i], hops[k])) k = fail[k - 1];
    if (sameHop(hops[i], hops[k])) k++;
    fail[i] = k;
  }
  return fail;
}

function asn(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_ASN ? n : null;
}

function hopText(h: PatternHop): string {
  return typeof h === 'number' ? String(h) : `[${h.join(',')}]`;
}

/** Reads a pattern: an ASN as a JSON number, or the text form. Says exactly what is wrong otherwise. */
export function parsePathPattern(raw: unknown): PatternResult {
  if (typeof raw === 'number') {
    if (!isAsn(raw)) return bad(`${raw} is not an AS number`);
    raw = String(raw);
  }
  if (typeof raw !== 'string') return bad('expected an ASN or a pattern string');
  if (raw.length > MAX_PATTERN_CHARS) return bad(`pattern longer than ${MAX_PATTERN_CHARS} characters`);
  // Spaces around separators are forgiven; between two numbers they would silently join them.
  if (/\d\s+\d/.test(raw)) return bad(`${JSON.stringify(raw)}: separate ASNs with ","`);
  let s = raw.replace(/\s+/g, '');
  let negate = false;
  let anchorStart = false;
  let anchorEnd = false;
  if (s.startsWith('!')) {
    negate = true;
    s = s.slice(1);
  }
  if (s.startsWith('^')) {
    anchorStart = true;
    s = s.slice(1);
  }
  if (s.endsWith('$')) {
    anchorEnd = true;
    s = s.slice(0, -1);
  }
  if (s === '') return bad(`${JSON.stringify(raw)} names no AS`);
  const hops: PatternHop[] = [];
  let i = 0;
  while (i <= s.length) {
    if (hops.length === MAX_PATTERN_HOPS) return bad(`more than ${MAX_PATTERN_HOPS} hops`);
    if (s[i] === '[') {
      const close = s.indexOf(']', i);
      if (close < 0) return bad(`unclosed "[" at ${i}`);
      const members = s.slice(i + 1, close).split(',');
      if (members.length > MAX_SET_MEMBERS) return bad(`AS_SET with more than ${MAX_SET_MEMBERS} members`);
      const set = new Set<number>();
      for (const m of members) {
        const a = asn(m);
        if (a === null) return bad(`${JSON.stringify(m)} in an AS_SET is not an AS number`);
        set.add(a);
      }
      hops.push([...set].sort((x, y) => x - y));
      i = close + 1;
    } else {
      let end = s.indexOf(',', i);
      if (end < 0) end = s.length;
      const a = asn(s.slice(i, end));
      if (a === null) return bad(`${JSON.stringify(s.slice(i, end))} is not an AS number`);
      hops.push(a);
      i = end;
    }
    if (i === s.length) break;
    if (s[i] !== ',') return bad(`expected "," at ${JSON.stringify(s.slice(i, i + 10))}`);
    i++;
    if (i === s.length) return bad('ends with ","');
  }
  const text =
    (negate ? '!' : '') + (anchorStart ? '^' : '') + hops.map(hopText).join(',') + (anchorEnd ? '$' : '');
  return { ok: true, pattern: { text, negate, anchorStart, anchorEnd, hops, fail: failure(hops) } };
}

function matchesPositive(p: PathPattern, path: readonly PathHop[]): boolean {
  const m = p.hops.length;
  const n = path.length;
  if (m > n) return false;
  if (p.anchorStart) {
    // Anchored at the start: compare in place (and, with `$` too, the lengths must agree).
    if (p.anchorEnd && m !== n) return false;
    for (let i = 0; i < m; i++) if (!hopMatches(p.hops[i], path[i])) return false;
    return true;
  }
  if (p.anchorEnd) {
    for (let i = 0; i < m; i++) if (!hopMatches(p.hops[i], path[n - m + i])) return false;
    return true;
  }
  // Unanchored: KMP, each hop of the path looked at a bounded number of times.
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k > 0 && !hopMatches(p.hops[k], path[i])) k = p.fail[k - 1];
    if (hopMatches(p.hops[k], path[i])) k++;
    if (k === m) return true;
  }
  return false;
}

/** Whether an AS path (sequences flattened, sets nested) satisfies the pattern. */
export function matchesPath(p: PathPattern, path: readonly PathHop[]): boolean {
  return matchesPositive(p, path) !== p.negate;
}
