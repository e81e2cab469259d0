import type { Router } from './api-types.ts';

/** How a router is named on the page: "sysName (id)", with its OpenBMP group when it has one. */
export function routerLabel(r: Pick<Router, 'name' | 'group'> | null | undefined, id: string): string {
  const base = r?.name ? `${r.name} (${id})` : id;
  return r?.group ? `${base} · group ${r.group}` : base;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Seconds since the epoch → local "HH:MM:SS". */
export function formatClock(ts: number): string {
  const d = new Date(ts * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Seconds since the epoch → local "YYYY-MM-DD HH:MM:SS". */
export function formatDateTime(ts: number): string {
  const d = new Date(ts * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ts)}`;
}

/** Within the last 24 hours: "HH:MM:SS"; older: "YYYY-MM-DD". */
export function formatSince(ts: number, now: number): string {
  return now - ts < 86_400 ? formatClock(ts) : formatDateTime(ts).slice(0, 10);
}

/** A duration in seconds → "45s", "12m 5s", "3h 2m", "4d 3h". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  const s = Math.floor(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** 950 → "950", 12345 → "12.3k", 2500000 → "2.5M". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n * 10) / 10);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 2 : 1).replace(/\.?0+$/, '')}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : 1).replace(/\.?0+$/, '')}M`;
  return `${(n / 1e9).toFixed(1).replace(/\.0$/, '')}G`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
