import { memo } from 'react';
import { formatClock } from '../../lib/format.ts';
import type { FeedRow as Row } from '../../lib/stores.ts';
import { refineFilter } from '../../lib/url-state.ts';

function PathCell({ path }: { path: Row['path'] }) {
  if (!path) return <span className="path" />;
  return (
    <span className="path mono">
      {path.map((x, i) =>
        Array.isArray(x) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: path positions are the identity here.
          <span key={i}>{`{${x.join(' ')}} `}</span>
        ) : (
          <button
            // biome-ignore lint/suspicious/noArrayIndexKey: path positions are the identity here.
            key={i}
            type="button"
            className="linkish"
            title={`Filter: AS${x} in path`}
            onClick={() => refineFilter({ pathAsns: [x] })}
          >
            {x}
          </button>
        ),
      )}
    </span>
  );
}

/** One route change in the live feed; prefix, peer, router and ASNs are buttons that filter by them. */
export const FeedRow = memo(function FeedRow({
  row,
  top,
  routerName,
}: {
  row: Row;
  top: number;
  routerName: string;
}) {
  const announce = row.kind === 'announce';
  const communities = [...(row.communities ?? []), ...(row.large_communities ?? [])].join(' ');
  return (
    <li
      className="feed-row"
      style={{ transform: `translateY(${top}px)` }}
      data-testid="feed-row"
      data-kind={row.kind}
      data-origin-asn={row.origin_asn ?? ''}
      data-prefix={row.prefix}
    >
      <span className="mono">{formatClock(row.ts)}</span>
      <span>
        <button
          type="button"
          className="linkish"
          title={`Filter: router ${row.router}`}
          onClick={() => refineFilter({ routers: [row.router] })}
        >
          {routerName}
        </button>
      </span>
      <span className="mono">
        <button
          type="button"
          className="linkish"
          title={`Filter: peer ${row.peer}`}
          onClick={() => refineFilter({ peers: [row.peer] })}
        >
          {row.peer}
        </button>
        <span className="muted"> AS{row.peer_asn}</span>
      </span>
      <span className={announce ? 'kind-a' : 'kind-w'}>{announce ? 'announce' : 'withdraw'}</span>
      <span className="mono">
        <button
          type="button"
          className="linkish"
          title={`Filter: prefix ${row.prefix}`}
          onClick={() => refineFilter({ prefixes: [row.prefix], match: 'exact' })}
          data-testid="feed-prefix"
        >
          {row.prefix}
        </button>
      </span>
      <span>
        <PathCell path={row.path} />
      </span>
      <span className="mono">
        {row.origin_asn !== null && row.origin_asn !== undefined ? (
          <button
            type="button"
            className="linkish"
            title={`Filter: origin AS${row.origin_asn}`}
            onClick={() => refineFilter({ originAsns: [row.origin_asn as number] })}
            data-testid="feed-origin"
          >
            {row.origin_asn}
          </button>
        ) : null}
      </span>
      <span className="mono">{row.next_hop ?? ''}</span>
      <span className="mono muted" title={communities}>
        {communities}
      </span>
    </li>
  );
});
