import { beforeEach, describe, expect, it } from 'vitest';
import type { RouteEvent } from '../src/lib/api-types.ts';
import { EMPTY_FILTER } from '../src/lib/filter.ts';
import { SUBSCRIBE_TIMEOUT_MS, Subscription } from '../src/lib/live/subscription.ts';
import { $filter, $serverError } from '../src/lib/stores.ts';

const route = (prefix: string): RouteEvent => ({
  kind: 'announce',
  ts: 0,
  router: 'r1',
  peer: 'p1',
  peer_asn: 65001,
  prefix,
});
const error = (id?: string) => ({
  v: 1,
  type: 'error' as const,
  code: 'WS_ERR_BAD_FILTER',
  message: 'no',
  id,
});

describe('subscription', () => {
  /** The test's clock: the confirmation timeout is measured on it, not on the machine's. */
  const now = 1_700_000_000_000;
  let sent: unknown[];
  let sub: Subscription;
  beforeEach(() => {
    $filter.set(EMPTY_FILTER);
    $serverError.set(null);
    sent = [];
    sub = new Subscription(
      (m) => sent.push(m),
      () => now,
    );
    sub.compile();
  });

  it('sends the filter with a new id each time and waits for that id', () => {
    $filter.set({ ...EMPTY_FILTER, originAsns: [64500] });
    sub.subscribe();
    sub.subscribe();
    expect(sent).toEqual([
      { type: 'subscribe', id: 'f1', filter: { origin_asns: [64500] } },
      { type: 'subscribe', id: 'f2', filter: { origin_asns: [64500] } },
    ]);
    expect(sub.pending).toBe(true);
    expect(sub.confirm('f1')).toBe(false);
    expect(sub.pending).toBe(true);
    expect(sub.confirm('f2')).toBe(true);
    expect(sub.pending).toBe(false);
    expect(sub.confirm('f2')).toBe(false);
  });

  it('holds route events back until confirmed, then re-checks them against the filter', () => {
    $filter.set({ ...EMPTY_FILTER, prefixes: ['10.0.0.0/8'] });
    sub.compile();
    sub.subscribe();
    const batch = [route('10.1.0.0/16'), route('192.0.2.0/24')];
    expect(sub.admit(batch)).toEqual([]);
    sub.confirm('f1');
    expect(sub.admit(batch).map((r) => r.prefix)).toEqual(['10.1.0.0/16']);
  });

  it('admits everything without a filter', () => {
    const batch = [route('10.1.0.0/16'), route('192.0.2.0/24')];
    expect(sub.admit(batch)).toEqual(batch);
  });

  it('gives up waiting after the timeout', () => {
    sub.subscribe();
    const since = now;
    expect(sub.expire(since + SUBSCRIBE_TIMEOUT_MS)).toBe(false);
    expect(sub.expire(since + SUBSCRIBE_TIMEOUT_MS + 1_000)).toBe(true);
    expect(sub.pending).toBe(false);
    expect(sub.expire(since + SUBSCRIBE_TIMEOUT_MS + 2_000)).toBe(false);
  });

  it('stops waiting when the link goes down or the server refuses the filter', () => {
    sub.subscribe();
    sub.onDown();
    expect(sub.pending).toBe(false);
    sub.subscribe();
    sub.onError(error('f1'));
    expect(sub.pending).toBe(true);
    sub.onError(error('f2'));
    expect(sub.pending).toBe(false);
    expect($serverError.get()?.id).toBe('f2');
  });

  it('on a filter change forgets the last error and resubscribes only if the link is open', () => {
    $serverError.set(error());
    sub.refilter(false);
    expect($serverError.get()).toBeNull();
    expect(sent).toEqual([]);
    expect(sub.pending).toBe(false);
    sub.refilter(true);
    expect(sent).toHaveLength(1);
    expect(sub.pending).toBe(true);
  });
});
