import { useStore } from '@nanostores/react';
import { useMemo, useRef } from 'react';
import type { SeriesPoint } from '../../lib/rate-series.ts';
import { $rates, type ChartTarget, rateHistory } from '../../lib/stores.ts';

export interface RateData {
  points: SeriesPoint[];
  from: number;
  to: number;
  ticks: number[];
  /** Any non-zero value in the window. */
  hasData: boolean;
  /** Announcements + withdrawals per second in the last tick. */
  latest: { a: number; w: number } | null;
}

/** Fixed tick positions: every `step` seconds aligned to the clock, so the axis never jitters. */
export function axisTicks(from: number, to: number, step: number): number[] {
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * The chart's series for a target over the last `windowMin` minutes. Recomputed once per rate tick
 * (about 1/s) and only while `visible`; otherwise the last result is kept.
 */
export function useRateData(target: ChartTarget, windowMin: number, visible: boolean): RateData {
  const rates = useStore($rates);
  const last = useRef<RateData | null>(null);
  const targetKey =
    target.kind === 'global' ? 'g' : target.kind === 'router' ? `r:${target.id}` : `p:${target.key}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: rates.version is the change signal for rateHistory.
  return useMemo(() => {
    if (!visible && last.current) return last.current;
    const to = rates.t > 0 ? Math.floor(rates.t) : Math.floor(Date.now() / 1000);
    const from = to - windowMin * 60;
    const global = rateHistory.global.range(from, to);
    let points = global;
    if (target.kind !== 'global') {
      const series =
        target.kind === 'router' ? rateHistory.routers.get(target.id) : rateHistory.peers.get(target.key);
      // Ticks leave out keys without activity: where the global tick exists, missing means zero.
      points = global.map((g) => {
        const v = series?.get(g.t);
        if (v) return { t: g.t, a: v.a, w: v.w };
        return g.a === null ? { t: g.t, a: null, w: null } : { t: g.t, a: 0, w: 0 };
      });
    }
    let hasData = false;
    for (const p of points) if ((p.a ?? 0) + (p.w ?? 0) > 0) hasData = true;
    const lastPoint = points.at(-1);
    const data: RateData = {
      points,
      from,
      to,
      ticks: axisTicks(from, to, windowMin === 5 ? 60 : 180),
      hasData,
      latest: lastPoint && lastPoint.a !== null ? { a: lastPoint.a, w: lastPoint.w ?? 0 } : null,
    };
    last.current = data;
    return data;
  }, [rates.version, rates.t, targetKey, windowMin, visible]);
}
