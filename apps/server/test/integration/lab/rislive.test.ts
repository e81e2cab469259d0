// Acceptance: RIS Live clients written from the RIS Live manual subscribe with prefix / path / type filters
// and get exactly the matching messages from a real GoBGP + ExaBGP feed, in RIS Live's field names and types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectedRoute } from '../../../../../lab/feed.ts';
import { type Lab, labUnavailableReason, startLab } from '../../../../../lab/lab.ts';
import { covers, keyOf } from '../../../src/prefix/prefix-key.ts';
import { RisLiveClient } from '../../support/ris-live-client.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

const unavailable = labUnavailableReason();
const LAB_NAME = 'srv-rislive';
const HOST = `bmpwatch-lab-${LAB_NAME}`;
const SPEAKER_ADDRESS: Record<string, string> = { A: '127.0.0.11', B: '127.0.0.12' };
const RANGE = keyOf('100.64.0.0/10')!;
const ORIGIN = 64501;

/** An injected route's AS path the way RIS Live writes it: ASNs, an AS_SET as a nested array. */
function risPath(r: InjectedRoute): (number | number[])[] {
  return r.asPath
    .split(' ')
    .map((w) => (w.startsWith('{') ? w.slice(1, -1).split(',').map(Number) : Number(w)));
}

const key = (peer: string, prefix: string) => `${peer} ${prefix}`;
// biome-ignore lint/suspicious/noExplicitAny: ris_message data
const announced = (msgs: any[]) =>
  new Set(
    msgs.flatMap((m) =>
      m.announcements.flatMap((a: { prefixes: string[] }) => a.prefixes.map((p) => key(m.peer, p))),
    ),
  );

