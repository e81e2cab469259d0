// The WebSocket API end to end without Kafka: a scripted router on the BMP listener, clients on /api/ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BmpTcpSource } from '../../../src/sources/bmp-tcp.ts';
import { epochSecond } from '../../../src/state/rates.ts';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';
import { TestClient } from '../../support/ws-client.ts';
import { closeAll, tryUpgrade } from '../../support/ws-upgrade.ts';

const A: TestPeer = { address: '192.0.2.11', asn: 4200000001, bgpId: '192.0.2.11' };
const B: TestPeer = { address: '2001:db8::12', asn: 65012, bgpId: '192.0.2.12' };

describe('WebSocket API over a BMP TCP router', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const client = async () => {
    const c = await TestClient.connect(t.wsUrl);
    clients.push(c);
    return c;
  };

  let startedAt = 0;

  beforeAll(async () => {
    startedAt = epochSecond();
    t = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t?.close();
  });

  it('answers an upgrade to a path without a WebSocket endpoint with 404 (not accepted, then closed)', async () => {
    const base = t.wsUrl.replace(/\/api\/ws$/, '');
    for (const path of ['/nope', '/', '/api/health', '/api/ws/extra', '/v1/wss']) {
      expect(await tryUpgrade(base + path), path).toMatchObject({
        status: 404,
        body: { code: 'BMPWATCH_ERR_NOT_WEBSOCKET' },
      });
    }
    const endpoints = await Promise.all(['/api/ws', '/v1/ws/', '/v1/ws'].map((p) => tryUpgrade(base + p)));
    expect(endpoints.map((r) => r.status)).toEqual([101, 101, 101]);
    await closeAll(endpoints);
  });

  it('greets with a hello snapshot', async () => {
    const c = await client();
    expect(c.hello).toMatchObject({
      v: 1,
      type: 'hello',
      server: 'bmpwatch',
      snapshot: { routers: [], peers: [], rates: { interval_s: 1 } },
    });
    // Only seconds since the server started, oldest first, each complete (none zero-filled from before start).
    const series = c.hello!.snapshot.rates.series as { t: number }[];
    const now = epochSecond();
    expect(series.length).toBeLessThanOrEqual(now - startedAt);
    expect(series.every((p) => p.t >= startedAt && p.t < now)).toBe(true);
    expect(series.map((p) => p.t)).toEqual(series.map((_, i) => (series[0]?.t ?? 0) + i));
    expect(c.hello!.snapshot.sources.map((s: { id: string }) => s.id)).toEqual(['bmp-tcp']);
  });

  it('answers ping, and error frames for bad frames without closing', async () => {
    const c = await client();
    c.send({ type: 'ping', id: 'p1' });
    await c.waitFor(() => c.frames.find((f) => f.type === 'pong' && f.id === 'p1'), 'pong');
    c.send('{not json');
    c.send({ type: 'dance', id: 'x' });
    c.send({ type: 'ping', id: 7 });
    const bad = await c.subscribe({ prefixes: [{ prefix: '10.0.0.0/8' }, { prefix: '10.0.0.0/33' }] }, 'f1');
    expect(bad).toMatchObject({
      type: 'error',
      code: 'WS_ERR_BAD_FILTER',
      id: 'f1',
      message: 'prefixes[1]: "10.0.0.0/33" is not a valid prefix',
    });
    c.send('x'.repeat(1024 * 1024 + 10));
    await c.waitFor(() => c.errors.length >= 5, 'five error frames');
    expect(c.errors.map((e) => e.code)).toEqual([
      'WS_ERR_BAD_JSON',
      'WS_ERR_BAD_MESSAGE',
      'WS_ERR_BAD_MESSAGE',
      'WS_ERR_BAD_FILTER',
      'WS_ERR_TOO_LARGE',
    ]);
    expect(c.errors[1].message).toContain('unknown frame type "dance"');
    const ok = await c.subscribe({ origin_asns: [65100, 64500, 64500] }, 'f2');
    expect(ok).toMatchObject({ type: 'subscribed', id: 'f2', filter: { origin_asns: [64500, 65100] } });
    expect(c.closed).toBe(false);
  });

  it('survives hostile frames: each gets an error, the connection and other clients carry on', async () => {
    const bystander = await client();
    const c = await client();
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    // A megabyte of '[' and a deeply nested "type" (its error message would overflow JSON.stringify).
    c.send('['.repeat(1024 * 1024 - 1));
    c.send(`{"type":${'['.repeat(300_000)}${']'.repeat(300_000)}}`);
    c.send({ type: 'subscribe', id: 'huge', filter: { prefixes: ids(100_000) } });
    c.send({ type: 'ping', id: 'x'.repeat(10_000) });
    await c.waitFor(() => c.errors.length >= 4, 'four error frames');
    expect(c.errors.map((e) => e.code)).toEqual([
      'WS_ERR_TOO_DEEP',
      'WS_ERR_TOO_DEEP',
      'WS_ERR_TOO_LARGE', // 100,000 prefixes do not fit in 1 MiB (protocol.test.ts checks the prefix limit)
      'WS_ERR_BAD_MESSAGE',
    ]);
    // Big subscriptions do not hold others up. Beyond the 2 MiB burst of frame bytes (the deep frames used most
    // of it) frames are refused before parsing; the filter-value budget is checked in resubscribe.test.ts.
    await new Promise((res) => setTimeout(res, 1100)); // a fresh frame-rate window
    const start = c.frames.length;
    for (let i = 0; i < 14; i++)
      c.send({ type: 'subscribe', id: `big${i}`, filter: { prefixes: ids(10_000) } });
    const answered = () => c.since(start, 'subscribed').length + c.since(start, 'error').length;
    await c.waitFor(() => answered() >= 14, 'answers to 14 big subscribes');
    expect(c.since(start, 'subscribed').length).toBeGreaterThan(0);
    // Every refusal is a rate limit, and the frame-bytes one is among them: 14 frames of ~200 kB outrun the
    // burst. (On a slow machine the filter-value budget, which refills on real time, may refuse one first.)
    const refusals = c.since(start, 'error');
    expect(refusals.every((e) => e.code === 'WS_ERR_RATE_LIMIT')).toBe(true);
    expect(refusals.some((e) => String(e.message).includes('bytes of frames per second'))).toBe(true);
    // The refused frames are not parsed, so nothing long holds the event loop: the bystander's pong comes back
    // at once (1.5 s leaves room for a busy machine).
    const bystanderPing = Date.now();
    bystander.send({ type: 'ping', id: 'b1' });
    await bystander.waitFor(() => bystander.frames.some((f) => f.id === 'b1'), 'the bystander’s pong');
    expect(Date.now() - bystanderPing).toBeLessThan(1500);
    // Thousands of subscribe/unsubscribe frames in a second: 20 are answered, the rest ignored with one error.
    await new Promise((res) => setTimeout(res, 1100));
    const before = c.frames.length;
    for (let i = 0; i < 2000; i++)
      c.send(i % 2 ? { type: 'unsubscribe', id: `u${i}` } : { type: 'subscribe', id: `s${i}`, filter: {} });
    await c.waitFor(() => c.since(before, 'error').length >= 1, 'a rate-limit error');
    await c.waitFor(
      () => c.since(before, 'subscribed').length + c.since(before, 'unsubscribed').length >= 20,
      '20 answers',
    );
    expect(c.since(before, 'subscribed').length + c.since(before, 'unsubscribed').length).toBeLessThan(60);
    expect(c.closed).toBe(false);
    expect(bystander.closed).toBe(false);
    const pong = await bystander.subscribe({ origin_asns: [1] }, 'b2');
    expect(pong.type).toBe('subscribed');
  });

  it('sends a rate tick every second', async () => {
    const c = await client();
    await c.waitFor(() => c.rates.length >= 2, 'two rate ticks', 5000);
    const [a, b] = c.rates;
    expect(b.t - a.t).toBe(1);
    expect(a).toMatchObject({
      v: 1,
      type: 'rates',
      global: { a: expect.any(Number), w: expect.any(Number) },
    });
    expect(a.ingest).toEqual({ messages: expect.any(Number), bytes: expect.any(Number) });
    expect(a).toHaveProperty('routers');
    expect(a).toHaveProperty('peers');
  });

  it('limits client frames to 20 per second', async () => {
    const c = await client();
    for (let i = 0; i < 30; i++) c.send({ type: 'ping', id: `r${i}` });
    await c.waitFor(() => c.errors.some((e) => e.code === 'WS_ERR_RATE_LIMIT'), 'a rate limit error');
    // Later frames may fall into the next one-second window; the first 20 are answered, and not all 30.
    await c.waitFor(() => c.frames.filter((f) => f.type === 'pong').length >= 20, '20 pongs');
    expect(c.errors.filter((e) => e.code === 'WS_ERR_RATE_LIMIT')).toHaveLength(1);
    expect(c.closed).toBe(false);
  });

  it('delivers exactly the matching route events, and peer/router state changes', async () => {
    const all = await client();
    const byPrefix = await client();
    const byOrigin = await client();
    const withdrawOnly = await client();
    const silent = await client();
    await all.subscribe({});
    await byPrefix.subscribe({
      prefixes: [
        { prefix: '10.1.0.0/16', match: 'more' },
        { prefix: '2001:db8:100::/48', match: 'exact' },
      ],
    });
    await byOrigin.subscribe({ origin_asns: [64501] });
    await withdrawOnly.subscribe({ kinds: ['withdraw'] });
    await silent.subscribe({ peer_asns: [1] });

    const r = await TestRouter.connect(t.bmpPort);
    await r.send(
      msg.initiation('test-r1'),
      msg.peerUp(A),
      msg.peerUp(B),
      msg.announce(A, ['10.1.2.0/24', '10.2.0.0/16'], [4200000001, 64500]),
      msg.announce(A, ['10.1.0.0/16'], [4200000001, 3356, 64501]),
      msg.announce(B, ['2001:db8:100::/48', '2001:db8:100::/56'], [65012, 64501]),
      msg.withdraw(A, ['10.2.0.0/16']),
      msg.stats(A, 2),
    );
    await all.waitFor(() => all.routes.length === 6, '6 route events for the empty filter');
    expect(all.routes.map((e) => `${e.kind} ${e.prefix}`)).toEqual([
      'announce 10.1.2.0/24',
      'announce 10.2.0.0/16',
      'announce 10.1.0.0/16',
      'announce 2001:db8:100::/48',
      'announce 2001:db8:100::/56',
      'withdraw 10.2.0.0/16',
    ]);
    expect(all.routes[0]).toEqual({
      kind: 'announce',
      ts: 1700000001,
      router: '127.0.0.1',
      peer: '192.0.2.11',
      peer_asn: 4200000001,
      peer_type: 'global',
      post_policy: false,
      adj_rib_out: false,
      path_id: null,
      prefix: '10.1.2.0/24',
      path: [4200000001, 64500],
      origin_asn: 64500,
      origin: 'igp',
      next_hop: '192.0.2.11',
      med: null,
      local_pref: null,
      communities: ['64512:100'],
      large_communities: [],
      ext_communities: [],
    });
    expect(all.routes[5]).toEqual({
      kind: 'withdraw',
      ts: 1700000002,
      router: '127.0.0.1',
      peer: '192.0.2.11',
      peer_asn: 4200000001,
      peer_type: 'global',
      post_policy: false,
      adj_rib_out: false,
      path_id: null,
      prefix: '10.2.0.0/16',
    });
    await byPrefix.waitFor(() => byPrefix.routes.length >= 3, 'prefix matches');
    await withdrawOnly.waitFor(() => withdrawOnly.routes.length >= 1, 'the withdrawal');
    await byOrigin.waitFor(() => byOrigin.routes.length >= 3, 'origin matches');
    // Anything extra would have arrived in the same batch as the events waited for; give one more tick.
    await new Promise((res) => setTimeout(res, 250));
    expect(byPrefix.routes.map((e) => e.prefix)).toEqual(['10.1.2.0/24', '10.1.0.0/16', '2001:db8:100::/48']);
    expect(byOrigin.routes.map((e) => e.prefix)).toEqual([
      '10.1.0.0/16',
      '2001:db8:100::/48',
      '2001:db8:100::/56',
    ]);
    expect(withdrawOnly.routes.map((e) => `${e.kind} ${e.prefix}`)).toEqual(['withdraw 10.2.0.0/16']);
    expect(silent.routes).toEqual([]);

    // Peer and router events reach everyone whose filter does not exclude the "peer" kind.
    expect(all.routers.map((e) => e.kind)).toEqual(['router_up', 'router_up']);
    expect(all.routers[1].router).toMatchObject({
      id: '127.0.0.1',
      name: 'test-r1',
      state: 'up',
      source: 'bmp-tcp',
    });
    expect(all.peers.map((e) => `${e.kind} ${e.peer.address}`)).toEqual([
      'peer_up 192.0.2.11',
      'peer_up 2001:db8::12',
    ]);
    expect(all.peers[0].peer.open).toMatchObject({
      four_octet_as: true,
      families: ['ipv4/unicast'],
      hold_time: 90,
    });
    expect(silent.peers).toHaveLength(2);
    expect(withdrawOnly.peers).toHaveLength(0);

    const peers = (await (await fetch(`${t.url}/api/peers`)).json()) as { peers: Record<string, unknown>[] };
    expect(peers.peers.find((p) => p.address === '192.0.2.11')).toMatchObject({
      key: '127.0.0.1|192.0.2.11',
      state: 'up',
      adj_rib_in: 2,
      announcements: 3,
      withdrawals: 1,
      flaps: 0,
    });

    // Peer down, then the router goes away: nobody can tell any of its peers' state any more.
    await r.send(msg.peerDown(A));
    await all.waitFor(() => all.peers.some((e) => e.kind === 'peer_down'), 'peer_down');
    expect(all.peers.find((e) => e.kind === 'peer_down')).toMatchObject({
      reason: 'remote_notification: cease/administrative_shutdown',
      peer: {
        state: 'down',
        flaps: 1,
        last_down_reason: 'remote_notification: cease/administrative_shutdown',
      },
    });
    await r.close();
    await all.waitFor(() => all.routers.some((e) => e.kind === 'router_down'), 'router_down');
    await all.waitFor(() => all.peers.some((e) => e.kind === 'peer_unknown'), 'peer_unknown');
    expect(all.routers.at(-1)).toMatchObject({
      kind: 'router_down',
      reason: 'connection closed',
      router: { state: 'down' },
    });
    expect(all.peers.filter((e) => e.kind === 'peer_unknown').map((e) => e.peer.address)).toEqual([
      '192.0.2.11',
      '2001:db8::12',
    ]);

    // The router reconnects: up again, and its routes flow again.
    const again = await TestRouter.connect(t.bmpPort);
    await again.send(
      msg.initiation('test-r1'),
      msg.peerUp(A),
      msg.announce(A, ['10.1.9.0/24'], [4200000001, 64500]),
    );
    await all.waitFor(
      () => all.routes.some((e) => e.prefix === '10.1.9.0/24'),
      'a route after the reconnect',
    );
    expect(all.routers.at(-1)).toMatchObject({ kind: 'router_up', router: { state: 'up' } });
    expect(all.peers.at(-1)).toMatchObject({ kind: 'peer_up', peer: { address: '192.0.2.11', state: 'up' } });
    await again.close();
  });

  it('matches withdrawals to origin and path filters through the announcement they withdraw', async () => {
    const byOrigin = await client();
    await byOrigin.subscribe({ origin_asns: [64777] });
    const byPath = await client();
    await byPath.subscribe({ path_asns: [1299], kinds: ['withdraw'] });
    const r = await TestRouter.connect(t.bmpPort);
    await r.send(
      msg.initiation('mem-r'),
      msg.peerUp(A),
      msg.announce(A, ['10.77.0.0/16', '10.78.0.0/16'], [4200000001, 1299, 64777]),
      msg.announce(A, ['10.78.0.0/16'], [4200000001, 64000]), // replaced by a route of another origin
      msg.withdraw(A, ['10.77.0.0/16', '10.78.0.0/16', '10.79.0.0/16']),
      msg.withdraw(A, ['10.77.0.0/16']), // withdrawn twice: the second has nothing to match
    );
    await byOrigin.waitFor(
      () => byOrigin.routes.some((e) => e.kind === 'withdraw'),
      'the withdrawal by origin',
    );
    await byPath.waitFor(() => byPath.routes.length >= 1, 'the withdrawal by path');
    await new Promise((res) => setTimeout(res, 250));
    expect(byOrigin.routes.map((e) => `${e.kind} ${e.prefix}`)).toEqual([
      'announce 10.77.0.0/16',
      'announce 10.78.0.0/16',
      'withdraw 10.77.0.0/16',
    ]);
    expect(byPath.routes.map((e) => `${e.kind} ${e.prefix}`)).toEqual(['withdraw 10.77.0.0/16']);
    expect(byPath.routes[0]).not.toHaveProperty('origin_asn');
    // A peer going down forgets what was remembered for it.
    await r.send(msg.announce(A, ['10.80.0.0/16'], [4200000001, 64777]), msg.peerDown(A));
    await byOrigin.waitFor(
      () => byOrigin.routes.some((e) => e.prefix === '10.80.0.0/16'),
      'the last announcement',
    );
    await byOrigin.waitFor(() => t.server.hub.routeMemory.size === 0, 'the peer’s routes forgotten');
    await r.close();
  });

  it('skips malformed TCP bytes, counts them, and keeps the stream going', async () => {
    const c = await client();
    await c.subscribe({ prefixes: ['172.16.0.0/12'] });
    const r = await TestRouter.connect(t.bmpPort);
    const garbage = new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff);
    // A BMP header whose body is a broken BGP message (bad marker): framed fine, fails to decode.
    const broken = msg.announce(A, ['172.16.1.0/24'], [1, 2]);
    broken[6 + 42] = 0; // first byte of the BGP marker
    await r.send(
      msg.initiation('junk-r'),
      msg.peerUp(A),
      garbage,
      msg.announce(A, ['172.16.0.0/24'], [1, 2]),
      broken,
      msg.announce(A, ['172.17.0.0/24'], [1, 3]),
    );
    await c.waitFor(() => c.routes.length >= 2, 'both good routes');
    expect(c.routes.map((e) => e.prefix)).toEqual(['172.16.0.0/24', '172.17.0.0/24']);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(
      /bmpwatch_decode_errors_total\{source="bmp-tcp",code="BMP_ERR_MALFORMED"\} [1-9]/,
    );
    expect(metrics).toMatch(/bmpwatch_decode_errors_total\{source="bmp-tcp",code="BGP_ERR_MARKER"\} 1/);
    await r.close();
  });

  it('a session reset mid-message: the partial message is discarded and counted, peers unknown, clean reconnect', async () => {
    const c = await client();
    await c.subscribe({ prefixes: [{ prefix: '198.18.0.0/15', match: 'more' }] });
    const tcp = t.server.sources.find((s) => s.id === 'bmp-tcp') as BmpTcpSource;
    const truncated = async () =>
      Number(
        /bmpwatch_decode_errors_total\{source="bmp-tcp",code="BMP_ERR_TRUNCATED"\} (\d+)/.exec(
          await (await fetch(`${t.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    /** A router session: Initiation, both Peer Ups, one announcement. */
    const session = async (prefix: string) => {
      const r = await TestRouter.connect(t.bmpPort);
      await r.send(msg.initiation('cut-r'), msg.peerUp(A), msg.peerUp(B), msg.announce(A, [prefix], [1, 2]));
      return r;
    };
    const errorsBefore = await truncated();
    const r = await session('198.18.1.0/24');
    await c.waitFor(() => c.routes.some((e) => e.prefix === '198.18.1.0/24'), 'the route before the cut');

    // Half a Route Monitoring message, then a TCP reset once the server has read those bytes.
    const from = c.frames.length;
    const peerEvents = () =>
      c
        .since(from, 'batch')
        .flatMap((b) => b.peers)
        .map((e) => [e.kind, e.peer.address, e.peer.state]);
    const cut = msg.announce(A, ['198.18.2.0/24'], [1, 2]);
    const readBefore = tcp.bytesIn;
    await r.send(cut.subarray(0, cut.length >> 1));
    await waitUntil(
      () => tcp.bytesIn >= readBefore + (cut.length >> 1),
      'the server to read the half message',
    );
    r.socket.resetAndDestroy();
    await c.waitFor(
      () => peerEvents().filter(([kind]) => kind === 'peer_unknown').length >= 2,
      'both peers unknown',
    );
    const routersAfterCut = c.since(from, 'batch').flatMap((b) => b.routers);
    expect(routersAfterCut.at(-1)).toMatchObject({
      kind: 'router_down',
      reason: 'connection error: ECONNRESET',
    });
    expect(peerEvents()).toEqual([
      ['peer_unknown', '192.0.2.11', 'unknown'],
      ['peer_unknown', '2001:db8::12', 'unknown'],
    ]);
    // The partial message was counted as truncated, and never decoded.
    await waitUntil(async () => (await truncated()) === errorsBefore + 1, 'the truncated message counted');
    const peers = (await (await fetch(`${t.url}/api/peers`)).json()) as { peers: { state: string }[] };
    expect(peers.peers.map((p) => p.state)).toEqual(['unknown', 'unknown']);

    // The router reconnects: a fresh session, Peer Ups decode cleanly, routes flow, nothing left over.
    const again = await session('198.18.3.0/24');
    await c.waitFor(() => c.routes.some((e) => e.prefix === '198.18.3.0/24'), 'a route after the reconnect');
    expect(c.routes.map((e) => e.prefix)).toEqual(['198.18.1.0/24', '198.18.3.0/24']);
    expect(peerEvents().slice(2)).toEqual([
      ['peer_up', '192.0.2.11', 'up'],
      ['peer_up', '2001:db8::12', 'up'],
    ]);
    expect(await truncated()).toBe(errorsBefore + 1);
    await again.close();
  });
});
