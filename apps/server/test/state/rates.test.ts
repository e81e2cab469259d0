import { describe, expect, it } from 'vitest';
import { epochSecond, RateSeries } from '../../src/state/rates.ts';

describe('RateSeries', () => {
  it('counts per second and reads back a window, oldest first, zeros included', () => {
    const r = new RateSeries(10, 0);
    r.add(100, 3, 1);
    r.add(100, 2, 0);
    r.add(102, 1, 1);
    expect(r.at(100)).toEqual({ t: 100, a: 5, w: 1 });
    expect(r.series(102, 4)).toEqual([
      { t: 99, a: 0, w: 0 },
      { t: 100, a: 5, w: 1 },
      { t: 101, a: 0, w: 0 },
      { t: 102, a: 1, w: 1 },
    ]);
    expect(r.total(102)).toEqual({ a: 6, w: 2 });
  });

  it('forgets seconds that fall out of the window and ignores counts for them', () => {
    const r = new RateSeries(10, 0);
    r.add(100, 5, 5);
    r.add(109, 1, 0);
    expect(r.at(100).a).toBe(5);
    r.add(110, 1, 0); // slot of 100 is reused
    expect(r.at(100)).toEqual({ t: 100, a: 0, w: 0 });
    r.add(95, 7, 7); // too old
    expect(r.total(110)).toEqual({ a: 2, w: 0 });
    r.add(1000, 1, 1); // a long gap clears everything
    expect(r.total(1000)).toEqual({ a: 1, w: 1 });
    expect(r.series(1000)).toHaveLength(10);
  });

  it('keeps 15 minutes by default', () => {
    expect(new RateSeries(undefined, 0).series(5000)).toHaveLength(900);
  });

  it('leaves out the seconds before the series started', () => {
    const r = new RateSeries(10, 100);
    expect(r.start).toBe(100);
    expect(r.series(99)).toEqual([]);
    expect(r.series(100)).toEqual([{ t: 100, a: 0, w: 0 }]);
    r.add(101, 2, 1);
    expect(r.series(102)).toEqual([
      { t: 100, a: 0, w: 0 },
      { t: 101, a: 2, w: 1 },
      { t: 102, a: 0, w: 0 },
    ]);
    expect(r.series(102, 2).map((p) => p.t)).toEqual([101, 102]);
    expect(r.series(200)).toHaveLength(10); // older than the window: capped as before
    expect(r.total(102)).toEqual({ a: 2, w: 1 });
    // Counts for an earlier second (still inside the window) extend the series back to it.
    r.add(98, 1, 0);
    expect(r.series(102, 10)[0]).toEqual({ t: 98, a: 1, w: 0 });
  });

  it('starts by default when it is created', () => {
    const before = epochSecond();
    const r = new RateSeries();
    expect(r.start).toBeGreaterThanOrEqual(before);
    expect(r.start).toBeLessThanOrEqual(epochSecond());
    expect(r.series(r.start - 1)).toEqual([]);
    expect(r.series(r.start + 4).map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((k) => r.start + k));
  });
});