describe.skipIf(unavailable !== undefined)('RIS Live endpoint fed by GoBGP + ExaBGP', () => {
  let t: TestServer;
  let lab: Lab;
  let injected: InjectedRoute[];
  let byPrefix: RisLiveClient;
  let byOrigin: RisLiveClient;
  let byFirstHop: RisLiveClient;
  let peerStates: RisLiveClient;
  let withdrawals: RisLiveClient;

  beforeAll(async () => {
    t = await startTestServer(['--bmp-host', '0.0.0.0']);
    byPrefix = await RisLiveClient.connect(t.url);
    byOrigin = await RisLiveClient.connect(t.url);
    byFirstHop = await RisLiveClient.connect(t.url);
    peerStates = await RisLiveClient.connect(t.url);
    withdrawals = await RisLiveClient.connect(t.url);
    await byPrefix.subscribe({
      type: 'UPDATE',
      prefix: '100.64.0.0/10',
      socketOptions: { includeRaw: true },
    });
    await byOrigin.subscribe({ path: `${ORIGIN}$` });
    await byFirstHop.subscribe({ path: '^65012', require: 'announcements' });
    await peerStates.subscribe({ type: 'RIS_PEER_STATE' });
    await withdrawals.subscribe({ require: 'withdrawals', host: HOST });
    lab = await startLab({
      name: LAB_NAME,
      collector: { host: '0.0.0.0', port: t.bmpPort },
      routeMonitoringPolicy: 'pre',
      feed: { size: 300 },
    });
    await lab.waitEstablished(30_000);
    await lab.waitConverged(60_000);
    injected = await lab.injected();
  }, 180_000);

  afterAll(async () => {
    await lab?.stop();
    for (const c of [byPrefix, byOrigin, byFirstHop, peerStates, withdrawals]) await c?.close();
    await t?.close();
  }, 60_000);

  it('prefix filter: every route inside 100.64.0.0/10, and only UPDATEs that carry one', async () => {
    const inside = injected.filter((r) => r.family === 'ipv4' && covers(RANGE, keyOf(r.prefix)!));
    expect(inside.length).toBeGreaterThan(10);
    const want = new Set(inside.map((r) => key(SPEAKER_ADDRESS[r.speaker], r.prefix)));
    await byPrefix.waitFor(
      () => announced(byPrefix.messages()).size >= want.size,
      `${want.size} routes`,
      30_000,
    );
    const got = byPrefix.messages();
    const gotInside = [...announced(got)].filter((k) => covers(RANGE, keyOf(k.split(' ')[1])!));
    expect(gotInside.sort()).toEqual([...want].sort());
    for (const m of got) {
      expect(m.type).toBe('UPDATE');
      const prefixes = [
        ...m.withdrawals,
        ...m.announcements.flatMap((a: { prefixes: string[] }) => a.prefixes),
      ];
      expect(prefixes.some((p: string) => p.includes('.') && covers(RANGE, keyOf(p)!))).toBe(true);
    }
  });

  it("writes RIS Live's field names and types", () => {
    const route = injected.find(
      (r) => r.speaker === 'B' && r.family === 'ipv4' && covers(RANGE, keyOf(r.prefix)!),
    )!;
    const m = byPrefix
      .messages()
      .find(
        (x) =>
          x.peer === '127.0.0.12' &&
          x.announcements.some((a: { prefixes: string[] }) => a.prefixes.includes(route.prefix)),
      );
    expect(Object.keys(m).slice(0, 6)).toEqual(['timestamp', 'peer', 'peer_asn', 'id', 'host', 'type']);
    expect(m).toMatchObject({
      peer: '127.0.0.12',
      peer_asn: '65012',
      host: HOST,
      type: 'UPDATE',
      path: risPath(route),
      community: route.communities.map((c) => c.split(':').map(Number)),
      origin: route.origin.toUpperCase(),
      withdrawals: [],
    });
    expect(typeof m.timestamp).toBe('number');
    expect(m.timestamp).toBeGreaterThan(1.7e9);
    expect(typeof m.id).toBe('string');
    expect(m.announcements).toContainEqual({
      next_hop: route.nextHop,
      prefixes: expect.arrayContaining([route.prefix]),
    });
    if (route.med === null) expect(m.med).toBeUndefined();
    else expect(m.med).toBe(route.med);
    expect(m.aggregator ?? null).toBe(route.aggregator);
    expect(m.raw).toMatch(/^F{32}[0-9A-F]+$/);
    // AS_SETs come nested, as RIS Live writes them.
    const withSet = injected.find(
      (r) => r.asPath.includes('{') && covers(RANGE, keyOf(r.prefix)!) && r.family === 'ipv4',
    );
    if (withSet !== undefined) {
      const s = byPrefix.messages().find((x) => JSON.stringify(x.path) === JSON.stringify(risPath(withSet)));
      expect(s?.path.at(-1)).toEqual(expect.any(Array));
    }
  });

  it('path filters: "64501$" gets exactly the routes originated by AS64501, "^65012" exactly those of B', async () => {
    const origin = new Set(
      injected.filter((r) => r.originAsn === ORIGIN).map((r) => key(SPEAKER_ADDRESS[r.speaker], r.prefix)),
    );
    const fromB = new Set(injected.filter((r) => r.speaker === 'B').map((r) => key('127.0.0.12', r.prefix)));
    expect(origin.size).toBeGreaterThan(3);
    await byOrigin.waitFor(() => announced(byOrigin.messages()).size >= origin.size, 'origin routes', 30_000);
    await byFirstHop.waitFor(
      () => announced(byFirstHop.messages()).size >= fromB.size,
      'routes of B',
      30_000,
    );
    expect([...announced(byOrigin.messages())].sort()).toEqual([...origin].sort());
    expect(byOrigin.messages().every((m) => m.path.at(-1) === ORIGIN)).toBe(true);
    expect([...announced(byFirstHop.messages())].sort()).toEqual([...fromB].sort());
    expect(byFirstHop.messages().every((m) => m.path[0] === 65012 && m.announcements.length > 0)).toBe(true);
  });

  it('type filter: RIS_PEER_STATE only, for sessions going up, down and up again', async () => {
    const states = (peer: string) =>
      peerStates
        .messages()
        .filter((m) => m.peer === peer)
        .map((m) => m.state);
    await peerStates.waitFor(() => states('127.0.0.12').includes('up'), 'B up');
    expect(states('127.0.0.11')).toEqual(['connected', 'up']);
    expect(states('127.0.0.12')).toEqual(['connected', 'up']);
    await lab.disableNeighbor('B');
    await peerStates.waitFor(() => states('127.0.0.12').includes('down'), 'B down');
    await lab.enableNeighbor('B');
    await lab.waitEstablished(30_000);
    await peerStates.waitFor(
      () => states('127.0.0.12').slice(3).join() === 'connected,up',
      'B connected and up again',
      30_000,
    );
    expect(states('127.0.0.12')).toEqual(['connected', 'up', 'down', 'connected', 'up']);
    for (const m of peerStates.frames.filter((f) => f.type === 'ris_message')) {
      expect(Object.keys(m.data).sort()).toEqual([
        'host',
        'id',
        'peer',
        'peer_asn',
        'state',
        'timestamp',
        'type',
      ]);
      expect(m.data).toMatchObject({ type: 'RIS_PEER_STATE', host: HOST, peer_asn: expect.any(String) });
    }
  });

  it('require "withdrawals": only UPDATEs that withdraw, including every route the churn took away', async () => {
    const before = await lab.injected();
    await lab.churn(20);
    const after = new Set((await lab.injected()).map((r) => key(SPEAKER_ADDRESS[r.speaker], r.prefix)));
    const gone = before.map((r) => key(SPEAKER_ADDRESS[r.speaker], r.prefix)).filter((k) => !after.has(k));
    const withdrawn = () =>
      new Set(withdrawals.messages().flatMap((m) => m.withdrawals.map((p: string) => key(m.peer, p))));
    await withdrawals.waitFor(
      () => gone.every((k) => withdrawn().has(k)),
      `${gone.length} withdrawals`,
      30_000,
    );
    expect(withdrawals.messages().every((m) => m.type === 'UPDATE' && m.withdrawals.length > 0)).toBe(true);
  });
});
