// What real OpenBMP collectors write, written the way they write it: kcat (librdkafka, the library of both
// RouteViews' collector and OpenBMP's obmp-collector) produces the real GoBGP lab capture into the real broker in
// every compression codec × both header forms. The server's counts, peers and filtered WebSocket events must equal
// what was produced. Then the failures: a codec the server lacks, a topic created after start.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BmpError, BmpFramer, decodeStream, routeElems } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { routerHash } from '@bmpwatch/demo-feed';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Filter, parseFilter } from '../../../src/fanout/filter.ts';
import { kafkaServerArgs } from '../../support/kafka-args.ts';
import { createTopics, kafkaClient } from '../../support/kafka-feed.ts';
import { type KcatCodec, kcatProduce } from '../../support/kcat.ts';
import { matchesSlow, type RouteFacts } from '../../support/reference-matcher.ts';
import { kafkaHealth, startTestServer, type TestServer, waitForKafkaOk } from '../../support/server.ts';
import { sharedKafka } from '../../support/shared-kafka.ts';
import { waitUntil } from '../../support/wait.ts';
import { type Frame, TestClient } from '../../support/ws-client.ts';

const FIXTURE = fileURLToPath(
  new URL('../../../../../packages/bmp/test/fixtures/lab-gobgp.bmp', import.meta.url),
);
const CODECS: KcatCodec[] = ['gzip', 'snappy', 'lz4', 'zstd'];
const FORMS = ['binary', 'text'] as const;
const run = `${process.pid}x${Date.now().toString(36)}`;
const prefix = `bmpwatch.collectors.${run}`;
/** Only IPv4 more-specifics of 10/8: a filter the server matches on the prefix alone, so the reference is exact. */
const PREFIX_FILTER = { prefixes: [{ prefix: '10.0.0.0/8', match: 'more' }] };

interface Combo {
  codec: KcatCodec;
  form: (typeof FORMS)[number];
  topic: string;
  routerIp: string;
}

const combos: Combo[] = CODECS.flatMap((codec, i) =>
  FORMS.map((form, j) => ({
    codec,
    form,
    topic: `${prefix}.${codec}.${form}.bmp_raw`,
    routerIp: `198.51.100.${10 + 2 * i + j}`,
  })),
);

/** The lab capture's raw BMP messages, in order. */
function labMessages(): Uint8Array[] {
  const f = new BmpFramer({ format: 'bmp' });
  f.push(new Uint8Array(readFileSync(FIXTURE)));
  const out: Uint8Array[] = [];
  while (f.next() === true) out.push(f.buffer.slice(f.start, f.end));
  return out;
}

/** What each route event of the capture is to a filter, for a router at `routerIp`. */
function labFacts(routerIp: string, sysName: string | null): RouteFacts[] {
  const facts: RouteFacts[] = [];
  for (const item of decodeStream(new Uint8Array(readFileSync(FIXTURE)))) {
    const m = item.message;
    if (m instanceof BmpError || m.type !== 'route_monitoring') continue;
    for (const e of routeElems(m, routerIp)) {
      const path = e.type === 'announce' ? (e.path as RouteFacts['path']) : null;
      const last = path?.[path.length - 1];
      facts.push({
        kind: e.type,
        prefix: e.prefix,
        originAsn: typeof last === 'number' ? last : null,
        path,
        peerAsn: e.peer_asn,
        peer: e.peer,
        router: routerIp,
        routerName: sysName,
        routerGroup: null,
      });
    }
  }
  return facts;
}

function sysNameOf(messages: Uint8Array[]): string | null {
  for (const item of decodeStream(messages[0])) {
    const m = item.message;
    if (!(m instanceof BmpError) && m.type === 'initiation')
      return m.information.find((t) => t.type === 2)?.value ?? null;
  }
  return null;
}

