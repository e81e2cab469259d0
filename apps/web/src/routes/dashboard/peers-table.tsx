import { useStore } from '@nanostores/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, useState } from 'react';
import { Sparkline } from '../../components/charts/sparkline.tsx';
import { Panel } from '../../components/ui/panel.tsx';
import { StateBadge } from '../../components/ui/state-badge.tsx';
import { StateMessage } from '../../components/ui/state-message.tsx';
import type { Peer } from '../../lib/api-types.ts';
import { formatCount, formatDateTime, formatDuration, formatSince, routerLabel } from '../../lib/format.ts';
import type { PeerTableRow, Sort, SortKey } from '../../lib/peer-rows.ts';
import { $loaded, $rates, rateHistory } from '../../lib/stores.ts';
import { refineFilter, setView } from '../../lib/url-state.ts';
import { peerRate, usePeerRows } from './use-peer-rows.ts';

const ROW_HEIGHT = 33;
const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: 'address', label: 'Peer' },
  { key: 'asn', label: 'ASN', num: true },
  { key: 'state', label: 'State' },
  { key: 'since', label: 'Since' },
  { key: 'uptime', label: 'Uptime', num: true },
  { key: 'reason', label: 'Last down reason' },
  { key: 'rate', label: 'Updates/s (60 s)', num: true },
  { key: 'adj_rib_in', label: 'Adj-RIB-In', num: true },
  { key: 'flaps', label: 'Flaps', num: true },
];

const PeerRow = memo(function PeerRow({ peer, now }: { peer: Peer; now: number }) {
  const spark = rateHistory.peers.get(peer.key)?.totals(now, 60) ?? [];
  return (
    <tr data-testid="peer-row" data-peer-key={peer.key} data-state={peer.state}>
      <td className="mono">
        <button
          type="button"
          className="linkish"
          title={`Filter the feed by peer ${peer.address}`}
          onClick={() => refineFilter({ peers: [peer.address] })}
        >
          {peer.address}
        </button>
      </td>
      <td className="num mono">{peer.asn}</td>
      <td>
        <StateBadge state={peer.state} testId="peer-state" />
      </td>
      <td className="mono" title={peer.since ? formatDateTime(peer.since) : undefined}>
        {peer.since ? formatSince(peer.since, now) : '—'}
      </td>
      <td className="num" data-testid="peer-uptime">
        {peer.state === 'up' && peer.since ? formatDuration(now - peer.since) : '—'}
      </td>
      <td className="reason" title={peer.last_down_reason ?? undefined} data-testid="peer-reason">
        {peer.last_down_reason ?? '—'}
      </td>
      <td className="num">
        <button
          type="button"
          className="linkish"
          title={`Show ${peer.address} in the rates chart`}
          onClick={() => setView({ chart: { kind: 'peer', key: peer.key } })}
          style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}
        >
          <Sparkline values={spark} label={`updates per second of ${peer.address}, last minute`} />
          <span className="mono">{formatCount(peerRate(peer.key, now))}</span>
        </button>
      </td>
      <td className="num mono">{formatCount(peer.adj_rib_in)}</td>
      <td className="num mono">{peer.flaps}</td>
    </tr>
  );
});

function RouterRow({ row }: { row: Extract<PeerTableRow, { kind: 'router' }> }) {
  const r = row.router;
  return (
    <tr className="group" data-testid="router-row" data-router-id={row.id}>
      <td colSpan={COLUMNS.length}>
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          <button
            type="button"
            className="linkish"
            title={`Show router ${row.id} in the rates chart`}
            onClick={() => setView({ chart: { kind: 'router', id: row.id } })}
          >
            {routerLabel(r, row.id)}
          </button>
          {r && <StateBadge state={r.state} />}
          <span className="muted">
            {r?.source ?? ''} · {row.shown === row.total ? row.total : `${row.shown} of ${row.total}`} peers
            {r?.collector ? ` · collector ${r.collector}` : ''}
            {r?.descr ? ` · ${r.descr}` : ''}
          </span>
        </span>
      </td>
    </tr>
  );
}

/** Routers and their peers: sortable, searchable, virtualised. */
export function PeersTable() {
  const [sort, setSort] = useState<Sort>({ key: 'address', dir: 'asc' });
  const [search, setSearch] = useState('');
  const { rows, peerCount } = usePeerRows(sort, search);
  const rates = useStore($rates);
  const loaded = useStore($loaded);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i].key,
  });
  const now = rates.t > 0 ? Math.floor(rates.t) : Math.floor(Date.now() / 1000);
  const items = virtualizer.getVirtualItems();
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const up = rows.filter((r) => r.kind === 'peer' && r.peer.state === 'up').length;

  const toggleSort = (key: SortKey) => {
    const defaultDir = key === 'address' || key === 'state' ? 'asc' : 'desc';
    setSort((s) =>
      s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: defaultDir },
    );
  };

  return (
    <Panel
      id="peers"
      title="Peers"
      sub={`${peerCount} peers · ${up} shown up`}
      testId="peers-table"
      actions={
        <>
          <label htmlFor="peer-search" className="visually-hidden">
            Search peers
          </label>
          <input
            id="peer-search"
            type="search"
            placeholder="Search address, ASN, router, reason"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="peer-search"
          />
        </>
      }
    >
      {!loaded ? (
        <StateMessage kind="loading">Waiting for the server…</StateMessage>
      ) : rows.length === 0 ? (
        <StateMessage kind="empty" testId="peers-empty">
          {search ? 'No peer matches the search.' : 'No routers or peers yet.'}
        </StateMessage>
      ) : (
        <div className="table-scroll" ref={scrollRef}>
          <table className="data">
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = sort.key === c.key;
                  return (
                    <th
                      key={c.key}
                      className={c.num ? 'num' : undefined}
                      aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                      scope="col"
                    >
                      <button type="button" onClick={() => toggleSort(c.key)}>
                        {c.label}
                        {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && (
                <tr className="spacer-row">
                  <td colSpan={COLUMNS.length} style={{ height: padTop, padding: 0, border: 0 }} />
                </tr>
              )}
              {items.map((item) => {
                const row = rows[item.index];
                return row.kind === 'router' ? (
                  <RouterRow key={row.key} row={row} />
                ) : (
                  <PeerRow key={row.key} peer={row.peer} now={now} />
                );
              })}
              {padBottom > 0 && (
                <tr className="spacer-row">
                  <td colSpan={COLUMNS.length} style={{ height: padBottom, padding: 0, border: 0 }} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
