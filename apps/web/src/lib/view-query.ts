// View settings (rate window, chart target) ⇄ URL query parameters `win` and `chart`.
import type { ChartTarget, ViewState } from './stores.ts';

const _DEFAULT_VIEW: ViewState = { windowMin: 5, chart: { kind: 'global' } };

export function viewFromQuery(search: string): ViewState {
  const q = new URLSearchParams(search);
  const windowMin = q.get('win') === '15' ? 15 : 5;
  const chart = q.get('chart') ?? '';
  let target: ChartTarget = { kind: 'global' };
  if (chart.startsWith('router:') && chart.length > 7) target = { kind: 'router', id: chart.slice(7) };
  else if (chart.startsWith('peer:') && chart.length > 5) target = { kind: 'peer', key: chart.slice(5) };
  return { windowMin, chart: target };
}

export function chartTargetToString(t: ChartTarget): string {
  return t.kind === 'global' ? 'global' : t.kind === 'router' ? `router:${t.id}` : `peer:${t.key}`;
}

/** Query parameters for the view, defaults left out. */
export function viewToParams(v: ViewState): [string, string][] {
  const out: [string, string][] = [];
  if (v.windowMin !== 5) out.push(['win', String(v.windowMin)]);
  if (v.chart.kind !== 'global') out.push(['chart', chartTargetToString(v.chart)]);
  return out;
}
