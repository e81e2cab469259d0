import { describe, expect, it } from 'vitest';
import { RateSeries, RateSeriesMap } from '../src/lib/rate-series.ts';
import { Ring } from '../src/lib/ring.ts';
import { WindowCounter } from '../src/lib/window-counter.ts';

describe('Ring', () => {
  it('keeps only the newest `capacity` items', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.size).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect([r.newest(0), r.newest(2), r.newest(3)]).toEqual([5, 3, undefined]);
    r.pushAll([6, 7, 8, 9]);
    expect(r.toArray()).toEqual([7, 8, 9]);
    r.clear();
    expect(r.size).toBe(0);
  });
});

describe('RateSeries', () => {
  it('is capped at its capacity and reads gaps as null', () => {
    const s = new RateSeries(10);
    for (let t = 100; t < 130; t++) if (t !== 125) s.set(t, t, 1);
    const pts = s.range(0, 129);
    expect(pts).toHaveLength(10);
    expect(pts[0]).toEqual({ t: 120, a: 120, w: 1 });
    expect(pts[5]).toEqual({ t: 125, a: null, w: null });
    expect(s.get(110)).toBeNull();
    s.set(50, 1, 1); // older than the window: ignored
    expect(s.get(50)).toBeNull();
    expect(s.totals(129, 3)).toEqual([128, 129, 130]);
  });

  it('bounds the number of keyed series', () => {
    const m = new RateSeriesMap(2, 5);
    m.set('a', 1, 1, 0);
    m.set('b', 1, 1, 0);
    m.set('a', 2, 1, 0);
    m.set('c', 2, 1, 0);
    expect(m.size).toBe(2);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')?.get(2)).toEqual({ a: 1, w: 0 });
  });
});

describe('WindowCounter', () => {
  it('counts within the window and forgets what leaves it', () => {
    const c = new WindowCounter({ windowSec: 60, maxWindowSec: 120, bucketSec: 10 });
    c.add('x', 0, 5);
    c.add('y', 30, 2);
    c.add('x', 50, 1);
    expect(c.top(5)).toEqual([
      { key: 'x', count: 6 },
      { key: 'y', count: 2 },
    ]);
    c.add('y', 75); // the bucket at 0..10 leaves the 60 s window
    expect(c.top(5)).toEqual([
      { key: 'y', count: 3 },
      { key: 'x', count: 1 },
    ]);
    expect(c.count).toBe(4);
    c.setWindow(120, 75); // a larger window recounts from kept buckets
    expect(c.top(1)).toEqual([{ key: 'x', count: 6 }]);
  });

  it('caps distinct keys and counts the rest as other', () => {
    const c = new WindowCounter({ windowSec: 60, maxKeys: 3 });
    for (let i = 0; i < 10; i++) c.add(`k${i}`, 1);
    expect(c.distinct).toBe(3);
    expect(c.other).toBe(7);
    expect(c.count).toBe(10);
  });

  it('top(n) returns the n highest, highest first', () => {
    const c = new WindowCounter({ windowSec: 60 });
    const counts = [5, 1, 9, 3, 7, 2, 8];
    for (const [i, n] of counts.entries()) c.add(`k${i}`, 1, n);
    expect(c.top(3).map((e) => e.count)).toEqual([9, 8, 7]);
  });
});
