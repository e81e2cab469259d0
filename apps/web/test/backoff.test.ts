import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../src/lib/backoff.ts';
import { viewFromQuery, viewToParams } from '../src/lib/view-query.ts';

const opts = { baseMs: 500, maxMs: 8_000, factor: 2, jitter: 0 };

describe('reconnect backoff', () => {
  it('grows exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, opts))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });

  it('jitters within ± jitter', () => {
    const j = { ...opts, jitter: 0.2 };
    expect(backoffDelay(1, j, () => 0)).toBe(800);
    expect(backoffDelay(1, j, () => 1)).toBe(1200);
    expect(backoffDelay(1, j, () => 0.5)).toBe(1000);
  });

  it('counts attempts and resets after a success', () => {
    const b = new Backoff(opts);
    expect([b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000]);
    expect(b.attempt).toBe(3);
    b.reset();
    expect(b.next()).toBe(500);
  });
});

describe('view query', () => {
  it('round-trips window and chart target', () => {
    const v = viewFromQuery('?win=15&chart=peer:192.0.2.3|192.0.2.11');
    expect(v).toEqual({ windowMin: 15, chart: { kind: 'peer', key: '192.0.2.3|192.0.2.11' } });
    expect(viewToParams(v)).toEqual([
      ['win', '15'],
      ['chart', 'peer:192.0.2.3|192.0.2.11'],
    ]);
    expect(viewFromQuery('?win=7&chart=bogus')).toEqual({ windowMin: 5, chart: { kind: 'global' } });
    expect(viewToParams(viewFromQuery(''))).toEqual([]);
  });
});
