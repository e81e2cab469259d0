/**
 * `bmpwatch produce [options] [FILE]` — publishes BMP to a Kafka topic in OpenBMP raw_bmp form, keyed by the
 * 16-byte router hash as OpenBMP does: a capture file (raw BMP is wrapped, OpenBMP passes through), or
 * synthetic traffic from the server's demo generator. For development, tests and the pipeline benchmark.
 */
import { readFile } from 'node:fs/promises';
import { BmpError, frameCapture, type OpenBmpHeaderForm, readOpenBmpHeader } from '@bmpwatch/bmp';
import { wrapOpenBmp } from '@bmpwatch/bmp/encode';
import { DemoFeed, routerHash } from '@bmpwatch/demo-feed';
import { CODEC_NAMES, type CodecName, compressionType, registerKafkaCodecs } from '@bmpwatch/kafka-codecs';
import { type CompressionTypes, Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { parseArgs, UsageError } from '../lib/args.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export const PRODUCE_HELP = `Usage: bmpwatch produce [options] [FILE]

Publishes BMP messages to a Kafka topic as OpenBMP raw_bmp (header v1.7, binary or text), keyed by the
16-byte router hash as OpenBMP does. With FILE: the messages of a capture (raw BMP messages are wrapped with
--router-ip; OpenBMP messages are sent as they are, or rewritten in the --header form when it is given).
Without FILE: synthetic traffic from the demo generator (routers × peers with table dumps, churn, flaps and
statistics).

Options:
  --brokers LIST      Kafka brokers, comma-separated (default: $KAFKA_BROKERS, else 127.0.0.1:19092)
  --topic NAME        topic (default: openbmp.bmp_raw)
  --partitions N      create the topic with N partitions if it does not exist (default: 3)
  --rate N            messages per second, 0 = as fast as possible (default: 0 for files, 1000 synthetic)
  --count N           stop after N messages (default: the whole file once; synthetic: until Ctrl-C)
  --loop              play the file again and again (until --count or Ctrl-C)
  --router-ip IP      router address for raw BMP from a file (default: 192.0.2.254)
  --collector NAME    collector name (OpenBMP admin id) in the headers written (default: bmpwatch-produce)
  --header FORM       OpenBMP header form: binary (RouteViews' collector; default) or text (OpenBMP 2.x
                      obmp-collector: V, C_HASH_ID, R_HASH, R_IP, L lines)
  --compression C     Kafka batch compression: none (default), gzip, snappy, lz4 or zstd
  --routers N         synthetic: routers (default 3)
  --peers N           synthetic: peers per router (default 4)
  --prefixes N        synthetic: routes in each peer's table dump (default 2000)
  --seed N            synthetic: random seed (default 1)
  --quiet             no progress lines on stderr
  -h, --help          this help

Exit status: 0 when everything was published, 1 on a Kafka or file error, 2 for usage errors.`;

interface ProduceOptions {
  brokers: string[];
  topic: string;
  partitions: number;
  rate: number;
  count: number;
  loop: boolean;
  routerIp: string;
  collector: string;
  /** null: OpenBMP messages of a file keep their form; new headers are binary. */
  header: OpenBmpHeaderForm | null;
  compression: CodecName | 'none';
  file: string | null;
  routers: number;
  peers: number;
  prefixes: number;
  seed: number;
  quiet: boolean;
}

function intFlag(flags: Map<string, string | true>, name: string, def: number, min = 0): number {
  const v = flags.get(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name}: ${JSON.stringify(v)} is not an integer ≥ ${min}`);
  return n;
}

