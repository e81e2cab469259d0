// A new subscribe (or an unsubscribe) must not be followed by route events queued under the previous filter.
import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/fanout/hub.ts';
import { handleClientFrame } from '../../src/fanout/ws-route.ts';
import { FakeSocket } from '../support/fake-socket.ts';

const frame = (x: unknown) => JSON.stringify(x);
/**
 * The test's clock: subscribes are priced and batches flushed on it, not on the machine's (a busy machine
 * refilled the budget).
 */
const T0 = 1_700_000_000_000;

function setup() {
  const hub = new Hub();
  const s = new FakeSocket();
  const c = hub.addClient(s);
  handleClientFrame(hub, c, frame({ type: 'subscribe', id: 'old', filter: { origin_asns: [64500] } }), T0);
  // Events that matched the old filter, queued for the next batch tick.
  c.enqueueRoute(Buffer.from('{"kind":"announce","origin_asn":64500}'));
  c.enqueuePeer(Buffer.from('{"kind":"peer_up"}'));
  c.enqueueRouter(Buffer.from('{"kind":"router_up"}'));
  return { hub, s, c };
}

describe('changing the filter', () => {
  it('drops route events queued under the old filter before answering subscribed', () => {
    const { hub, s, c } = setup();
    handleClientFrame(hub, c, frame({ type: 'subscribe', id: 'new', filter: { origin_asns: [65000] } }), T0);
    expect(c.queuedRoutes).toBe(0);
    expect(c.queuedBytes).toBe(0);
    hub.flush(T0);
    const after = s.frames.slice(s.frames.findIndex((f) => f.type === 'subscribed' && f.id === 'new'));
    expect(after.map((f) => f.type)).toEqual(['subscribed', 'batch']);
    // Peer and router events are still wanted by the new filter; no route events from the old one.
    expect(after[1]).toMatchObject({
      routes: [],
      peers: [{ kind: 'peer_up' }],
      routers: [{ kind: 'router_up' }],
    });
    expect(s.frames.some((f) => f.type === 'dropped')).toBe(false);
  });

  it('also drops queued peer events when the new filter does not want them', () => {
    const { hub, s, c } = setup();
    handleClientFrame(hub, c, frame({ type: 'subscribe', id: 'new', filter: { kinds: ['announce'] } }), T0);
    hub.flush(T0);
    expect(s.frames.at(-1)).toMatchObject({
      type: 'batch',
      routes: [],
      peers: [],
      routers: [{ kind: 'router_up' }],
    });
  });

  it('drops queued route events on unsubscribe', () => {
    const { hub, s, c } = setup();
    handleClientFrame(hub, c, frame({ type: 'unsubscribe', id: 'u' }), T0);
    expect(c.queuedRoutes).toBe(0);
    hub.flush(T0);
    expect(s.frames.slice(-2)).toMatchObject([
      { type: 'unsubscribed', id: 'u' },
      { type: 'batch', routes: [], peers: [{ kind: 'peer_up' }], routers: [{ kind: 'router_up' }] },
    ]);
  });

  it('keeps the old filter and its queue when the new filter is invalid', () => {
    const { hub, s, c } = setup();
    handleClientFrame(hub, c, frame({ type: 'subscribe', id: 'bad', filter: { origin_asns: ['x'] } }), T0);
    expect(s.frames.at(-1)).toMatchObject({ type: 'error', code: 'WS_ERR_BAD_FILTER' });
    expect(c.queuedRoutes).toBe(1);
  });

  it('refuses subscriptions beyond the filter-value budget, keeping the previous filter', () => {
    const { hub, s, c } = setup();
    const prefixes = Array.from({ length: 10_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    // The 64500 filter used one value; six 10,000-prefix filters exhaust the 60,000-value burst.
    for (let i = 0; i < 8; i++) {
      handleClientFrame(hub, c, frame({ type: 'subscribe', id: `big${i}`, filter: { prefixes } }), T0);
    }
    const replies = s.frames.filter((f) => typeof f.id === 'string' && f.id.startsWith('big'));
    expect(replies.slice(0, 5).map((f) => f.type)).toEqual(Array(5).fill('subscribed'));
    expect(replies.at(-1)).toMatchObject({ type: 'error', code: 'WS_ERR_RATE_LIMIT', id: 'big7' });
    expect(replies.at(-1)?.message).toContain('filter values per second');
    expect(c.filter?.prefixes).toHaveLength(10_000);
  });
});
