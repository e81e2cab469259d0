import { useStore } from '@nanostores/react';
import { Panel } from '../../components/ui/panel.tsx';
import { StateMessage } from '../../components/ui/state-message.tsx';
import { formatClock, formatDateTime } from '../../lib/format.ts';
import { $loaded, $peerTimeline, $rates, $routers, $view, type TimelineEntry } from '../../lib/stores.ts';

const STATE_OF: Record<TimelineEntry['kind'], 'up' | 'down' | 'unknown'> = {
  peer_up: 'up',
  peer_down: 'down',
  peer_unknown: 'unknown',
};

/** Up/down marks over the chart's time window. */
function Strip({ entries, from, to }: { entries: TimelineEntry[]; from: number; to: number }) {
  const span = Math.max(1, to - from);
  return (
    <svg
      className="timeline-strip"
      viewBox="0 0 1000 26"
      preserveAspectRatio="none"
      role="img"
      aria-label={`${entries.length} peer events in the window`}
    >
      <line className="axis" x1="0" x2="1000" y1="13" y2="13" />
      {entries
        .filter((e) => e.ts >= from && e.ts <= to)
        .map((e) => (
          <rect
            key={e.seq}
            className={`ev-${STATE_OF[e.kind]}`}
            x={((e.ts - from) / span) * 1000 - 2}
            y={STATE_OF[e.kind] === 'up' ? 3 : 13}
            width="4"
            height="10"
          >
            <title>{`${formatClock(e.ts)} ${e.peer.address} ${STATE_OF[e.kind]}`}</title>
          </rect>
        ))}
    </svg>
  );
}

/** Peer up/down events with their reasons, newest first. */
export function PeerTimeline() {
  const entries = useStore($peerTimeline);
  const routers = useStore($routers);
  const loaded = useStore($loaded);
  const rates = useStore($rates);
  const view = useStore($view);
  const to = rates.t || Date.now() / 1000;
  return (
    <Panel
      id="timeline"
      title="Peer events"
      sub={`up / down, last ${view.windowMin} min on the strip`}
      testId="peer-timeline"
    >
      {!loaded ? (
        <StateMessage kind="loading">Waiting for the server…</StateMessage>
      ) : entries.length === 0 ? (
        <StateMessage kind="empty">No peer went up or down since the page opened.</StateMessage>
      ) : (
        <>
          <Strip entries={entries} from={to - view.windowMin * 60} to={to} />
          <ol className="timeline" aria-label="Peer events, newest first">
            {entries.map((e) => {
              const state = STATE_OF[e.kind];
              const r = routers.get(e.peer.router);
              return (
                <li key={e.seq} data-testid="peer-event" data-kind={e.kind} data-peer-key={e.peer.key}>
                  <time
                    className="mono"
                    dateTime={new Date(e.ts * 1000).toISOString()}
                    title={formatDateTime(e.ts)}
                  >
                    {formatClock(e.ts)}
                  </time>
                  <span className={`badge ${state}`}>{state}</span>
                  <span>
                    <span className="mono">{e.peer.address}</span> AS{e.peer.asn}{' '}
                    <span className="muted">@ {r?.name ?? e.peer.router}</span>
                    {e.fromSnapshot && <span className="muted"> (state at connect)</span>}
                  </span>
                  {e.reason && (
                    <span className="reason" data-testid="peer-event-reason">
                      {e.reason}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
    </Panel>
  );
}
