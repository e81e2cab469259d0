// OpenBMP through a real Kafka broker into two server replicas (distinct consumer groups), and out to WebSocket
// clients whose filters must receive exactly what the reference matcher says — nothing more, nothing less.
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Filter, parseFilter } from '../../../src/fanout/filter.ts';
import { msg } from '../../support/bmp-router.ts';
import { kafkaServerArgs } from '../../support/kafka-args.ts';
import { createTopics, dataset, kafkaClient, openBmp, PEER_V4, produce } from '../../support/kafka-feed.ts';
import { matchesSlow } from '../../support/reference-matcher.ts';
import { startTestServer, type TestServer, waitForKafkaOk } from '../../support/server.ts';
import { sharedKafka } from '../../support/shared-kafka.ts';
import { type Frame, TestClient } from '../../support/ws-client.ts';

const run = `${process.pid}x${Date.now().toString(36)}`;
const prefix = `bmpwatch.test.${run}`;
const topicPattern = `/^bmpwatch\\.test\\.${run}\\..+\\.bmp_raw$/`;

const FILTERS: Record<string, unknown> = {
  all: {},
  moreSpecific: { prefixes: [{ prefix: '10.0.0.0/9', match: 'more' }] },
  lessAndExact: {
    prefixes: [
      { prefix: '10.200.64.0/24', match: 'less' },
      { prefix: '2001:db8:3::/48', match: 'exact' },
    ],
  },
  origins: { origin_asns: [64501, 64503] },
  transit: { path_asns: [3356], kinds: ['announce'] },
  v6peer: { peer_asns: [65012] },
  withdrawalsOfOnePeer: { peers: ['192.0.2.11'], kinds: ['withdraw'] },
  bySysName: { routers: ['kafka-r1'], prefixes: ['10.100.0.0/16'] },
  nothing: { origin_asns: [1] },
};

