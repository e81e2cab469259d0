// The dashboard's filter: the form's text (Draft), its validated form (Filter), the URL query that
// carries it, and the API filter sent to the server (docs/websocket.md).
import type { ApiFilter, FilterKind, PrefixMatch } from './api-types.ts';
import { parseAsn, splitList } from './asn.ts';
import { parseAddress, parsePrefix } from './prefix.ts';

export const ROUTE_KINDS: readonly FilterKind[] = ['announce', 'withdraw', 'peer'];
export const MATCHES: readonly PrefixMatch[] = ['exact', 'more', 'less'];
/** The API accepts up to 10,000 prefixes. */
export const MAX_PREFIXES = 10_000;
export const MAX_ASNS = 1_000;

export interface Filter {
  prefixes: string[];
  match: PrefixMatch;
  originAsns: number[];
  pathAsns: number[];
  /** Peer addresses (canonical text). */
  peers: string[];
  peerAsns: number[];
  routers: string[];
  /** Empty: every kind. */
  kinds: FilterKind[];
}

/** What the filter bar's inputs hold (text as typed). */
export interface Draft {
  prefix: string;
  match: PrefixMatch;
  origin: string;
  path: string;
  /** Peer addresses and/or peer ASNs. */
  peer: string;
  router: string;
  kinds: FilterKind[];
}

export type DraftField = 'prefix' | 'origin' | 'path' | 'peer' | 'router' | 'kinds';
export type DraftErrors = Partial<Record<DraftField, string>>;

export const EMPTY_FILTER: Filter = {
  prefixes: [],
  match: 'more',
  originAsns: [],
  pathAsns: [],
  peers: [],
  peerAsns: [],
  routers: [],
  kinds: [],
};

const uniqSorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
const uniq = <T>(xs: T[]) => [...new Set(xs)];

function parseAsnList(text: string, what: string): { value: number[]; error?: string } {
  const items = splitList(text);
  if (items.length > MAX_ASNS) return { value: [], error: `at most ${MAX_ASNS} ${what}` };
  const out: number[] = [];
  for (const item of items) {
    const r = parseAsn(item);
    if (!r.ok) return { value: [], error: r.error };
    out.push(r.value);
  }
  return { value: uniqSorted(out) };
}

/** Checks every field; `filter` is set only when there are no errors. */
export function validateDraft(d: Draft): { filter: Filter | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const prefixes: string[] = [];
  const prefixItems = splitList(d.prefix);
  if (prefixItems.length > MAX_PREFIXES) errors.prefix = `at most ${MAX_PREFIXES} prefixes`;
  else
    for (const item of prefixItems) {
      const r = parsePrefix(item);
      if (!r.ok) {
        errors.prefix = r.error;
        break;
      }
      prefixes.push(r.value.text);
    }
  const origin = parseAsnList(d.origin, 'origin ASNs');
  if (origin.error) errors.origin = origin.error;
  const path = parseAsnList(d.path, 'path ASNs');
  if (path.error) errors.path = path.error;

  const peers: string[] = [];
  const peerAsns: number[] = [];
  for (const item of splitList(d.peer)) {
    if (/^(as)?[0-9.]+$/i.test(item) && !/^\d+\.\d+\.\d+\.\d+$/.test(item)) {
      const r = parseAsn(item);
      if (!r.ok) {
        errors.peer = r.error;
        break;
      }
      peerAsns.push(r.value);
      continue;
    }
    const r = parseAddress(item);
    if (!r.ok) {
      errors.peer = `"${item}" is neither a peer address nor an AS number`;
      break;
    }
    peers.push(r.value.text);
  }
  const routers = splitList(d.router);
  if (routers.some((r) => r.length > 255)) errors.router = 'a router id or name is at most 255 characters';
  const kinds = ROUTE_KINDS.filter((k) => d.kinds.includes(k));
  if (d.kinds.length > 0 && kinds.length === 0) errors.kinds = 'unknown event kind';
  if (Object.keys(errors).length > 0) return { filter: null, errors };
  return {
    errors,
    filter: {
      prefixes: uniq(prefixes),
      match: MATCHES.includes(d.match) ? d.match : 'more',
      originAsns: origin.value,
      pathAsns: path.value,
      peers: uniq(peers),
      peerAsns: uniqSorted(peerAsns),
      routers: uniq(routers),
      // Every kind selected means the same as none selected: no restriction.
      kinds: kinds.length === ROUTE_KINDS.length ? [] : kinds,
    },
  };
}

