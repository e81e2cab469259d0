// `bmpwatch produce` (apps/cli, run as the process a user runs) against the shared broker: synthetic traffic and a
// capture file land in Kafka as OpenBMP raw_bmp keyed by router hash, and a server consuming the topic shows the
// routers.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BmpError, decodeOpenBmp, frameCapture } from '@bmpwatch/bmp';
import { routerHash } from '@bmpwatch/demo-feed';
import { registerKafkaCodecs } from '@bmpwatch/kafka-codecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../support/kafka-feed.ts';
import { startTestServer } from '../../support/server.ts';
import { sharedKafka } from '../../support/shared-kafka.ts';
import { waitUntil } from '../../support/wait.ts';

const FIXTURE = fileURLToPath(
  new URL('../../../../../packages/bmp/test/fixtures/lab-gobgp.bmp', import.meta.url),
);
const run = `${process.pid}x${Date.now().toString(36)}`;
const CLI = fileURLToPath(new URL('../../../../cli/src/main.ts', import.meta.url));

/** Runs `bmpwatch produce ARGS` as a process; resolves with its exit code and stderr. */
function runProduce(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'produce', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => resolve({ code, err }));
  });
}

/** Reads a topic back with kafkajs, which needs the codecs registered to read compressed batches. */
async function consumeAll(brokers: string[], topic: string, n: number) {
  registerKafkaCodecs();
  const kafka = kafkaClient(brokers);
  const consumer = kafka.consumer({ groupId: `produce-check-${run}-${topic}`, maxWaitTimeInMs: 200 });
  const got: { key: Buffer; value: Buffer }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push({ key: message.key!, value: message.value! });
    },
  });
  await waitUntil(() => got.length >= n, `${n} messages in ${topic}`, 60_000);
  await consumer.disconnect();
  return got;
}

describe('bmpwatch produce', () => {
  let brokers: string[];
  beforeAll(async () => {
    brokers = await sharedKafka();
  }, 600_000);
  afterAll(() => undefined);

  it('publishes synthetic traffic as OpenBMP keyed by router hash', async () => {
    const topic = `produce.synthetic.${run}`;
    const { code } = await runProduce([
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--count',
      '3000',
      '--rate',
      '0',
      '--prefixes',
      '300',
      '--quiet',
    ]);
    expect(code).toBe(0);
    const got = await consumeAll(brokers, topic, 3000);
    expect(got).toHaveLength(3000);
    const routers = new Set<string>();
    for (const m of got) {
      const d = decodeOpenBmp(new Uint8Array(m.value));
      if (d instanceof BmpError) throw new Error(d.toString());
      expect(d.message instanceof BmpError).toBe(false);
      expect(m.key.toString('hex')).toBe(d.header.routerHash);
      expect(d.header.routerHash).toBe(routerHash(d.header.routerIp!));
      expect(d.header.adminId).toBe('bmpwatch-produce');
      routers.add(d.header.routerIp!);
    }
    expect([...routers].sort()).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);

    // A server reading the topic from the start shows the demo routers by name.
    const t = await startTestServer([
      '--no-bmp',
      '--kafka-brokers',
      brokers.join(','),
      '--kafka-topics',
      topic,
      '--kafka-start',
      'earliest',
      '--kafka-group',
      `produce-srv-${run}`,
    ]);
    try {
      const names = await waitUntil(
        async () => {
          const r = (await t.server.app.inject('/api/routers')).json().routers as { name: string }[];
          return r.length === 3 && r.every((x) => x.name) ? r.map((x) => x.name).sort() : undefined;
        },
        'three routers with names',
        60_000,
      );
      expect(names).toEqual(['demo-ams-r1', 'demo-fra-r1', 'demo-lon-r1']);
    } finally {
      await t.close();
    }
  });

  it('publishes a raw BMP capture, wrapped with the given router address', async () => {
    const topic = `produce.file.${run}`;
    const n = frameCapture(new Uint8Array(readFileSync(FIXTURE)), () => undefined).length;
    const { code } = await runProduce([
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--router-ip',
      '198.51.100.77',
      '--partitions',
      '1',
      '--quiet',
      FIXTURE,
    ]);
    expect(code).toBe(0);
    const got = await consumeAll(brokers, topic, n);
    expect(got).toHaveLength(n);
    const first = decodeOpenBmp(new Uint8Array(got[0].value));
    if (first instanceof BmpError) throw new Error(first.toString());
    expect(first.header.routerIp).toBe('198.51.100.77');
    expect(first.message).toMatchObject({ type: 'initiation' });
  });

  it('--header text --compression zstd: the OpenBMP 2.x form, compressed, keyed by the router hash', async () => {
    const topic = `produce.text.${run}`;
    const { code } = await runProduce([
      '--brokers',
      brokers.join(','),
      '--topic',
      topic,
      '--header',
      'text',
      '--compression',
      'zstd',
      '--router-ip',
      '2001:db8::77',
      '--partitions',
      '1',
      '--count',
      '200',
      '--quiet',
      FIXTURE,
    ]);
    expect(code).toBe(0);
    const got = await consumeAll(brokers, topic, 200);
    const first = decodeOpenBmp(new Uint8Array(got[0].value));
    if (first instanceof BmpError) throw new Error(first.toString());
    expect(first.header).toMatchObject({ form: 'text', routerIp: '2001:db8::77' });
    expect(new TextDecoder().decode(got[0].value.subarray(0, 7))).toBe('V: 1.7\n');
    expect(got[0].key.toString('hex')).toBe(first.header.routerHash);
  });

  it('rejects bad usage with exit status 2 and says why', async () => {
    const cases: [string[], string][] = [
      [['--rate', 'fast'], '--rate: "fast" is not an integer'],
      [['--loop'], '--loop needs a FILE'],
      [['--brokers', 'nohost'], '"nohost" is not host:port'],
      [['--header', 'xml'], '--header: "xml" is not binary or text'],
      [['--compression', 'brotli'], '--compression: "brotli" is not one of none, gzip, snappy, lz4, zstd'],
    ];
    for (const [args, says] of cases) {
      const r = await runProduce(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain(says);
    }
  });
});
