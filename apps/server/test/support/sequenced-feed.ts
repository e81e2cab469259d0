/**
 * A live OpenBMP producer whose every Route Monitoring message carries a sequence number, encoded as the one
 * prefix it announces (seq n → the /32 100.64.0.0 + n), so a test can check at a client that every produced
 * message arrived and count the ones that arrived twice. Sends are awaited in order and a failed send is
 * retried until the broker takes it, so when stop() returns every sequence number 0 … produced − 1 was
 * acknowledged (acks from all in-sync replicas). A retried send may have been written twice (the first try's
 * acknowledgement lost with the broker): copiesInKafka() reads the topic back to tell such producer-side copies
 * from the consumer's re-reads. Each message carries its number in a `seq` header too.
 */

import { routerHash } from '@bmpwatch/demo-feed';
import type { Kafka, Producer } from 'kafkajs';
import { msg } from './bmp-router.ts';
import { openBmp, PEER_V4 } from './kafka-feed.ts';
import { waitUntil } from './wait.ts';

const BASE = (100 << 24) | (64 << 16);

function seqPrefix(n: number): string {
  const a = (BASE + n) >>> 0;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/32`;
}

export function seqOf(prefix: string): number {
  const [a, b, c, d] = prefix.split('/')[0].split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) - BASE;
}

export class SequencedFeed {
  /** Sequence numbers the broker acknowledged: 0 … produced − 1. */
  produced = 0;
  /** Sends that failed and were retried (the broker was away). */
  retries = 0;
  private producer: Producer | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly key: Buffer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly routerIp: string,
    private readonly sysName: string,
  ) {
    this.key = Buffer.from(routerHash(routerIp), 'hex');
  }

  /** Sends Initiation and Peer Up, then produces `rate` sequenced messages a second until stop(). */
  async start(rate: number): Promise<void> {
    this.producer = this.kafka.producer({ maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.send([msg.initiation(this.sysName), msg.peerUp(PEER_V4)], -1);
    this.running = true;
    this.loop = this.run(rate);
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    await this.producer?.disconnect();
    return this.produced;
  }

  private async run(rate: number): Promise<void> {
    const t0 = performance.now();
    while (this.running) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      const batch: Uint8Array[] = [];
      for (let n = this.produced; n < due && batch.length < 500; n++)
        batch.push(msg.announce(PEER_V4, [seqPrefix(n)], [PEER_V4.asn, 64500]));
      if (batch.length > 0) {
        await this.send(batch, this.produced);
        this.produced += batch.length;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends until the broker acknowledges (acks from all in-sync replicas), however long it is away. */
  private async send(bmp: Uint8Array[], firstSeq: number): Promise<void> {
    const messages = bmp.map((b, i) => ({
      key: this.key,
      value: Buffer.from(openBmp(b, this.routerIp)),
      headers: { seq: String(firstSeq < 0 ? -1 : firstSeq + i) },
    }));
    for (;;) {
      try {
        await this.producer!.send({ topic: this.topic, acks: -1, messages });
        return;
      } catch {
        this.retries++;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

/** How many copies of each sequence number the topic holds: reads it from the beginning to its end. */
export async function copiesInKafka(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const left = new Set(ends.filter((e) => e.high !== e.low).map((e) => e.partition));
  const high = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
  const copies = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: `readback-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const seq = Number(message.headers?.seq?.toString() ?? -1);
        if (seq >= 0) copies.set(seq, (copies.get(seq) ?? 0) + 1);
        if (BigInt(message.offset) + 1n >= (high.get(partition) ?? 0n)) left.delete(partition);
      },
    });
    await waitUntil(() => left.size === 0, `reading ${topic} back to its end`, 120_000, 100);
  } finally {
    await consumer.disconnect();
  }
  return copies;
}