export function parseProduceArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProduceOptions | 'help' {
  const { flags, positional } = parseArgs(
    argv,
    {
      brokers: true,
      topic: true,
      partitions: true,
      rate: true,
      count: true,
      loop: false,
      'router-ip': true,
      collector: true,
      header: true,
      compression: true,
      routers: true,
      peers: true,
      prefixes: true,
      seed: true,
      quiet: false,
      help: false,
    },
    { h: 'help' },
  );
  if (flags.has('help')) return 'help';
  if (positional.length > 1) throw new UsageError(`one FILE at most (got ${positional.length})`);
  const file = positional[0] ?? null;
  const brokers = String(
    flags.get('brokers') ?? env.KAFKA_BROKERS ?? env.BMPWATCH_KAFKA_BROKERS ?? '127.0.0.1:19092',
  )
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  for (const b of brokers)
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw new UsageError(`--brokers: "${b}" is not host:port`);
  if (brokers.length === 0) throw new UsageError('--brokers: no broker given');
  const topic = String(flags.get('topic') ?? 'openbmp.bmp_raw');
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new UsageError(`--topic: "${topic}" is not a Kafka topic name`);
  if (flags.has('loop') && file === null) throw new UsageError('--loop needs a FILE');
  const header = flags.get('header');
  if (header !== undefined && header !== 'binary' && header !== 'text')
    throw new UsageError(`--header: ${JSON.stringify(header)} is not binary or text`);
  const compression = String(flags.get('compression') ?? 'none');
  if (compression !== 'none' && !(CODEC_NAMES as readonly string[]).includes(compression))
    throw new UsageError(`--compression: "${compression}" is not one of none, ${CODEC_NAMES.join(', ')}`);
  return {
    brokers,
    topic,
    partitions: intFlag(flags, 'partitions', 3, 1),
    rate: intFlag(flags, 'rate', file === null ? 1000 : 0),
    count: intFlag(flags, 'count', 0, 1),
    loop: flags.has('loop'),
    routerIp: String(flags.get('router-ip') ?? '192.0.2.254'),
    collector: String(flags.get('collector') ?? 'bmpwatch-produce'),
    header: header ?? null,
    compression: compression as CodecName | 'none',
    file,
    routers: intFlag(flags, 'routers', 3, 1),
    peers: intFlag(flags, 'peers', 4, 1),
    prefixes: intFlag(flags, 'prefixes', 2000, 10),
    seed: intFlag(flags, 'seed', 1),
    quiet: flags.has('quiet'),
  };
}

interface Outgoing {
  key: Buffer;
  value: Uint8Array;
  /** Collection time, seconds. */
  t: number;
}

/** The Kafka key OpenBMP uses: the 16 bytes of the router hash. */
function hashKey(hex: string): Buffer {
  return Buffer.from(hex.padEnd(32, '0').slice(0, 32), 'hex');
}

/** Messages of a capture file, wrapped where needed (or rewritten in the asked form), looping if asked. */
async function* fromFile(o: ProduceOptions, io: ProduceIo): AsyncGenerator<Outgoing> {
  const items = frameCapture(new Uint8Array(await readFile(o.file!)), (e) => {
    io.stderr.write(`bmpwatch produce: skipped: ${e.toString()}\n`);
  });
  if (items.length === 0) throw new Error(`${o.file} holds no BMP or OpenBMP messages`);
  const rawKey = hashKey(routerHash(o.routerIp));
  const form = o.header ?? 'binary';
  do {
    for (const i of items) {
      if (i.openBmp) {
        const h = readOpenBmpHeader(i.bytes);
        if (h instanceof BmpError) {
          io.stderr.write(`bmpwatch produce: skipped: ${h.toString()}\n`);
          continue;
        }
        const value =
          o.header === null || o.header === h.form
            ? i.bytes
            : wrapOpenBmp(i.bytes.subarray(h.headerLength, h.headerLength + h.bmpLength), {
                form: o.header,
                collectionTime: h.collectionTime > 0 ? h.collectionTime : i.t,
                adminId: h.adminId,
                collectorHash: h.collectorHash || undefined,
                routerHash: h.routerHash || undefined,
                routerIp: h.routerIp,
                routerGroup: h.routerGroup,
              });
        yield { key: hashKey(h.routerHash), value, t: i.t };
      } else {
        const t = i.t > 0 ? i.t : Date.now() / 1000;
        const value = wrapOpenBmp(i.bytes, {
          form,
          collectionTime: t,
          adminId: o.collector,
          routerIp: o.routerIp,
          routerHash: routerHash(o.routerIp),
        });
        yield { key: rawKey, value, t };
      }
    }
  } while (o.loop);
}