describe('real collectors: kcat × every codec × both OpenBMP header forms → server', () => {
  let brokers: string[];
  let kafka: Kafka;
  let server: TestServer;
  const clients: TestClient[] = [];
  const messages = labMessages();
  const sysName = sysNameOf(messages);

  beforeAll(async () => {
    brokers = await sharedKafka();
    kafka = kafkaClient(brokers);
    await createTopics(
      kafka,
      combos.map((c) => c.topic),
      2,
    );
    server = await startTestServer(
      kafkaServerArgs({
        brokers,
        topics: `/^${prefix.replace(/\./g, '\\.')}\\..+\\.bmp_raw$/`,
        group: `collectors-${run}`,
        topicRefreshS: 1,
      }),
    );
    await waitForKafkaOk(server, 'the Kafka source to join its group', 120_000, 100);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });

  it('reads every codec in both header forms: counts, peers, routers and filtered events equal what was produced', async () => {
    const want = new Map<string, string[]>();
    const subscribed = new Map<string, TestClient>();
    for (const c of combos) {
      const filter = { ...PREFIX_FILTER, routers: [c.routerIp] };
      const parsed = parseFilter(filter);
      if (!parsed.ok) throw new Error(parsed.message);
      want.set(
        c.topic,
        labFacts(c.routerIp, sysName)
          .filter((f) => matchesSlow(parsed.filter as Filter, f))
          .map((f) => `${f.kind} ${f.prefix} ${f.peer}`),
      );
      const client = await TestClient.connect(server.wsUrl);
      clients.push(client);
      expect((await client.subscribe(filter)).type).toBe('subscribed');
      subscribed.set(c.topic, client);
    }

    await Promise.all(
      combos.map((c) => {
        const key = Buffer.from(routerHash(c.routerIp), 'hex');
        const payloads = messages.map((bmp) => ({
          key,
          value: Buffer.from(
            wrapOpenBmp(bmp, {
              form: c.form,
              collectionTime: 1_700_000_000,
              adminId: 'lab-collector',
              routerHash: routerHash(c.routerIp),
              routerIp: c.routerIp,
              routerGroup: `group-${c.codec}`,
            }),
          ),
        }));
        return kcatProduce({
          brokers,
          topic: c.topic,
          compression: c.codec,
          count: payloads.length,
          at: (i) => payloads[i],
        });
      }),
    );

    const total = combos.length * messages.length;
    let consumed = 0;
    await waitUntil(
      async () => {
        consumed = (await health()).messages;
        return consumed >= total;
      },
      `${total} messages consumed`,
      120_000,
      200,
      () => `consumed ${consumed}`,
    );
    for (const c of combos) {
      const client = subscribed.get(c.topic)!;
      const expected = want.get(c.topic)!;
      await client.waitFor(() => client.routes.length >= expected.length, `${c.topic}: routes`, 60_000);
    }
    await new Promise((r) => setTimeout(r, 300));

    const h = await health();
    expect(h.errors).toBe(0);
    expect(h.decode_error_rate).toBe(0);
    const key = (e: Frame) => `${e.kind} ${e.prefix} ${e.peer}`;
    const routers = (await server.server.app.inject('/api/routers')).json().routers as Frame[];
    const peers = (await server.server.app.inject('/api/peers')).json().peers as Frame[];
    const reference = labFacts('x', null);
    for (const c of combos) {
      const got = subscribed.get(c.topic)!.routes.map(key);
      expect(got, `${c.codec}/${c.form}: filtered events`).toEqual(want.get(c.topic));
      expect(got.length).toBeGreaterThan(1000);
      // The router, by its OpenBMP identity: the text form carries no collector name or group.
      expect(routers.find((r) => r.id === c.routerIp)).toMatchObject({
        name: sysName,
        source: 'kafka',
        collector: c.form === 'binary' ? 'lab-collector' : null,
        group: c.form === 'binary' ? `group-${c.codec}` : null,
      });
      // Every peer of the capture, with its route counts.
      const mine = peers.filter((p) => p.router === c.routerIp);
      const byPeer = new Map<string, { a: number; w: number }>();
      for (const f of reference) {
        const n = byPeer.get(f.peer) ?? { a: 0, w: 0 };
        if (f.kind === 'announce') n.a++;
        else n.w++;
        byPeer.set(f.peer, n);
      }
      expect(
        Object.fromEntries(mine.map((p) => [p.address, { a: p.announcements, w: p.withdrawals }])),
        `${c.codec}/${c.form}: peers`,
      ).toEqual(Object.fromEntries(byPeer));
    }
    // The group is a name the routers filter understands.
    const byGroup = await TestClient.connect(server.wsUrl);
    clients.push(byGroup);
    expect((await byGroup.subscribe({ routers: ['group-lz4'] })).type).toBe('subscribed');
  }, 600_000);

  async function health() {
    const res = await server.server.app.inject('/api/health');
    return res.json().sources.find((s: Frame) => s.id === 'kafka') as Frame;
  }
});

