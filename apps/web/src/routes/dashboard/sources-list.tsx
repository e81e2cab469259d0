import { useStore } from '@nanostores/react';
import { formatCount } from '../../lib/format.ts';
import { $routers, $sources } from '../../lib/stores.ts';

/** Sources (Kafka, BMP listener, demo, replay) and the routers feeding them, with their status. */
export function SourcesList() {
  const sources = useStore($sources);
  const routers = useStore($routers);
  const up = [...routers.values()].filter((r) => r.state === 'up').length;
  return (
    <ul className="sources" aria-label="Sources" data-testid="sources">
      {sources.map((s) => (
        <li key={s.id} data-testid="source" data-status={s.status} title={s.detail ?? undefined}>
          <span className={`dot ${s.status}`} aria-hidden="true" />
          <span>
            {s.id}
            {s.failure ? (
              <strong data-testid="source-failure"> · cannot read ({s.failure.kind})</strong>
            ) : null}
            {s.detail ? <span className="muted"> · {s.detail}</span> : null}
            {s.errors ? <span className="muted"> · {formatCount(s.errors)} errors</span> : null}
          </span>
          <span className="visually-hidden">status {s.status}</span>
        </li>
      ))}
      <li data-testid="routers-summary">
        <span
          className={`dot ${routers.size === 0 ? '' : up === routers.size ? 'ok' : 'error'}`}
          aria-hidden="true"
        />
        <span>
          BMP routers: {up}/{routers.size} up
        </span>
      </li>
    </ul>
  );
}
