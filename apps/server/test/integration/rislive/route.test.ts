// The /v1/ws/ endpoint over a real socket: both paths, the query strings clients add, the subscription shapes
// BGPalerter sends, oversized messages, and no effect on the dashboard's /api/ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { RisLiveClient } from '../../support/ris-live-client.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { TestClient } from '../../support/ws-client.ts';

const P: TestPeer = { address: '2001:db8::41', asn: 64541, bgpId: '192.0.2.41' };

describe('RIS Live route', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves /v1/ws and /v1/ws/ with any query string, and BGPalerter-shaped subscriptions', async () => {
    const bare = new WebSocket(`${t.url.replace(/^http/, 'ws')}/v1/ws?client_version=2&client=x&instance=y`);
    await new Promise((resolve, reject) => bare.once('open', resolve).once('error', reject));
    bare.close();
    const c = await RisLiveClient.connect(t.url, 'bgpalerter-shape');
    const ok = await c.subscribe({
      moreSpecific: true,
      type: 'UPDATE',
      host: null,
      prefix: '2001:DB8::/32',
      socketOptions: { includeRaw: false },
    });
    expect(ok).toEqual({
      type: 'ris_subscribe_ok',
      data: {
        subscription: { type: 'UPDATE', prefix: '2001:db8::/32', moreSpecific: true, lessSpecific: false },
        socketOptions: { includeRaw: false, acknowledge: true },
      },
    });
    expect((await c.subscribe({ path: '64541$', type: 'UPDATE' })).type).toBe('ris_subscribe_ok');
    const dashboard = await TestClient.connect(t.wsUrl);
    await dashboard.subscribe({});
    const r = await TestRouter.connect(t.bmpPort);
    await r.send(msg.initiation('v6-edge'), msg.peerUp(P), msg.announce(P, ['2001:db8:41::/48'], [64541]));
    const [m] = await c.waitFor(() => (c.messages().length > 0 ? c.messages() : false), 'the UPDATE');
    expect(m).toMatchObject({
      peer: '2001:db8::41',
      host: 'v6-edge',
      announcements: [{ next_hop: '2001:db8::1', prefixes: ['2001:db8:41::/48'] }],
    });
    await dashboard.waitFor(() => dashboard.routes.length === 1, 'the dashboard route event');
    await r.close();
    await dashboard.close();
    await c.close();
  });

  it('refuses messages over 1 MiB with ris_error and keeps the connection', async () => {
    const c = await RisLiveClient.connect(t.url);
    c.ws.send(JSON.stringify({ type: 'ping', data: 'x'.repeat(1024 * 1024) }));
    c.send('ping');
    await c.waitFor(() => c.frames.some((f) => f.type === 'pong'), 'pong');
    expect(c.frames[0]).toEqual({
      type: 'ris_error',
      data: { message: expect.stringMatching(/over the limit/) },
    });
    await c.close();
  });

  it('is not served with --no-ris-live', async () => {
    const off = await startTestServer(['--no-ris-live']);
    try {
      expect(off.server.risLive).toBeNull();
      expect(off.server.app.hasRoute({ method: 'GET', url: '/v1/ws/' })).toBe(false);
      expect(t.server.app.hasRoute({ method: 'GET', url: '/v1/ws/' })).toBe(true);
      expect((await off.server.app.inject('/metrics')).body).not.toContain('bmpwatch_rislive_clients');
    } finally {
      await off.close();
    }
  });
});
