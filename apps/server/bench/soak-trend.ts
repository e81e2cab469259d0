/**
 * The soak run's judgement, as pure functions of its samples: is memory growing (least-squares slope of RSS
 * and heap over the second half, after warm-up; first fifth against last fifth), is the event loop slowing
 * down, and did the consumer keep up with the rate produced.
 */
import { availableParallelism } from 'node:os';

export interface SoakSample {
  /** Seconds since the start of the run. */
  t: number;
  rssMb: number;
  heapMb: number;
  eldP99Ms: number;
  eldMaxMs: number;
  inPerS: number;
  deliveredPerS: number;
  dropped: number;
  lag: number;
  load1: number;
}

/** Least-squares slope of y over x (units of y per unit of x); 0 for fewer than two points. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const mean = (v: number[]) => (v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length);
const median = (v: number[]) => {
  if (v.length === 0) return Number.NaN;
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Growth allowed over the second half: beyond this many MB a minute, memory is not flat. */
const MAX_SLOPE_MB_PER_MIN = 1;

export function soakVerdict(samples: SoakSample[], rate: number) {
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const first = samples.slice(0, fifth);
  const last = samples.slice(-fifth);
  const half = samples.slice(Math.floor(samples.length / 2));
  const minutes = half.map((s) => s.t / 60);
  const v = {
    rssFirstMb: mean(first.map((s) => s.rssMb)),
    rssLastMb: mean(last.map((s) => s.rssMb)),
    rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
    rssSlopeMbPerMin: slope(
      minutes,
      half.map((s) => s.rssMb),
    ),
    heapFirstMb: mean(first.map((s) => s.heapMb)),
    heapLastMb: mean(last.map((s) => s.heapMb)),
    heapSlopeMbPerMin: slope(
      minutes,
      half.map((s) => s.heapMb),
    ),
    eldFirstMs: median(first.map((s) => s.eldP99Ms)),
    eldLastMs: median(last.map((s) => s.eldP99Ms)),
    eldWorstMs: Math.max(...samples.map((s) => s.eldMaxMs)),
    inMean: mean(samples.slice(1).map((s) => s.inPerS)),
    lagEnd: samples.at(-1)?.lag ?? Number.NaN,
    dropped: samples.at(-1)?.dropped ?? 0,
    loadMean: mean(samples.map((s) => s.load1)),
    loadMax: Math.max(...samples.map((s) => s.load1)),
    cores: availableParallelism(),
    reasons: [] as string[],
    pass: false,
  };
  if (v.rssSlopeMbPerMin > MAX_SLOPE_MB_PER_MIN)
    v.reasons.push(`RSS grows ${v.rssSlopeMbPerMin.toFixed(2)} MB/min over the second half`);
  if (v.heapSlopeMbPerMin > MAX_SLOPE_MB_PER_MIN)
    v.reasons.push(`heap grows ${v.heapSlopeMbPerMin.toFixed(2)} MB/min over the second half`);
  if (v.rssLastMb > v.rssFirstMb * 1.1 + 16)
    v.reasons.push('RSS of the last fifth above the first by > 10 %');
  if (v.eldLastMs > Math.max(2 * v.eldFirstMs, v.eldFirstMs + 20))
    v.reasons.push('event-loop delay p99 of the last fifth more than doubled');
  if (v.inMean < 0.95 * rate) v.reasons.push(`ingest ${v.inMean.toFixed(0)} msgs/s below 95 % of the rate`);
  if (!(v.lagEnd < rate * 5)) v.reasons.push(`consumer lag ${v.lagEnd} at the end (> 5 s of traffic)`);
  v.pass = samples.length >= 2 && v.reasons.length === 0;
  return v;
}
