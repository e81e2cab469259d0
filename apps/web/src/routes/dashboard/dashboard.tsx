import { useStore } from '@nanostores/react';
import { StateMessage } from '../../components/ui/state-message.tsx';
import { retryNow } from '../../lib/socket.ts';
import { $connection, $loaded } from '../../lib/stores.ts';
import { FilterBar } from './filter-bar.tsx';
import { Header } from './header.tsx';
import { LiveFeed } from './live-feed.tsx';
import { PeerTimeline } from './peer-timeline.tsx';
import { PeersTable } from './peers-table.tsx';
import { RatesPanel } from './rates-panel.tsx';
import { TopTalkers } from './top-talkers.tsx';

/** The one page: header, filter, rates and top talkers, live feed, peers and their events. */
export function Dashboard() {
  const conn = useStore($connection);
  const loaded = useStore($loaded);
  return (
    <div className="app">
      <Header />
      {!loaded && conn.state === 'offline' ? (
        <div className="panel" style={{ marginTop: 16 }}>
          <StateMessage kind="error" testId="connect-error">
            <strong>Cannot reach the bmpwatch server.</strong>
            <span>{conn.lastError ?? 'The WebSocket at /api/ws did not answer.'} Retrying with backoff.</span>
            <button type="button" className="btn" onClick={retryNow}>
              Retry now
            </button>
          </StateMessage>
        </div>
      ) : null}
      <FilterBar />
      <main className="grid">
        <RatesPanel />
        <TopTalkers />
        <LiveFeed />
        <PeersTable />
        <PeerTimeline />
      </main>
    </div>
  );
}