export function filterToDraft(f: Filter): Draft {
  return {
    prefix: f.prefixes.join(', '),
    match: f.match,
    origin: f.originAsns.join(', '),
    path: f.pathAsns.join(', '),
    peer: [...f.peers, ...f.peerAsns.map((a) => `AS${a}`)].join(', '),
    router: f.routers.join(', '),
    kinds: f.kinds.length === 0 ? [...ROUTE_KINDS] : [...f.kinds],
  };
}

export function isEmptyFilter(f: Filter): boolean {
  return (
    f.prefixes.length +
      f.originAsns.length +
      f.pathAsns.length +
      f.peers.length +
      f.peerAsns.length +
      f.routers.length +
      f.kinds.length ===
    0
  );
}

export function filtersEqual(a: Filter, b: Filter): boolean {
  return filterToQuery(a) === filterToQuery(b);
}

/**
 * Filter → URL query (no leading "?"): prefix, match, origin, path, peer, router, kinds.
 * Lists are comma-separated; empty fields and the default match are left out.
 */
export function filterToQuery(f: Filter): string {
  const q = new URLSearchParams();
  if (f.prefixes.length) {
    q.set('prefix', f.prefixes.join(','));
    if (f.match !== 'more') q.set('match', f.match);
  }
  if (f.originAsns.length) q.set('origin', f.originAsns.join(','));
  if (f.pathAsns.length) q.set('path', f.pathAsns.join(','));
  const peer = [...f.peers, ...f.peerAsns.map((a) => `AS${a}`)];
  if (peer.length) q.set('peer', peer.join(','));
  if (f.routers.length) q.set('router', f.routers.join(','));
  if (f.kinds.length) q.set('kinds', f.kinds.join(','));
  // Keep commas, colons and slashes readable in the address bar.
  return q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
}

/** URL query → draft (as if typed) → validated filter. Invalid fields are reported and left out. */
export function queryToFilter(search: string): { filter: Filter; draft: Draft; errors: DraftErrors } {
  const q = new URLSearchParams(search);
  const match = q.get('match') as PrefixMatch | null;
  const kinds = splitList(q.get('kinds') ?? '') as FilterKind[];
  const draft: Draft = {
    prefix: q.get('prefix') ?? '',
    match: match && MATCHES.includes(match) ? match : 'more',
    origin: q.get('origin') ?? '',
    path: q.get('path') ?? '',
    peer: q.get('peer') ?? '',
    router: q.get('router') ?? '',
    kinds: kinds.length ? kinds : [...ROUTE_KINDS],
  };
  const { filter, errors } = validateDraft(draft);
  if (filter) return { filter, draft: filterToDraft(filter), errors };
  // Keep the valid fields: validate once more with the bad ones blanked.
  const cleaned: Draft = { ...draft };
  for (const k of Object.keys(errors) as DraftField[]) {
    if (k === 'kinds') cleaned.kinds = [...ROUTE_KINDS];
    else cleaned[k] = '';
  }
  return { filter: validateDraft(cleaned).filter ?? EMPTY_FILTER, draft, errors };
}

/**
 * Filter → API filter. Peer up/down events are always requested (the peers table needs them);
 * the route kinds are narrowed as chosen.
 */
export function toApiFilter(f: Filter): ApiFilter {
  const api: ApiFilter = {};
  if (f.prefixes.length) api.prefixes = f.prefixes.map((prefix) => ({ prefix, match: f.match }));
  if (f.originAsns.length) api.origin_asns = f.originAsns;
  if (f.pathAsns.length) api.path_asns = f.pathAsns;
  if (f.peerAsns.length) api.peer_asns = f.peerAsns;
  if (f.peers.length) api.peers = f.peers;
  if (f.routers.length) api.routers = f.routers;
  if (f.kinds.length) {
    const kinds = f.kinds.filter((k) => k !== 'peer');
    api.kinds = [...kinds, 'peer'];
  }
  return api;
}

/** Whether route events are wanted at all (a filter of only "peer" kind wants none). */
export function wantsRoutes(f: Filter): boolean {
  return f.kinds.length === 0 || f.kinds.some((k) => k !== 'peer');
}