describe('Kafka (OpenBMP) → server → WebSocket', () => {
  let kafka: Kafka;
  let a: TestServer;
  let b: TestServer;
  const clients: TestClient[] = [];
  const connect = async (t: TestServer) => {
    const c = await TestClient.connect(t.wsUrl);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const brokers = await sharedKafka();
    kafka = kafkaClient(brokers);
    await createTopics(kafka, [`${prefix}.c1.bmp_raw`]);
    const args = (group: string) =>
      kafkaServerArgs({ brokers, topics: topicPattern, group, topicRefreshS: 1 });
    [a, b] = await Promise.all([
      startTestServer(args(`test-${run}-a`)),
      startTestServer(args(`test-${run}-b`)),
    ]);
    await Promise.all([waitReady(a), waitReady(b)]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.close(), b?.close()]);
  });

  function waitReady(t: TestServer) {
    return waitForKafkaOk(t, 'the Kafka source to join its group', 120_000, 100);
  }

  it('delivers exactly the route events each filter asks for, to both replicas', async () => {
    const data = dataset('10.0.0.1', 'kafka-r1', 400, 11);
    const subscribed: Record<string, TestClient> = {};
    for (const [name, f] of Object.entries(FILTERS)) {
      subscribed[name] = await connect(a);
      const reply = await subscribed[name].subscribe(f, name);
      expect(reply.type).toBe('subscribed');
    }
    const replica = await connect(b);
    await replica.subscribe({});

    await produce(kafka, `${prefix}.c1.bmp_raw`, data.routerIp, data.payloads);

    const total = data.facts.length;
    await subscribed.all.waitFor(
      () => subscribed.all.routes.length >= total,
      `${total} route events at A`,
      60_000,
    );
    await replica.waitFor(() => replica.routes.length >= total, `${total} route events at replica B`, 60_000);
    // Everything for the other filters was in the same or earlier batches; one more flush for good measure.
    await new Promise((r) => setTimeout(r, 300));

    const key = (e: Frame) => `${e.kind} ${e.prefix} ${e.peer}`;
    for (const [name, raw] of Object.entries(FILTERS)) {
      const parsed = parseFilter(raw);
      if (!parsed.ok) throw new Error(parsed.message);
      const want = data.facts
        .filter((f) => matchesSlow(parsed.filter as Filter, f))
        .map((f) => `${f.kind} ${f.prefix} ${f.peer}`);
      const got = subscribed[name].routes.map(key);
      expect(got, `filter ${name}`).toEqual(want);
      if (name !== 'nothing' && name !== 'all')
        expect(want.length, `filter ${name} matches something`).toBeGreaterThan(0);
    }
    expect(replica.routes.map(key)).toEqual(subscribed.all.routes.map(key));
    // Each replica's state saw the router by its OpenBMP identity.
    const routers = (await a.server.app.inject('/api/routers')).json().routers;
    expect(routers).toEqual([
      expect.objectContaining({
        id: '10.0.0.1',
        name: 'kafka-r1',
        source: 'kafka',
        collector: 'test-collector',
        state: 'up',
      }),
    ]);
    const events = subscribed.all.routes;
    expect(events.find((e) => e.kind === 'announce')).toMatchObject({
      router: '10.0.0.1',
      peer_type: 'global',
    });
    const metrics = (await a.server.app.inject('/metrics')).body;
    expect(metrics).toMatch(
      new RegExp(
        `bmpwatch_kafka_lag\\{topic="${prefix.replace(/\./g, '\\.')}\\.c1\\.bmp_raw",partition="\\d"\\} 0`,
      ),
    );
  });

  it('counts and skips malformed payloads without stopping the stream', async () => {
    const c = await connect(a);
    await c.subscribe({ prefixes: ['172.16.0.0/12'] });
    const good = (p: string) => openBmp(msg.announce(PEER_V4, [p], [4200000001, 64500]), '10.0.0.1');
    const truncated = good('172.16.99.0/24').subarray(0, 90);
    const brokenBgp = good('172.16.98.0/24');
    brokenBgp[brokenBgp.length - 60] ^= 0xff; // inside the BGP marker or attributes
    const brokenMarker = good('172.16.97.0/24');
    brokenMarker[openBmpHeaderLength(brokenMarker) + 6 + 42] = 0; // first byte of the BGP marker
    await produce(kafka, `${prefix}.c1.bmp_raw`, '10.0.0.1', [
      good('172.16.1.0/24'),
      new Uint8Array([1, 2, 3, 4, 5]),
      new TextEncoder().encode('V: 1.7\nC_HASH_ID: abc\n\n'),
      truncated,
      brokenMarker,
      null,
      good('172.16.2.0/24'),
    ]);
    await c.waitFor(() => c.routes.length >= 2, 'both good routes');
    expect(c.routes.map((e) => e.prefix)).toEqual(['172.16.1.0/24', '172.16.2.0/24']);
    const metrics = (await a.server.app.inject('/metrics')).body;
    for (const code of ['OBMP_ERR_MAGIC', 'OBMP_ERR_TEXT_HEADER', 'BMP_ERR_TRUNCATED', 'BGP_ERR_MARKER'])
      expect(metrics).toMatch(
        new RegExp(`bmpwatch_decode_errors_total\\{source="kafka",code="${code}"\\} [1-9]`),
      );
    expect(brokenBgp.length).toBeGreaterThan(0);
  });

  it('picks up a new topic matching the pattern', async () => {
    const c = await connect(a);
    await c.subscribe({ routers: ['10.0.0.2'] });
    await createTopics(kafka, [`${prefix}.c2.bmp_raw`, `${prefix}.c2.other`], 1);
    const data = dataset('10.0.0.2', 'kafka-r2', 20, 5);
    await produce(kafka, `${prefix}.c2.bmp_raw`, '10.0.0.2', data.payloads);
    await c.waitFor(() => c.routes.length >= data.facts.length, 'routes from the new topic', 60_000);
    expect(c.routes.every((e) => e.router === '10.0.0.2')).toBe(true);
    const health = (await a.server.app.inject('/api/health')).json();
    expect(health.sources[0]).toMatchObject({ id: 'kafka', status: 'ok' });
    expect(health.sources[0].detail).toMatch(/^2 topics, lag \d+$/);
  });
});

function openBmpHeaderLength(b: Uint8Array): number {
  return (b[6] << 8) | b[7];
}
