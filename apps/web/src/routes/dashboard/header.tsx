import { useStore } from '@nanostores/react';
import { formatBytes, formatCount } from '../../lib/format.ts';
import { $connection, $rates } from '../../lib/stores.ts';
import { ConnectionState } from './connection-state.tsx';
import { SourcesList } from './sources-list.tsx';

function Stat({
  label,
  value,
  testId,
  raw,
}: {
  label: string;
  value: string;
  testId?: string;
  raw?: number;
}) {
  return (
    <div className="stat">
      <span className="label">{label}</span>
      <span className="value" data-testid={testId} data-value={raw}>
        {value}
      </span>
    </div>
  );
}

/** Brand, connection state, ingest rate and sources. */
export function Header() {
  const rates = useStore($rates);
  const conn = useStore($connection);
  const ingest = rates.ingest;
  return (
    <header className="header">
      <h1 className="brand">bmpwatch{conn.server ? <small>server {conn.server.version}</small> : null}</h1>
      <ConnectionState />
      <Stat
        label="Ingest"
        value={ingest ? `${formatCount(ingest.messages)} msg/s` : '—'}
        testId="ingest-rate"
      />
      <Stat label="Ingest bytes" value={ingest ? `${formatBytes(ingest.bytes)}/s` : '—'} />
      <Stat
        label="Announce / withdraw"
        value={`${formatCount(rates.global.a)} / ${formatCount(rates.global.w)} /s`}
        testId="route-rate"
        raw={rates.global.a + rates.global.w}
      />
      <div className="spacer" />
      <SourcesList />
    </header>
  );
}
