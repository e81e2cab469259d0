import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Peer, Router, RouterEvent } from '../src/lib/api-types.ts';
import { NetworkState } from '../src/lib/live/network.ts';
import { RatesTracker } from '../src/lib/live/rates.ts';
import { FlushScheduler } from '../src/lib/live/scheduler.ts';
import { $peers, $rates, $routers, $sources, rateHistory } from '../src/lib/stores.ts';
import { peerJson, routerJson } from './support/fixtures.ts';

const peer = (key: string, since: number, announcements = 0): Peer =>
  peerJson({ key, state: 'up', since, announcements });
const router = (id: string, state: Router['state'] = 'up'): Router => routerJson({ id, state });
const routerEvent = (id: string, kind: RouterEvent['kind']): RouterEvent => ({
  kind,
  ts: 0,
  router: router(id, kind === 'router_up' ? 'up' : 'down'),
  reason: null,
});
const snapshot = () => ({
  routers: [router('r1')],
  peers: [peer('a', 1)],
  sources: [
    {
      id: 'demo',
      kind: 'demo',
      status: 'ok' as const,
      detail: '',
      messages: 0,
      errors: 0,
      first_message_at: null,
      last_message_at: null,
      decode_error_rate: 0,
      commonest_error: null,
    },
  ],
  rates: { interval_s: 1, series: [{ t: 100, a: 5, w: 1 }] },
});

describe('network state', () => {
  it('applies peer and router events on flush; a router going down asks for a refresh', () => {
    const refresh = vi.fn();
    const network = new NetworkState(refresh);
    network.applySnapshot(snapshot());
    network.addPeerEvents([
      { kind: 'peer_down', ts: 2, peer: { ...peer('a', 2), state: 'down' }, reason: null },
    ]);
    network.addRouterEvents([routerEvent('r2', 'router_up')]);
    expect($peers.get().get('a')?.state).toBe('up');
    network.flush();
    expect($peers.get().get('a')?.state).toBe('down');
    expect([...$routers.get().keys()]).toEqual(['r1', 'r2']);
    expect(refresh).not.toHaveBeenCalled();
    network.addRouterEvents([routerEvent('r1', 'router_down')]);
    network.flush();
    expect($routers.get().get('r1')?.state).toBe('down');
    expect(refresh).toHaveBeenCalledOnce();
  });

  it('merges polled peers: an event newer than the poll wins', () => {
    const network = new NetworkState(() => {});
    network.applySnapshot({ ...snapshot(), peers: [peer('a', 10, 1), peer('b', 1, 1), peer('gone', 1)] });
    network.applyPolledPeers([peer('a', 5, 99), peer('b', 5, 99), peer('c', 5, 99)]);
    const peers = $peers.get();
    expect([...peers.keys()]).toEqual(['a', 'b', 'c']);
    expect(peers.get('a')?.announcements).toBe(1);
    expect(peers.get('b')?.announcements).toBe(99);
  });

  it('ignores an empty polled source list', () => {
    const network = new NetworkState(() => {});
    network.applySnapshot(snapshot());
    network.applyPolledSources([]);
    expect($sources.get()).toHaveLength(1);
    network.applyPolledRouters([router('r9')]);
    expect([...$routers.get().keys()]).toEqual(['r9']);
  });
});

describe('rates', () => {
  it('records ticks in the history at once and publishes the last on flush', () => {
    const rates = new RatesTracker();
    rates.applySnapshot(snapshot().rates);
    const v = $rates.get().version;
    expect($rates.get()).toMatchObject({ t: 100, global: { a: 5, w: 1 } });
    rates.add({ v: 1, type: 'rates', t: 101, global: { a: 7, w: 0 }, routers: { r1: { a: 7, w: 0 } } });
    expect(rateHistory.routers.get('r1')).toBeDefined();
    expect($rates.get().t).toBe(100);
    rates.flush();
    expect($rates.get()).toMatchObject({ version: v + 1, t: 101, global: { a: 7, w: 0 } });
    rates.flush();
    expect($rates.get().version).toBe(v + 1);
  });
});

describe('flush scheduler', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('merges requests into one run of every flush, in order, once per animation frame', () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    const calls: string[] = [];
    const scheduler = new FlushScheduler();
    scheduler.register(
      () => calls.push('a'),
      (now) => calls.push(typeof now),
    );
    scheduler.request();
    scheduler.request();
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(calls).toEqual(['a', 'number']);
    scheduler.request();
    expect(frames).toHaveLength(2);
  });
});
