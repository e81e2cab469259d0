import { useStore } from '@nanostores/react';
import { useId, useState } from 'react';
import { RateChart } from '../../components/charts/rate-chart.tsx';
import { Panel } from '../../components/ui/panel.tsx';
import { Segmented } from '../../components/ui/segmented.tsx';
import { StateMessage } from '../../components/ui/state-message.tsx';
import { useVisible } from '../../components/use-visible.ts';
import { formatCount, routerLabel } from '../../lib/format.ts';
import { $loaded, $peers, $routers, $view, type ChartTarget } from '../../lib/stores.ts';
import { setView } from '../../lib/url-state.ts';
import { chartTargetToString } from '../../lib/view-query.ts';
import { useRateData } from './use-rate-data.ts';

const SCALES = [
  { value: 'linear', label: 'linear' },
  { value: 'log', label: 'log' },
] as const;

const WINDOWS = [
  { value: '5', label: '5 min' },
  { value: '15', label: '15 min' },
] as const;

function parseTarget(s: string): ChartTarget {
  if (s.startsWith('router:')) return { kind: 'router', id: s.slice(7) };
  if (s.startsWith('peer:')) return { kind: 'peer', key: s.slice(5) };
  return { kind: 'global' };
}

function TargetSelect({ value }: { value: ChartTarget }) {
  const routers = useStore($routers);
  const peers = useStore($peers);
  const id = useId();
  const current = chartTargetToString(value);
  const peerList = [...peers.values()].sort((a, b) => a.key.localeCompare(b.key));
  const known =
    value.kind === 'global' || (value.kind === 'router' ? routers.has(value.id) : peers.has(value.key));
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Rates for
      </label>
      <select
        id={id}
        value={current}
        onChange={(e) => setView({ chart: parseTarget(e.target.value) })}
        data-testid="rate-target"
      >
        <option value="global">All routers</option>
        {!known && <option value={current}>{current}</option>}
        {routers.size > 0 && (
          <optgroup label="Router">
            {[...routers.values()].map((r) => (
              <option key={r.id} value={`router:${r.id}`}>
                {routerLabel(r, r.id)}
              </option>
            ))}
          </optgroup>
        )}
        {peerList.length > 0 && (
          <optgroup label="Peer">
            {peerList.map((p) => (
              <option key={p.key} value={`peer:${p.key}`}>
                {`${p.address} AS${p.asn} @ ${routers.get(p.router)?.name ?? p.router}`}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </>
  );
}

/** Announcements and withdrawals per second, global or for one router or peer. */
export function RatesPanel() {
  const view = useStore($view);
  const loaded = useStore($loaded);
  const [ref, visible] = useVisible<HTMLDivElement>();
  const data = useRateData(view.chart, view.windowMin, visible);
  const [scale, setScale] = useState<'linear' | 'log'>('linear');
  return (
    <Panel
      id="rates"
      title="Update rates"
      className="fill"
      sub={
        data.latest ? `${formatCount(data.latest.a)} ann/s · ${formatCount(data.latest.w)} wdr/s` : undefined
      }
      actions={
        <>
          <TargetSelect value={view.chart} />
          <Segmented label="Scale" value={scale} options={SCALES} onChange={setScale} testId="rate-scale" />
          <Segmented
            label="Time window"
            value={String(view.windowMin) as '5' | '15'}
            options={WINDOWS}
            onChange={(v) => setView({ windowMin: v === '15' ? 15 : 5 })}
            testId="rate-window"
          />
        </>
      }
    >
      <div
        ref={ref}
        className="chart-box"
        data-testid="rate-chart"
        data-has-data={data.hasData ? 'true' : 'false'}
        data-points={data.points.length}
      >
        {!loaded ? (
          <StateMessage kind="loading">Waiting for the server…</StateMessage>
        ) : data.points.length === 0 ? (
          <StateMessage kind="empty">No rate data yet.</StateMessage>
        ) : (
          <RateChart data={data.points} from={data.from} to={data.to} ticks={data.ticks} scale={scale} />
        )}
      </div>
    </Panel>
  );
}