describe('Kafka failures say why', () => {
  let brokers: string[];
  let kafka: Kafka;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    brokers = await sharedKafka();
    kafka = kafkaClient(brokers);
  }, 600_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('a codec the server lacks: the reason in health (not ok, 503) and metrics within seconds, with back-off', async () => {
    const topic = `${prefix}.nolz4.bmp_raw`;
    await createTopics(kafka, [topic], 1);
    const key = Buffer.from(routerHash('198.51.100.99'), 'hex');
    const bmp = labMessages().slice(0, 50);
    await kcatProduce({
      brokers,
      topic,
      compression: 'lz4',
      count: bmp.length,
      at: (i) => ({
        key,
        value: Buffer.from(
          wrapOpenBmp(bmp[i], { form: 'text', collectionTime: 1, adminId: '', routerIp: '198.51.100.99' }),
        ),
      }),
    });
    const t = await startTestServer([
      ...kafkaServerArgs({ brokers, topics: topic, group: `nolz4-${run}` }),
      '--kafka-disable-codecs',
      'lz4',
    ]);
    servers.push(t);
    const seen = await waitUntil(
      async () => {
        const s = (await t.server.app.inject('/api/health')).json().sources[0];
        return s.failure?.kind === 'codec' ? s : undefined;
      },
      'the codec failure in /api/health',
      30_000,
      100,
    );
    expect(seen.status).toBe('error');
    expect(seen.detail).toMatch(/cannot decompress the batches: lz4 compression is disabled/);
    expect(seen.failure).toMatchObject({ kind: 'codec', failures: expect.any(Number) });
    expect((await t.server.app.inject('/api/health/ready')).statusCode).toBe(503);
    const first = seen.failure.failures as number;
    // Back-off (1 s, 2 s, 4 s, …): a few attempts in 6 s, where kafkajs alone restarted hundreds of times.
    await new Promise((r) => setTimeout(r, 6000));
    const later = (await t.server.app.inject('/api/health')).json().sources[0];
    expect(later.status).toBe('error');
    expect(later.failure.failures - first).toBeLessThanOrEqual(3);
    const metrics = (await t.server.app.inject('/metrics')).body;
    expect(metrics).toMatch(/bmpwatch_kafka_failures_total\{kind="codec"\} [1-9]/);
    expect(metrics).toMatch(/bmpwatch_source_up\{source="kafka"\} 0/);
    expect(later.messages).toBe(0);
  }, 120_000);

  it('a plain topic list: says which topic is missing, and reads it within seconds once it exists', async () => {
    const present = `${prefix}.present.bmp_raw`;
    const late = `${prefix}.late.bmp_raw`;
    await createTopics(kafka, [present], 1);
    // The default metadata refresh (2 s): what an operator gets without tuning.
    const t = await startTestServer([
      '--no-bmp',
      '--kafka-brokers',
      brokers.join(','),
      '--kafka-topics',
      `${present},${late}`,
      '--kafka-start',
      'earliest',
      '--kafka-group',
      `late-${run}`,
    ]);
    servers.push(t);
    await waitForKafkaOk(t, 'the Kafka source on the present topic', 60_000, 100);
    expect((await kafkaHealth(t)).detail).toMatch(
      new RegExp(`not on the broker: ${late.replace(/\./g, '\\.')}`),
    );
    const c = await TestClient.connect(t.wsUrl);
    await c.subscribe({});
    await createTopics(kafka, [late], 1);
    const created = Date.now();
    const key = Buffer.from(routerHash('198.51.100.98'), 'hex');
    const bmp = labMessages().slice(0, 200);
    await kcatProduce({
      brokers,
      topic: late,
      compression: 'snappy',
      count: bmp.length,
      at: (i) => ({
        key,
        value: Buffer.from(
          wrapOpenBmp(bmp[i], { collectionTime: 1, adminId: 'x', routerIp: '198.51.100.98' }),
        ),
      }),
    });
    await c.waitFor(() => c.routes.length > 0, 'routes from the topic created after start', 60_000);
    // Measured, not asserted to the second (a loaded machine is slower): the refresh is every 2 s, then the
    // consumer rejoins its group.
    process.stdout.write(
      `late topic: first route ${((Date.now() - created) / 1000).toFixed(1)} s after creation\n`,
    );
    expect((await kafkaHealth(t)).detail).not.toMatch(/not on the broker/);
    await c.close();
  }, 120_000);
});
