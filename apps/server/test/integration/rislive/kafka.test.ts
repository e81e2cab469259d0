// OpenBMP through a real Kafka broker to RIS Live clients (the way a RouteViews feed reaches them): exactly the
// UPDATEs their prefix and path subscriptions select, named by the OpenBMP collector.
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { covers, keyOf } from '../../../src/prefix/prefix-key.ts';
import { kafkaServerArgs } from '../../support/kafka-args.ts';
import { createTopics, dataset, kafkaClient, produce } from '../../support/kafka-feed.ts';
import type { RouteFacts } from '../../support/reference-matcher.ts';
import { RisLiveClient } from '../../support/ris-live-client.ts';
import { startTestServer, type TestServer, waitForKafkaOk } from '../../support/server.ts';
import { sharedKafka } from '../../support/shared-kafka.ts';

const run = `${process.pid}r${Date.now().toString(36)}`;
const topic = `bmpwatch.test.${run}.rislive.bmp_raw`;
const RANGE = keyOf('10.0.0.0/9')!;

// biome-ignore lint/suspicious/noExplicitAny: ris_message data
type Msg = any;
/** Route events a ris_message stands for, as "kind prefix peer". */
const events = (m: Msg): string[] => [
  ...m.withdrawals.map((p: string) => `withdraw ${p} ${m.peer}`),
  ...m.announcements.flatMap((a: { prefixes: string[] }) => a.prefixes.map((p) => `announce ${p} ${m.peer}`)),
];
const text = (f: RouteFacts) => `${f.kind} ${f.prefix} ${f.peer}`;

describe('Kafka (OpenBMP) → RIS Live', () => {
  let kafka: Kafka;
  let t: TestServer;
  const clients: RisLiveClient[] = [];

  beforeAll(async () => {
    const brokers = await sharedKafka();
    kafka = kafkaClient(brokers);
    await createTopics(kafka, [topic], 1);
    t = await startTestServer(kafkaServerArgs({ brokers, topics: topic, group: `test-${run}` }));
    await waitForKafkaOk(t, 'the Kafka source to join its group', 120_000, 100);
  }, 300_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await t?.close();
  });

  it('delivers the UPDATEs each subscription selects, whole, with the collector as host', async () => {
    const connect = async (data: Record<string, unknown>) => {
      const c = await RisLiveClient.connect(t.url);
      clients.push(c);
      expect((await c.subscribe(data)).type).toBe('ris_subscribe_ok');
      return c;
    };
    const byPrefix = await connect({ prefix: '10.0.0.0/9' });
    const byOrigin = await connect({ path: '64501$' });
    const everything = await connect({ type: 'UPDATE' });
    const data = dataset('10.0.0.7', 'kafka-r7', 300, 23);
    await produce(kafka, topic, data.routerIp, data.payloads);
    const total = data.facts.length;
    await everything.waitFor(
      () => everything.messages().flatMap(events).length >= total,
      `${total} route events`,
      60_000,
    );
    expect(everything.messages().flatMap(events)).toEqual(data.facts.map(text));
    expect(new Set(everything.messages().map((m) => m.host))).toEqual(new Set(['test-collector']));

    const inside = (e: string) => covers(RANGE, keyOf(e.split(' ')[1]) ?? keyOf('::/0')!);
    const wantPrefix = data.facts.map(text).filter(inside);
    const wantOrigin = data.facts.filter((f) => f.kind === 'announce' && f.path?.at(-1) === 64501).map(text);
    expect(wantPrefix.length).toBeGreaterThan(10);
    expect(wantOrigin.length).toBeGreaterThan(3);
    await byPrefix.waitFor(
      () => byPrefix.messages().flatMap(events).filter(inside).length >= wantPrefix.length,
      'prefix matches',
    );
    await byOrigin.waitFor(
      () => byOrigin.messages().flatMap(events).length >= wantOrigin.length,
      'origin matches',
    );
    expect(byPrefix.messages().flatMap(events).filter(inside)).toEqual(wantPrefix);
    expect(byPrefix.messages().every((m) => events(m).some(inside))).toBe(true);
    expect(byOrigin.messages().flatMap(events)).toEqual(wantOrigin);
  });
});
