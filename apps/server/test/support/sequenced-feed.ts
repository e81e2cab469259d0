/**
 * A live OpenBMP producer whose every Route Monitoring message carries a sequence number, encoded as the one
 * prefix it announces (seq n → the /32 100.64.0.0 + n), so a test can check at a client that every produced
 * message arrived and count the ones that arrived twice. Sends are awaited in order and a failed send is
 * retried until the broker takes it: when stop() returns, exactly the sequence numbers 0 … produced − 1 are
 * in Kafka (the idempotent producer keeps a retried send from being written twice).
 */
import type { Kafka, Producer } from 'kafkajs';
import { routerHash } from '../../src/sources/demo-feed.ts';
import { msg } from './bmp-router.ts';
import { openBmp, PEER_V4 } from './kafka-feed.ts';

const BASE = (100 << 24) | (64 << 16);

export function seqPrefix(n: number): string {
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
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.send([msg.initiation(this.sysName), msg.peerUp(PEER_V4)]);
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
        await this.send(batch);
        this.produced += batch.length;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends until the broker acknowledges (acks from all in-sync replicas), however long it is away. */
  private async send(bmp: Uint8Array[]): Promise<void> {
    const messages = bmp.map((b) => ({ key: this.key, value: Buffer.from(openBmp(b, this.routerIp)) }));
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
