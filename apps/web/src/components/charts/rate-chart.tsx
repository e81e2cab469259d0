import { scaleSymlog } from 'd3-scale';
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatCount } from '../../lib/format.ts';
import type { SeriesPoint } from '../../lib/rate-series.ts';

export interface RateChartProps {
  data: SeriesPoint[];
  /** The time axis: [from, to] in seconds, with fixed ticks, so it does not jump between redraws. */
  from: number;
  to: number;
  ticks: number[];
  /** log (symmetric log, so zero is fine) keeps everyday churn readable next to a table-dump spike. */
  scale?: 'linear' | 'log';
}

/** Log-scale axis: 0, 1, 10, … up to the first power of ten at or above the data. */
function logAxis(data: RateChartProps['data']): { domain: [number, number]; ticks: number[] } {
  let max = 1;
  for (const p of data) max = Math.max(max, p.a ?? 0, p.w ?? 0);
  const top = 10 ** Math.ceil(Math.log10(max));
  const ticks = [0];
  for (let t = 1; t <= top; t *= 10) ticks.push(t);
  return { domain: [0, top], ticks };
}

const tooltipValue = (v: unknown, name: unknown) =>
  [`${formatCount(Number(v))}/s`, String(name)] as [string, string];

/** Announcements and withdrawals per second; animation off, redrawn only when `data` changes. */
export const RateChart = memo(function RateChart({
  data,
  from,
  to,
  ticks,
  scale = 'linear',
}: RateChartProps) {
  const log = scale === 'log' ? logAxis(data) : null;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          domain={[from, to]}
          ticks={ticks}
          allowDataOverflow
          tickFormatter={(t: number) => formatClock(t).slice(0, 5)}
          stroke="var(--border)"
          tick={{ fill: 'var(--muted)', fontSize: 11 }}
        />
        <YAxis
          scale={log ? scaleSymlog() : 'linear'}
          ticks={log?.ticks}
          domain={log ? log.domain : [0, 'auto']}
          width={52}
          tickFormatter={(v: number) => formatCount(v)}
          stroke="var(--border)"
          allowDecimals={false}
        />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => formatClock(Number(t))}
          formatter={tooltipValue}
          contentStyle={{
            color: 'var(--text)',
            background: 'var(--panel)',
            borderColor: 'var(--border)',
            borderRadius: 6,
          }}
        />
        <Legend verticalAlign="top" height={24} iconType="plainline" />
        <Line
          name="announcements"
          dataKey="a"
          stroke="var(--announce)"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
        <Line
          name="withdrawals"
          dataKey="w"
          stroke="var(--withdraw)"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
});
