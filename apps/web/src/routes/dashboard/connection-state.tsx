import { useStore } from '@nanostores/react';
import { useEffect, useState } from 'react';
import { retryNow } from '../../lib/socket.ts';
import { $connection } from '../../lib/stores.ts';

const LABEL = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
} as const;

/** live / reconnecting / offline, with the retry countdown and a "retry now" button. */
export function ConnectionState() {
  const conn = useStore($connection);
  const [now, setNow] = useState(Date.now());
  const waiting = conn.retryAt !== null && conn.state !== 'live';
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [waiting]);
  const secs = conn.retryAt ? Math.max(0, Math.ceil((conn.retryAt - now) / 1000)) : 0;
  return (
    <div className="conn" role="status" aria-live="polite">
      <span className={`dot ${conn.state}`} aria-hidden="true" />
      <span data-testid="connection-state" data-state={conn.state}>
        {LABEL[conn.state]}
      </span>
      {waiting && (
        <>
          <span className="muted" title={conn.lastError ?? undefined}>
            {secs > 0 ? `retry in ${secs}s` : 'retrying…'}
          </span>
          <button type="button" className="btn" onClick={retryNow}>
            Retry now
          </button>
        </>
      )}
    </div>
  );
}
