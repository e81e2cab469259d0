import { useStore } from '@nanostores/react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { Panel } from '../../components/ui/panel.tsx';
import { StateMessage } from '../../components/ui/state-message.tsx';
import { isEmptyFilter } from '../../lib/filter.ts';
import { formatCount } from '../../lib/format.ts';
import { setFeedPaused } from '../../lib/socket.ts';
import { $feed, $filter, $loaded, $routers, FEED_CAP } from '../../lib/stores.ts';
import { FeedRow } from './feed-row.tsx';

const ROW_HEIGHT = 28;
const COLUMNS = ['Time', 'Router', 'Peer', 'Event', 'Prefix', 'AS path', 'Origin', 'Next hop', 'Communities'];

/** Matching route changes, newest first: virtualised, capped at FEED_CAP rows, pausable. */
export function LiveFeed() {
  const feed = useStore($feed);
  const loaded = useStore($loaded);
  const filter = useStore($filter);
  const routers = useStore($routers);
  const scrollRef = useRef<HTMLDivElement>(null);
  const view = feed.view;
  const virtualizer = useVirtualizer({
    count: view.size,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => view.newest(i)?.seq ?? i,
  });

  const sub = [
    `${formatCount(view.size)} of max ${formatCount(FEED_CAP)} shown`,
    `${formatCount(feed.received)} received`,
    feed.paused ? `${formatCount(feed.sincePause)} new while paused` : null,
    feed.dropped ? `${formatCount(feed.dropped)} dropped by the server (slow client)` : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <Panel
      id="feed"
      title="Live feed"
      sub={sub}
      testId="live-feed"
      className="wide"
      actions={
        <button
          type="button"
          className="btn"
          aria-pressed={feed.paused}
          onClick={() => setFeedPaused(!feed.paused)}
          data-testid="feed-pause"
        >
          {feed.paused ? 'Resume' : 'Pause'}
        </button>
      }
    >
      <div
        ref={scrollRef}
        className="feed-scroll"
        data-paused={feed.paused ? 'true' : 'false'}
        data-received={feed.received}
        data-dropped={feed.dropped}
      >
        <div className="feed-head" aria-hidden="true">
          {COLUMNS.map((c) => (
            <span key={c}>{c}</span>
          ))}
        </div>
        {view.size === 0 ? (
          !loaded ? (
            <StateMessage kind="loading">Connecting to the server…</StateMessage>
          ) : feed.pending ? (
            <StateMessage kind="loading">Applying the filter…</StateMessage>
          ) : (
            <StateMessage kind="empty" testId="feed-empty">
              {isEmptyFilter(filter)
                ? 'No route changes yet.'
                : 'No route changes match the filter yet; they appear here as they arrive.'}
            </StateMessage>
          )
        ) : (
          <ol
            className="feed-list"
            aria-label="Route changes, newest first"
            style={{ height: virtualizer.getTotalSize() }}
          >
            {virtualizer.getVirtualItems().map((item) => {
              const row = view.newest(item.index);
              if (!row) return null;
              return (
                <FeedRow
                  key={item.key}
                  row={row}
                  top={item.start}
                  routerName={routers.get(row.router)?.name ?? row.router}
                />
              );
            })}
          </ol>
        )}
      </div>
    </Panel>
  );
}
