import { describe, expect, it } from 'vitest';
import { RateSeries } from '../../src/state/rates.ts';

describe('RateSeries', () => {
  it('counts per second and reads back a window, oldest first, zeros included', () => {
    const r = new RateSeries(10);
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
    const r = new RateSeries(10);
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
    expect(new RateSeries().series(5000)).toHaveLength(900);
  });
});
