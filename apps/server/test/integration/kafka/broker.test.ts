// Integration test of the development Kafka broker (scripts/kafka/kafka.sh) with kafkajs 2.2.4:
// a real Apache Kafka 3.9 broker, a 3-partition topic, 10,000 messages through a consumer group, then
// a broker restart in the middle of a stream. The first run downloads the Kafka jars with Maven.
import { Kafka, type KafkaMessage, type LogEntry, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KafkaBroker, startKafka } from '../../support/kafka-broker.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const MESSAGES = Number(process.env.BMPWATCH_KAFKA_TEST_MESSAGES ?? 10_000);
const PAD = 'x'.repeat(200); // ~250-byte values, the size of a typical BMP route monitoring message
const runId = `${process.pid}-${Date.now()}`;

interface Seen {
  partition: number;
  offset: string;
}

/** Collects consumed messages by sequence number and resolves waiters when enough distinct ones arrived. */
class Collector {
  readonly byId = new Map<number, Seen>();
  readonly lastIdByPartition = new Map<number, number>();
  duplicates = 0;
  outOfOrder = 0;
  badContent = 0;
  firstAt = 0;
  lastAt = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  add(partition: number, message: KafkaMessage): void {
    const now = performance.now();
    if (this.firstAt === 0) this.firstAt = now;
    this.lastAt = now;
    const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as { i: number; pad: string } | null;
    const id = value?.i ?? -1;
    if (
      value === null ||
      message.key?.toString('utf8') !== `key-${id}` ||
      value.pad !== PAD ||
      message.headers?.seq?.toString() !== String(id)
    ) {
      this.badContent++;
      return;
    }
    if (this.byId.has(id)) {
      this.duplicates++; // at-least-once redelivery, e.g. after a restart before offsets were committed
    } else {
      const last = this.lastIdByPartition.get(partition);
      if (last !== undefined && id < last) this.outOfOrder++;
      if (last === undefined || id > last) this.lastIdByPartition.set(partition, id);
      this.byId.set(id, { partition, offset: message.offset });
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.byId.size < w.n) return true;
      w.resolve();
      return false;
    });
  }

  waitFor(n: number, timeoutMs: number): Promise<void> {
    if (this.byId.size >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms with ${this.byId.size}/${n} messages`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

function message(i: number) {
  return { key: `key-${i}`, value: JSON.stringify({ i, pad: PAD }), headers: { seq: String(i) } };
}

/** kafkajs logs go to a buffer that is printed only when a test fails (restarts log expected errors). */
const clientLog: string[] = [];
const logCreator = () => (entry: LogEntry) => {
  clientLog.push(`${logLevel[entry.level]} [${entry.namespace}] ${entry.log.message}`);
  if (clientLog.length > 500) clientLog.shift();
};

function client(broker: KafkaBroker, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: broker.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 12 },
  });
}

describe('Kafka broker from scripts/kafka/kafka.sh', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    const t0 = performance.now();
    broker = await startKafka();
    console.info(
      `kafka: broker ${broker.brokers.join(',')} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
        (broker.external ? ' (external, KAFKA_BROKERS)' : ''),
    );
  }, 900_000);

  afterAll(async () => {
    await broker?.stop();
  }, 120_000);

  it(`round-trips ${MESSAGES} messages through a 3-partition topic and a consumer group`, async ({
    onTestFailed,
  }) => {
    onTestFailed(() => console.error(clientLog.join('\n')));
    const topic = `bmpwatch.test.roundtrip.${runId}`;
    const groupId = `bmpwatch-test-roundtrip-${runId}`;
    const kafka = client(broker, 'bmpwatch-test-roundtrip');

    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0].partitions).toHaveLength(3);

    const producer = kafka.producer();
    await producer.connect();
    const chunk = 1000;
    const p0 = performance.now();
    for (let start = 0; start < MESSAGES; start += chunk) {
      const messages = [];
      for (let i = start; i < Math.min(start + chunk, MESSAGES); i++) messages.push(message(i));
      await producer.send({ topic, messages });
    }
    const produceMs = performance.now() - p0;
    await producer.disconnect();

    const highWater = await admin.fetchTopicOffsets(topic);
    expect(highWater.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGES);
    expect(highWater.every((p) => Number(p.high) > 0)).toBe(true);

    const seen = new Collector();
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const c0 = performance.now();
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          seen.add(batch.partition, m);
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });
    await seen.waitFor(MESSAGES, 120_000);
    const consumeMs = performance.now() - c0;
    await new Promise((r) => setTimeout(r, 500)); // anything extra (duplicates) would show up here
    await consumer.disconnect();

    expect(seen.byId.size).toBe(MESSAGES);
    expect(seen.duplicates).toBe(0);
    expect(seen.badContent).toBe(0);
    expect(seen.outOfOrder).toBe(0);
    expect(new Set([...seen.byId.values()].map((s) => s.partition))).toEqual(new Set([0, 1, 2]));
    let missing = 0;
    for (let i = 0; i < MESSAGES; i++) if (!seen.byId.has(i)) missing++;
    expect(missing).toBe(0);

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedSum = committed[0].partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committedSum).toBe(MESSAGES);
    await admin.disconnect();

    const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
    console.info(
      `kafka: produced ${MESSAGES} msgs in ${produceMs.toFixed(0)} ms (${rate(MESSAGES, produceMs)}/s), ` +
        `consumed in ${consumeMs.toFixed(0)} ms incl. group join (${rate(MESSAGES, consumeMs)}/s; ` +
        `${rate(MESSAGES, seen.lastAt - seen.firstAt)}/s first-to-last message)`,
    );
  }, 300_000);

  it('keeps a producer and a consumer group working across a broker restart', async ({
    skip,
    onTestFailed,
  }) => {
    if (broker.external) skip('KAFKA_BROKERS points at an external broker: cannot restart it');
    onTestFailed(() => console.error(clientLog.join('\n')));
    const topic = `bmpwatch.test.restart.${runId}`;
    const kafka = client(broker, 'bmpwatch-test-restart');
    const half = 300;

    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    const seen = new Collector();
    const consumer = kafka.consumer({ groupId: `bmpwatch-test-restart-${runId}`, maxWaitTimeInMs: 500 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          seen.add(batch.partition, m);
          resolveOffset(m.offset);
        }
        await heartbeat();
      },
    });

    const before = [];
    for (let i = 0; i < half; i++) before.push(message(i));
    await producer.send({ topic, messages: before });
    await seen.waitFor(half, 60_000);

    const r0 = performance.now();
    await broker.restart({ downMs: 1000 });
    console.info(
      `kafka: restart (stop --keep-data, 1 s down, start) took ${(performance.now() - r0).toFixed(0)} ms`,
    );

    // The same producer and the same consumer, still connected to the old broker process, carry on.
    const after = [];
    for (let i = half; i < 2 * half; i++) after.push(message(i));
    await producer.send({ topic, messages: after });
    await seen.waitFor(2 * half, 120_000);
    expect(seen.badContent).toBe(0);
    await consumer.disconnect();
    await producer.disconnect();

    // Data written before the restart survived it: a new group reads everything from the beginning.
    const replay = new Collector();
    const fresh = kafka.consumer({ groupId: `bmpwatch-test-replay-${runId}`, maxWaitTimeInMs: 500 });
    await fresh.connect();
    await fresh.subscribe({ topics: [topic], fromBeginning: true });
    await fresh.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const m of batch.messages) {
          replay.add(batch.partition, m);
          resolveOffset(m.offset);
        }
      },
    });
    await replay.waitFor(2 * half, 60_000);
    await fresh.disconnect();
    expect(replay.byId.size).toBe(2 * half);
    expect(replay.duplicates).toBe(0);
    expect(replay.badContent).toBe(0);
  }, 300_000);
});
