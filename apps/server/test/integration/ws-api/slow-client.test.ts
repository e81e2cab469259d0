// A client that stops reading gets "dropped" notices and bounded memory; a fast client alongside misses nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msg, type TestPeer, TestRouter } from '../../support/bmp-router.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { TestClient } from '../../support/ws-client.ts';

const A: TestPeer = { address: '192.0.2.21', asn: 65021, bgpId: '192.0.2.21' };
const MESSAGES = 5000;
const PER_MESSAGE = 20;
const EVENTS = MESSAGES * PER_MESSAGE;

describe('slow and fast clients', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer([
      '--ws-queue-bytes',
      String(1024 * 1024),
      '--ws-max-buffered',
      String(256 * 1024),
    ]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('drops for the slow client only, and tells it how many', async () => {
    const fast = await TestClient.connect(t.wsUrl);
    const slow = await TestClient.connect(t.wsUrl);
    await fast.subscribe({});
    await slow.subscribe({});
    // The slow client stops reading: its socket's receive buffer fills, then the server's send buffer.
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();

    const r = await TestRouter.connect(t.bmpPort);
    await r.send(msg.initiation('bulk'), msg.peerUp(A));
    // Paced by the fast client (a chunk is ~0.6 MB of events, under its 1 MiB queue): it must never drop.
    const CHUNK = 100;
    for (let m = 0; m < MESSAGES; m += CHUNK) {
      const chunk: Uint8Array[] = [];
      for (let k = m; k < m + CHUNK; k++) {
        const prefixes = [];
        for (let i = 0; i < PER_MESSAGE; i++) prefixes.push(`10.${k >> 8}.${k & 255}.${i * 8}/29`);
        chunk.push(msg.announce(A, prefixes, [65021, 64500 + (k % 7)]));
      }
      await r.send(...chunk);
      const want = (m + CHUNK) * PER_MESSAGE;
      await fast.waitFor(() => fast.routes.length >= want, `${want} events at the fast client`);
    }
    await fast.waitFor(() => fast.routes.length >= EVENTS, `all ${EVENTS} events at the fast client`, 60_000);
    expect(fast.routes).toHaveLength(EVENTS);
    expect(fast.dropped).toBe(0);
    // Server memory for the slow client is bounded by its queue plus the socket cap, whatever it missed.
    const slowSide = [...t.server.hub.clients].find((c) => c.id === 2)!;
    expect(slowSide.queuedBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(slowSide.droppedTotal).toBeGreaterThan(0);

    socket.resume();
    await slow.waitFor(
      () => slow.routes.length + slow.dropped === EVENTS,
      'the slow client to account for every event',
      60_000,
    );
    expect(slow.droppedFrames).toBeGreaterThan(0);
    expect(slow.dropped).toBeGreaterThan(0);
    expect(slow.routes.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(Number(/bmpwatch_ws_dropped_total (\d+)/.exec(metrics)?.[1])).toBe(slow.dropped);
    await r.close();
    await fast.close();
    await slow.close();
  }, 120_000);

  it('closes a client that stays stalled past --ws-stall-seconds, telling it why first', async () => {
    const stalled = await startTestServer([
      '--ws-max-buffered',
      String(64 * 1024),
      '--ws-stall-seconds',
      '2',
    ]);
    try {
      const c = await TestClient.connect(stalled.wsUrl);
      await c.subscribe({});
      const codes: number[] = [];
      c.ws.on('close', (code) => codes.push(code));
      const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      socket.pause();
      const r = await TestRouter.connect(stalled.bmpPort);
      await r.send(msg.initiation('stall'), msg.peerUp(A));
      const server = () => [...stalled.server.hub.clients][0];
      for (let k = 0; !server()?.closedAsSlow; k++) {
        const prefixes: string[] = [];
        for (let i = 0; i < PER_MESSAGE; i++) prefixes.push(`10.${(k >> 8) & 255}.${k & 255}.${i * 8}/29`);
        await r.send(...Array.from({ length: 50 }, () => msg.announce(A, prefixes, [65021, 64500])));
        await new Promise((res) => setTimeout(res, 20));
        if (k > 2000) throw new Error('the stalled client was never closed');
      }
      // It reads again within the 5 s grace: the error frame, then the close with 4001.
      socket.resume();
      await c.waitFor(() => c.closed, 'the close', 30_000);
      // It never had room for a dropped notice: the error says how many it missed.
      expect(c.errors.at(-1)).toMatchObject({
        code: 'WS_ERR_SLOW_CLIENT',
        message: expect.stringMatching(/; [1-9]\d* route events dropped; closing$/),
      });
      expect(codes).toEqual([4001]);
      const metrics = await (await fetch(`${stalled.url}/metrics`)).text();
      expect(metrics).toMatch(/bmpwatch_ws_slow_closed_total 1\b/);
      await r.close();
    } finally {
      await stalled.close();
    }
  }, 120_000);
});