/** Synthetic traffic: the demo feed on a virtual clock that advances 100 ms per step. */
function* synthetic(o: ProduceOptions): Generator<Outgoing> {
  // Churn per virtual second: the requested rate, so that virtual time keeps up with real time when paced.
  const feed = new DemoFeed({
    routers: o.routers,
    peers: o.peers,
    prefixes: o.prefixes,
    rate: o.rate > 0 ? o.rate : 20_000,
    seed: o.seed,
    dumpBudget: 5000,
  });
  const keys = new Map<string, Buffer>();
  for (let now = Date.now(); ; now += 100) {
    for (const m of feed.step(now)) {
      let key = keys.get(m.router);
      if (key === undefined) {
        key = Buffer.from(routerHash(m.router), 'hex');
        keys.set(m.router, key);
      }
      const t = now / 1000;
      yield {
        key,
        value: wrapOpenBmp(m.bytes, {
          form: o.header ?? 'binary',
          collectionTime: t,
          adminId: o.collector,
          routerIp: m.router,
          routerHash: routerHash(m.router),
        }),
        t,
      };
    }
  }
}

async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}

const BATCH = 1000;

async function publish(
  o: ProduceOptions,
  producer: Producer,
  source: AsyncIterable<Outgoing> | Iterable<Outgoing>,
  stop: { now: boolean },
  io: ProduceIo,
) {
  const started = performance.now();
  let sent = 0;
  let bytes = 0;
  let lastReport = started;
  let batch: Message[] = [];
  const compression: CompressionTypes = compressionType(o.compression);
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.send({ topic: o.topic, messages: batch, compression });
    batch = [];
  };
  for await (const m of source) {
    if (stop.now) break;
    batch.push({
      key: m.key,
      value: Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
      timestamp: String(Math.round(m.t * 1000)),
    });
    sent++;
    bytes += m.value.length;
    if (batch.length >= (o.rate > 0 ? Math.max(1, Math.min(BATCH, Math.ceil(o.rate / 20))) : BATCH))
      await flush();
    if (o.rate > 0) {
      // Pace: never ahead of rate × elapsed.
      const ahead = sent / o.rate - (performance.now() - started) / 1000;
      if (ahead > 0.005) {
        await flush();
        await new Promise((r) => setTimeout(r, ahead * 1000));
      }
    }
    const now = performance.now();
    if (!o.quiet && now - lastReport > 2000) {
      lastReport = now;
      io.stderr.write(
        `bmpwatch produce: ${sent} messages, ${Math.round(sent / ((now - started) / 1000))}/s\n`,
      );
    }
    if (o.count > 0 && sent >= o.count) break;
  }
  await flush();
  return { sent, bytes, seconds: (performance.now() - started) / 1000 };
}

export interface ProduceIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export async function runProduce(argv: string[], io: ProduceIo = process): Promise<number> {
  let o: ProduceOptions | 'help';
  try {
    o = parseProduceArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`bmpwatch produce: ${e.message}\n\n${PRODUCE_HELP}\n`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    io.stdout.write(`${PRODUCE_HELP}\n`);
    return 0;
  }
  registerKafkaCodecs();
  const kafka = new Kafka({
    clientId: 'bmpwatch-produce',
    brokers: o.brokers,
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 300, retries: 8 },
  });
  const stop = { now: false };
  const onSignal = () => {
    stop.now = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  try {
    await ensureTopic(kafka, o.topic, o.partitions);
    await producer.connect();
    const r = await publish(o, producer, o.file === null ? synthetic(o) : fromFile(o, io), stop, io);
    const what = o.file === null ? 'synthetic' : o.file;
    io.stderr.write(
      `bmpwatch produce: ${r.sent} messages (${r.bytes} bytes) from ${what} to ${o.topic} in ${r.seconds.toFixed(1)} s` +
        ` (${Math.round(r.sent / Math.max(r.seconds, 1e-3))}/s)\n`,
    );
    return 0;
  } catch (e) {
    io.stderr.write(`bmpwatch produce: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await producer.disconnect().catch(() => undefined);
  }
}
