// The soak bench's verdict (bench/soak-trend.ts): flat memory passes, a steady leak or a consumer falling
// behind fails, whatever the noise.
import { describe, expect, it } from 'vitest';
import { type SoakSample, slope, soakVerdict } from '../../bench/soak-trend.ts';

const RATE = 10_000;

/** 30 minutes of samples every 10 s: RSS `rss(t)`, steady ingest, a little noise. */
function run(rss: (t: number) => number, inPerS = RATE): SoakSample[] {
  return Array.from({ length: 180 }, (_, i) => {
    const t = (i + 1) * 10;
    const noise = ((i * 7919) % 13) - 6;
    return {
      t,
      rssMb: rss(t) + noise,
      heapMb: 40 + noise / 2,
      eldP99Ms: 20 + Math.max(noise, 0),
      eldMaxMs: 60,
      inPerS,
      deliveredPerS: inPerS,
      dropped: 0,
      lag: 0,
      load1: 3,
    };
  });
}

describe('soak verdict', () => {
  it('fits a least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(slope([1], [5])).toBe(0);
  });

  it('passes flat memory after a warm-up rise', () => {
    const v = soakVerdict(
      run((t) => 200 + Math.min(t, 120) / 4),
      RATE,
    );
    expect(v.reasons).toEqual([]);
    expect(v.pass).toBe(true);
  });

  it('fails a leak of 2 MB a minute', () => {
    const v = soakVerdict(
      run((t) => 200 + (t / 60) * 2),
      RATE,
    );
    expect(v.pass).toBe(false);
    expect(v.reasons.join()).toMatch(/RSS grows 2\.\d+ MB\/min/);
  });

  it('fails a consumer that does not keep up', () => {
    const v = soakVerdict(
      run(() => 200, RATE * 0.8),
      RATE,
    );
    expect(v.reasons.join()).toMatch(/below 95 %/);
  });
});
