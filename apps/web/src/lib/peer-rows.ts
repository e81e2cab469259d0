// The peers table's rows: peers grouped under their routers, searched and sorted within groups.
import type { Peer, Router } from './api-types.ts';

export type SortKey =
  | 'address'
  | 'asn'
  | 'state'
  | 'since'
  | 'uptime'
  | 'reason'
  | 'rate'
  | 'adj_rib_in'
  | 'flaps';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export type PeerTableRow =
  | { kind: 'router'; key: string; id: string; router: Router | null; shown: number; total: number }
  | { kind: 'peer'; key: string; peer: Peer };

const STATE_ORDER: Record<string, number> = { down: 0, unknown: 1, up: 2 };

function compare(a: Peer, b: Peer, key: SortKey, rate: (p: Peer) => number): number {
  switch (key) {
    case 'address':
      return a.address.localeCompare(b.address, undefined, { numeric: true });
    case 'asn':
      return a.asn - b.asn;
    case 'state':
      return (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3);
    case 'since':
      return a.since - b.since;
    case 'uptime':
      // Up peers by how long they have been up; peers not up count as zero uptime.
      return (a.state === 'up' ? 1e12 - a.since : -1) - (b.state === 'up' ? 1e12 - b.since : -1);
    case 'reason':
      return (a.last_down_reason ?? '').localeCompare(b.last_down_reason ?? '');
    case 'rate':
      return rate(a) - rate(b);
    case 'adj_rib_in':
      return (a.adj_rib_in ?? -1) - (b.adj_rib_in ?? -1);
    case 'flaps':
      return a.flaps - b.flaps;
  }
}

export function matchesSearch(p: Peer, router: Router | undefined, q: string): boolean {
  if (q === '') return true;
  const hay = [
    p.address,
    String(p.asn),
    `as${p.asn}`,
    p.state,
    p.last_down_reason ?? '',
    p.router,
    router?.name ?? '',
    p.bgp_id ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

/**
 * Router header rows each followed by its matching peers, sorted. Routers appear in name order;
 * a router with no matching peer is left out while searching.
 */
export function buildPeerRows(
  peers: Iterable<Peer>,
  routers: ReadonlyMap<string, Router>,
  sort: Sort,
  search: string,
  rate: (p: Peer) => number = () => 0,
): PeerTableRow[] {
  const groups = new Map<string, { all: number; shown: Peer[] }>();
  for (const r of routers.keys()) groups.set(r, { all: 0, shown: [] });
  for (const p of peers) {
    let g = groups.get(p.router);
    if (!g) {
      g = { all: 0, shown: [] };
      groups.set(p.router, g);
    }
    g.all++;
    if (matchesSearch(p, routers.get(p.router), search.trim())) g.shown.push(p);
  }
  const sign = sort.dir === 'asc' ? 1 : -1;
  const name = (id: string) => routers.get(id)?.name ?? id;
  const ids = [...groups.keys()].sort((a, b) => name(a).localeCompare(name(b), undefined, { numeric: true }));
  const rows: PeerTableRow[] = [];
  for (const id of ids) {
    const g = groups.get(id)!;
    if (search.trim() !== '' && g.shown.length === 0) continue;
    g.shown.sort((a, b) => sign * compare(a, b, sort.key, rate) || a.address.localeCompare(b.address));
    rows.push({
      kind: 'router',
      key: `router:${id}`,
      id,
      router: routers.get(id) ?? null,
      shown: g.shown.length,
      total: g.all,
    });
    for (const p of g.shown) rows.push({ kind: 'peer', key: p.key, peer: p });
  }
  return rows;
}
