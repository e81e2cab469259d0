/**
 * Subscription filters (docs/websocket.md "Filter"): validation into a canonical form. Pure functions only. (The
 * readable reference matcher the indexed one is tested against lives with the tests: test/support/reference-matcher.ts.)
 */
import type { FilterJson, FilterKind, RouteKind } from '@bmpwatch/api';
import { canonicalAddress, canonicalPrefix, isAsn } from '../prefix/canonical.ts';
import type { MatchMode } from '../prefix/prefix-trie.ts';
import { typeName } from '../ws/json-values.ts';

export const MAX_FILTER_PREFIXES = 10_000;
/** Generous caps on the other lists: they bound memory per client, not expected use. */
export const MAX_FILTER_VALUES = 10_000;

export type { FilterKind, RouteKind };
export const FILTER_KINDS: readonly FilterKind[] = ['announce', 'withdraw', 'peer'];

export interface PrefixSubscription {
  prefix: string;
  match: MatchMode;
}

/**
 * A validated filter: the API's filter (@bmpwatch/api) with every prefix spelled out as { prefix, match }. Absent
 * fields (and empty lists) mean "no constraint"; lists are canonical and unique.
 */
export interface Filter extends Omit<FilterJson, 'prefixes'> {
  prefixes?: PrefixSubscription[];
}

export type FilterResult = { ok: true; filter: Filter } | { ok: false; message: string };

const MODES: readonly MatchMode[] = ['exact', 'more', 'less'];

function list(raw: Record<string, unknown>, field: string): unknown[] | null | string {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return `${field}: expected an array, got ${typeName(v)}`;
  return v;
}

function asnList(raw: Record<string, unknown>, field: string): number[] | null | string {
  const l = list(raw, field);
  if (l === null || typeof l === 'string') return l;
  if (l.length > MAX_FILTER_VALUES) return `${field}: at most ${MAX_FILTER_VALUES} values`;
  for (let i = 0; i < l.length; i++) {
    if (!isAsn(l[i])) return `${field}[${i}]: ${JSON.stringify(l[i])} is not an AS number (0..4294967295)`;
  }
  return [...new Set(l as number[])].sort((a, b) => a - b);
}

/** Validates a client's filter object into canonical form, or says exactly what is wrong with it. */
export function parseFilter(raw: unknown): FilterResult {
  if (raw === undefined || raw === null) return { ok: true, filter: {} };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, message: `filter: expected an object, got ${typeName(raw)}` };
  const r = raw as Record<string, unknown>;
  const filter: Filter = {};

  const prefixes = list(r, 'prefixes');
  if (typeof prefixes === 'string') return { ok: false, message: prefixes };
  if (prefixes !== null && prefixes.length > 0) {
    if (prefixes.length > MAX_FILTER_PREFIXES)
      return {
        ok: false,
        message: `prefixes: ${prefixes.length} given, at most ${MAX_FILTER_PREFIXES} allowed`,
      };
    const seen = new Set<string>();
    const out: PrefixSubscription[] = [];
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i];
      // A bare string is accepted as shorthand for { prefix, match: "more" }.
      const entry = typeof p === 'string' ? { prefix: p } : p;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        return { ok: false, message: `prefixes[${i}]: expected { "prefix": ..., "match": ... }` };
      const { prefix, match } = entry as { prefix?: unknown; match?: unknown };
      if (typeof prefix !== 'string')
        return { ok: false, message: `prefixes[${i}].prefix: expected a string, got ${typeName(prefix)}` };
      const canon = canonicalPrefix(prefix.trim());
      if (canon === null)
        return { ok: false, message: `prefixes[${i}]: ${JSON.stringify(prefix)} is not a valid prefix` };
      const mode = match === undefined ? 'more' : match;
      if (typeof mode !== 'string' || !MODES.includes(mode as MatchMode))
        return {
          ok: false,
          message: `prefixes[${i}].match: ${JSON.stringify(match)} is not one of "exact", "more", "less"`,
        };
      const id = canon + ' ' + mode;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ prefix: canon, match: mode as MatchMode });
    }
    filter.prefixes = out;
  }

  for (const field of ['origin_asns', 'path_asns', 'peer_asns'] as const) {
    const asns = asnList(r, field);
    if (typeof asns === 'string') return { ok: false, message: asns };
    if (asns !== null && asns.length > 0) filter[field] = asns;
  }

  const peers = list(r, 'peers');
  if (typeof peers === 'string') return { ok: false, message: peers };
  if (peers !== null && peers.length > 0) {
    if (peers.length > MAX_FILTER_VALUES)
      return { ok: false, message: `peers: at most ${MAX_FILTER_VALUES}` };
    const out = new Set<string>();
    for (let i = 0; i < peers.length; i++) {
      const p = peers[i];
      const canon = typeof p === 'string' ? canonicalAddress(p.trim()) : null;
      if (canon === null)
        return { ok: false, message: `peers[${i}]: ${JSON.stringify(p)} is not an IP address` };
      out.add(canon);
    }
    filter.peers = [...out].sort();
  }

  const routers = list(r, 'routers');
  if (typeof routers === 'string') return { ok: false, message: routers };
  if (routers !== null && routers.length > 0) {
    if (routers.length > MAX_FILTER_VALUES)
      return { ok: false, message: `routers: at most ${MAX_FILTER_VALUES}` };
    const out = new Set<string>();
    for (let i = 0; i < routers.length; i++) {
      const v = routers[i];
      if (typeof v !== 'string' || v.trim() === '')
        return {
          ok: false,
          message: `routers[${i}]: expected a router id, name or group, got ${typeName(v)}`,
        };
      // Router ids are addresses (canonicalised); anything else is a sysName, kept as given.
      out.add(canonicalAddress(v.trim()) ?? v.trim());
    }
    filter.routers = [...out].sort();
  }

  const kinds = list(r, 'kinds');
  if (typeof kinds === 'string') return { ok: false, message: kinds };
  if (kinds !== null && kinds.length > 0) {
    for (let i = 0; i < kinds.length; i++) {
      if (!FILTER_KINDS.includes(kinds[i] as FilterKind))
        return {
          ok: false,
          message: `kinds[${i}]: ${JSON.stringify(kinds[i])} is not one of "announce", "withdraw", "peer"`,
        };
    }
    filter.kinds = FILTER_KINDS.filter((k) => kinds.includes(k));
  }
  return { ok: true, filter };
}

/** Whether peer up/down events reach a client with this filter (null: no subscription). */
export function wantsPeerEvents(filter: Filter | null): boolean {
  return filter === null || filter.kinds === undefined || filter.kinds.includes('peer');
}
