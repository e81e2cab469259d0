// The broker goes away mid-stream and comes back: the server reports 'connecting', then recovers on its own
// and delivers what was produced after the restart. Uses a broker of its own (restarting the shared one would
// disturb other test files).
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KafkaBroker, startKafka } from './support/kafka-broker.ts';
import { createTopics, dataset, kafkaClient, produce } from './support/kafka-feed.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { waitUntil } from './support/wait.ts';
import { TestClient } from './support/ws-client.ts';

const run = `${process.pid}x${Date.now().toString(36)}`;
const topic = `bmpwatch.restart.${run}.bmp_raw`;

describe('Kafka broker restart', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let t: TestServer;
  let client: TestClient;

  beforeAll(async () => {
    broker = await startKafka();
    kafka = kafkaClient(broker.brokers);
    await createTopics(kafka, [topic], 2);
    t = await startTestServer(
      [
        '--no-bmp',
        '--kafka-brokers',
        broker.brokers.join(','),
        '--kafka-topics',
        topic,
        '--kafka-start',
        'earliest',
        '--kafka-topic-refresh',
        '1',
        '--kafka-group',
        `restart-${run}`,
      ],
      { kafka: { stallMs: 3000 } },
    );
    // Generous: on a loaded machine three brokers may be starting at once (this file, the shared one, the helper's).
    await waitUntil(
      async () => (await status()) === 'ok',
      'the Kafka source to be ok',
      300_000,
      100,
      () => `last status ${lastStatus}`,
    );
    client = await TestClient.connect(t.wsUrl);
    await client.subscribe({});
  }, 900_000);

  afterAll(async () => {
    await client?.close();
    await t?.close();
    await broker?.stop();
  }, 180_000);

  let lastStatus = '';
  async function statusOf(): Promise<string> {
    const source = (await t.server.app.inject('/api/health')).json().sources[0];
    lastStatus = `${source.status} (${source.detail})`;
    return source.status;
  }
  function status(): Promise<string> {
    return statusOf();
  }

  it('reports connecting while the broker is down, then recovers and keeps delivering', async ({ skip }) => {
    if (broker.external) skip('KAFKA_BROKERS points at an external broker: cannot restart it');
    const before = dataset('10.1.0.1', 'restart-r1', 50, 3);
    await produce(kafka, topic, before.routerIp, before.payloads);
    await client.waitFor(
      () => client.routes.length >= before.facts.length,
      'routes produced before the restart',
      60_000,
    );

    // Watch the health status throughout the restart.
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add(await status());
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await broker.restart({ downMs: 6000 });
    await waitUntil(
      async () => (await status()) === 'ok',
      'the Kafka source to recover',
      120_000,
      200,
      () => `last status ${lastStatus}`,
    );
    watching = false;
    await watcher;
    expect(seen.has('connecting')).toBe(true);

    const after = dataset('10.1.0.2', 'restart-r2', 50, 4);
    await produce(kafka, topic, after.routerIp, after.payloads);
    const total = before.facts.length + after.facts.length;
    await client.waitFor(
      () => client.routes.filter((e) => e.router === '10.1.0.2').length >= after.facts.length,
      'routes produced after the restart',
      120_000,
    );
    expect(client.routes.filter((e) => e.router === '10.1.0.2').map((e) => e.prefix)).toEqual(
      after.facts.map((f) => f.prefix),
    );
    expect(client.routes.length).toBeGreaterThanOrEqual(total);
  }, 400_000);
});
