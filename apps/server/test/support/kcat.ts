/**
 * Producing through kcat (librdkafka, the library OpenBMP and RouteViews' collectors produce with): the way real
 * collectors feed Kafka, compressed with any codec librdkafka has. Key/value pairs are split by delimiters that
 * never occur in BMP (checked), and written through a pipe with backpressure.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface KeyedPayload {
  key: Buffer;
  value: Buffer;
}

export type KcatCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

const KEY_DELIM = Buffer.from([0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff]);
const MSG_DELIM = Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa]);

export function hasKcat(): boolean {
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
}

export interface KcatOptions {
  brokers: string[];
  topic: string;
  /** librdkafka's compression.codec (default none). */
  compression?: KcatCodec;
  /** Messages to produce; `at(i)` gives the i-th. */
  count: number;
  at(i: number): KeyedPayload;
  /** Payloads to check for the delimiters (default: every message, read through `at`). */
  distinct?: KeyedPayload[];
}

export async function kcatProduce(o: KcatOptions): Promise<void> {
  const check = o.distinct ?? Array.from({ length: o.count }, (_, i) => o.at(i));
  for (const p of check)
    for (const d of [KEY_DELIM, MSG_DELIM])
      if (p.value.includes(d) || p.key.includes(d)) throw new Error('a payload contains the kcat delimiter');
  const kc = spawn(
    'kcat',
    [
      '-P',
      '-b',
      o.brokers.join(','),
      '-t',
      o.topic,
      '-z',
      o.compression ?? 'none',
      '-K',
      '\\xfa\\xfb\\xfc\\xfd\\xfe\\xff',
      '-D',
      '\\xff\\xfe\\xfd\\xfc\\xfb\\xfa',
      '-X',
      'batch.num.messages=10000',
      '-X',
      'linger.ms=20',
      '-X',
      'queue.buffering.max.messages=1000000',
      // Keyed by router hash, as collectors key: one router's messages stay in order on one partition.
      '-X',
      'partitioner=murmur2_random',
    ],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const exited = new Promise<number>((resolve) => kc.on('exit', (code) => resolve(code ?? 1)));
  for (let i = 0; i < o.count; i += 5000) {
    const parts: Buffer[] = [];
    for (let k = i; k < Math.min(o.count, i + 5000); k++) {
      const p = o.at(k);
      parts.push(p.key, KEY_DELIM, p.value, MSG_DELIM);
    }
    if (!kc.stdin.write(Buffer.concat(parts))) await new Promise((r) => kc.stdin.once('drain', r));
  }
  kc.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`kcat exited with ${code}`);
}
