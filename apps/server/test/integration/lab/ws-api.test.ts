// A real router: GoBGP in the lab (lab/lab.ts) sends BMP to our listener. Its peers' routes reach a client, and
// `gobgp neighbor … disable` / `enable` reach it as peer down / up; `gobgp bmp del` ends the session.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, labUnavailableReason, startLab } from '../../../../../lab/lab.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';
import { waitUntil } from '../../support/wait.ts';
import { TestClient } from '../../support/ws-client.ts';

const unavailable = labUnavailableReason();
// Lab names must be unique per test file, so files can run in parallel.
const LAB_NAME = 'srv-lab-it';

/** Resets the server's end of every BMP session (RST to the router); returns how many there were. */
function cutBmpSessions(t: TestServer): number {
  const source = t.server.sources.find((s) => s.kind === 'bmp-tcp');
  // The listener's sockets are private: a test reaches in rather than the source growing a test-only API.
  const sockets = (source as unknown as { sockets: Set<Socket> }).sockets;
  for (const s of sockets) s.resetAndDestroy();
  return sockets.size;
}

describe.skipIf(unavailable !== undefined)('GoBGP lab → BMP listener → WebSocket', () => {
  let t: TestServer;
  let lab: Lab;
  let peersOnly: TestClient;
  let peerB: TestClient;

  beforeAll(async () => {
    t = await startTestServer(['--bmp-host', '0.0.0.0']);
    peersOnly = await TestClient.connect(t.wsUrl);
    await peersOnly.subscribe({ kinds: ['peer'] });
    peerB = await TestClient.connect(t.wsUrl);
    await peerB.subscribe({ peer_asns: [65012], kinds: ['announce'] });
    lab = await startLab({
      name: LAB_NAME,
      collector: { host: '0.0.0.0', port: t.bmpPort },
      feed: { size: 300 },
    });
    await lab.waitEstablished(30_000);
    await lab.waitConverged(60_000);
  }, 180_000);

  afterAll(async () => {
    await lab?.stop();
    await peersOnly?.close();
    await peerB?.close();
    await t?.close();
  }, 60_000);

  it('shows the router and its peers, and every route speaker B announced', async () => {
    const routerId = lab.network.nsAddress;
    await peersOnly.waitFor(
      () => peersOnly.peers.filter((e) => e.kind === 'peer_up').length >= 2,
      'peer ups for A and B',
    );
    const routers = (await t.server.app.inject('/api/routers')).json().routers;
    expect(routers).toEqual([
      expect.objectContaining({
        id: routerId,
        source: 'bmp-tcp',
        state: 'up',
        name: `bmpwatch-lab-${LAB_NAME}`,
      }),
    ]);
    const injected = (await lab.injected()).filter((r) => r.speaker === 'B');
    const want = new Set(injected.map((r) => r.prefix));
    // Pre-policy Adj-RIB-In of B: every announced prefix, whatever the import policy then does.
    const preB = () =>
      new Set(peerB.routes.filter((e) => !e.post_policy && e.peer_type === 'global').map((e) => e.prefix));
    await peerB.waitFor(() => preB().size >= want.size, `${want.size} pre-policy routes of B`, 30_000);
    expect([...preB()].sort()).toEqual([...want].sort());
    const b = injected[0];
    const event = peerB.routes.find((e) => e.prefix === b.prefix && !e.post_policy);
    expect(event).toMatchObject({
      router: routerId,
      peer: '127.0.0.12',
      peer_asn: 65012,
      origin: b.origin,
      origin_asn: b.originAsn,
    });
    const peers = (await t.server.app.inject(`/api/peers?router=${routerId}`)).json().peers;
    expect(peers.find((p: { address: string }) => p.address === '127.0.0.12')).toMatchObject({
      state: 'up',
      asn: 65012,
    });
  });

  it('reports neighbor disable / enable as peer down / up', async () => {
    const mark = peersOnly.frames.length;
    await lab.disableNeighbor('B');
    const down = await peersOnly.waitFor(
      () =>
        peersOnly
          .since(mark, 'batch')
          .flatMap((f) => f.peers)
          .find((e) => e.kind === 'peer_down' && e.peer.address === '127.0.0.12'),
      'peer_down for B',
    );
    expect(down.peer).toMatchObject({ state: 'down', flaps: 1, asn: 65012 });
    expect(down.reason).toMatch(/notification|fsm/);
    const mark2 = peersOnly.frames.length;
    await lab.enableNeighbor('B');
    await lab.waitEstablished(30_000);
    const up = await peersOnly.waitFor(
      () =>
        peersOnly
          .since(mark2, 'batch')
          .flatMap((f) => f.peers)
          .find((e) => e.kind === 'peer_up' && e.peer.address === '127.0.0.12'),
      'peer_up for B',
      30_000,
    );
    expect(up.peer).toMatchObject({ state: 'up', flaps: 1 });
    expect(up.peer.open).toMatchObject({ four_octet_as: false });
  });

  it('survives its BMP session being cut mid-stream: peers unknown, then a clean reconnect by GoBGP', async () => {
    const routerId = lab.network.nsAddress;
    const mark = peersOnly.frames.length;
    const peerEvents = () =>
      peersOnly
        .since(mark, 'batch')
        .flatMap((f) => f.peers)
        .filter((e) => e.peer.router === routerId);
    const errors = async () =>
      (await t.server.app.inject('/metrics')).body
        .split('\n')
        .filter(
          (l) => l.startsWith('bmpwatch_decode_errors_total{source="bmp-tcp"') && !l.includes('TRUNCATED'),
        );
    const errorsBefore = await errors();
    // Churn keeps BMP flowing while the server resets its end of the session (RST to GoBGP), so the cut is
    // likely to fall inside a message; whatever partial message there was is dropped as truncated. (ss -K from
    // outside sometimes destroyed a socket without the server or GoBGP noticing within 30 s on a loaded machine.)
    const churn = lab.churn(100);
    await waitUntil(
      () => cutBmpSessions(t) > 0 || undefined,
      'the BMP session to be cut (no router connected)',
      20_000,
      250,
    );
    await churn;
    await peersOnly.waitFor(
      () => peerEvents().filter((e) => e.kind === 'peer_unknown').length >= 2,
      'peers unknown after the cut',
      30_000,
    );
    // GoBGP reconnects on its own: Initiation, Peer Ups for both neighbors, its RIB again.
    await peersOnly.waitFor(
      () =>
        new Set(
          peerEvents()
            .filter((e) => e.kind === 'peer_up')
            .map((e) => e.peer.address),
        ).size >= 2,
      'peer ups after GoBGP reconnected',
      120_000,
    );
    const peers = (await t.server.app.inject(`/api/peers?router=${routerId}`)).json().peers as {
      state: string;
    }[];
    expect(peers.length).toBeGreaterThanOrEqual(2);
    expect(peers.every((p) => p.state === 'up')).toBe(true);
    // Nothing of the cut session was decoded as garbage: only a truncation may have been counted.
    expect(await errors()).toEqual(errorsBefore);
  });

  it('ends with the router down and its peers unknown after a BMP Termination', async () => {
    await lab.bmpDel();
    await peersOnly.waitFor(() => peersOnly.routers.some((e) => e.kind === 'router_down'), 'router_down');
    await peersOnly.waitFor(
      () => peersOnly.peers.filter((e) => e.kind === 'peer_unknown').length >= 2,
      'peers unknown',
    );
    const peers = (await t.server.app.inject('/api/peers')).json().peers as {
      state: string;
      address: string;
    }[];
    expect(peers.filter((p) => p.address.startsWith('127.0.0.')).every((p) => p.state === 'unknown')).toBe(
      true,
    );
  });
});
