import { useStore } from '@nanostores/react';
import { Panel } from '../../components/ui/panel.tsx';
import { StateMessage } from '../../components/ui/state-message.tsx';
import type { Filter } from '../../lib/filter.ts';
import { formatCount } from '../../lib/format.ts';
import { $loaded, $routers, $talkers } from '../../lib/stores.ts';
import { refineFilter } from '../../lib/url-state.ts';
import type { TopEntry } from '../../lib/window-counter.ts';

function TalkerList({
  title,
  entries,
  label,
  onPick,
  testId,
}: {
  title: string;
  entries: TopEntry[];
  label: (key: string) => string;
  onPick: (key: string) => Partial<Filter>;
  testId: string;
}) {
  const max = entries[0]?.count ?? 1;
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted">—</p>
      ) : (
        <ol>
          {entries.map((e) => (
            <li key={e.key}>
              <span className="bar" style={{ width: `${(e.count / max) * 100}%` }} aria-hidden="true" />
              <button
                type="button"
                className="linkish mono"
                title={`Filter by ${label(e.key)}`}
                onClick={() => refineFilter(onPick(e.key))}
              >
                {label(e.key)}
              </button>
              <span className="mono">{formatCount(e.count)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Busiest prefixes, peers and origin ASNs among the matching route changes in the window. */
export function TopTalkers() {
  const t = useStore($talkers);
  const loaded = useStore($loaded);
  const routers = useStore($routers);
  const peerLabel = (key: string) => {
    const [router, peer] = key.split('|');
    return `${peer} @ ${routers.get(router)?.name ?? router}`;
  };
  return (
    <Panel
      id="talkers"
      title="Top talkers"
      sub={`${formatCount(t.count)} matching changes, last ${Math.round(t.windowSec / 60)} min`}
      testId="top-talkers"
    >
      {!loaded ? (
        <StateMessage kind="loading">Waiting for the server…</StateMessage>
      ) : t.count === 0 ? (
        <StateMessage kind="empty">No matching route changes in the window yet.</StateMessage>
      ) : (
        <div className="talkers">
          <TalkerList
            title="Prefixes"
            entries={t.prefixes}
            label={(k) => k}
            onPick={(k) => ({ prefixes: [k], match: 'exact' })}
            testId="talkers-prefixes"
          />
          <TalkerList
            title="Peers"
            entries={t.peers}
            label={peerLabel}
            onPick={(k) => ({ peers: [k.split('|')[1]] })}
            testId="talkers-peers"
          />
          <TalkerList
            title="Origin ASNs"
            entries={t.origins}
            label={(k) => `AS${k}`}
            onPick={(k) => ({ originAsns: [Number(k)] })}
            testId="talkers-origins"
          />
        </div>
      )}
    </Panel>
  );
}
