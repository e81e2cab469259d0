/**
 * `pnpm bench:pipeline`: real Kafka → bmpwatch server (a child process) → N WebSocket clients with distinct
 * filters. Three phases, each with a fresh server and topic:
 *
 *   1. sustained ingest: M Route Monitoring messages (OpenBMP, 12 routers × 8 peers) waiting in Kafka, consumed
 *      with every client subscribed — messages/s from the first subscription to the last message;
 *   2. table dump: one peer's 1,000,000-route table produced to the running server — seconds from the first
 *      message to the last route;
 *   3. latency: R messages/s produced live for S seconds with the produce time as BMP timestamp — p50 / p99
 *      from produce to receipt by the clients.
 *
 * For each: server CPU (cores used) and RSS (peak). Options: --messages M --dump N --rate R --seconds S
 * --clients C --quick, --compression none|gzip|snappy|lz4|zstd (how kcat compresses the batches, as collectors
 * do; default none). KAFKA_BROKERS=host:port uses an existing broker instead of starting one.
 */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaServerArgs } from '../test/support/kafka-args.ts';
import { startKafka } from '../test/support/kafka-broker.ts';
import { createTopics } from '../test/support/kafka-feed.ts';
import { hasKcat, type KcatCodec } from '../test/support/kcat.ts';
import {
  clientFilters,
  PEERS,
  produceAll,
  producePaced,
  routePool,
  sessionStart,
  tableDump,
} from './feed.ts';
import { numberOptions } from './options.ts';
import { BenchClient, ServerProcess, sampleProc } from './server-process.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

interface Options {
  messages: number;
  dump: number;
  rate: number;
  seconds: number;
  clients: number;
  partitions: number;
  compression: KcatCodec;
}

const CODECS: readonly KcatCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function options(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--compression');
  const compression = (at >= 0 ? argv.splice(at, 2)[1] : 'none') as KcatCodec;
  if (!CODECS.includes(compression)) throw new Error(`--compression: one of ${CODECS.join(', ')}`);
  const numbers = numberOptions<Omit<Options, 'compression'>>(
    argv,
    quick
      ? { messages: 300_000, dump: 200_000, rate: 10_000, seconds: 8, clients: 100, partitions: 6 }
      : { messages: 3_000_000, dump: 1_000_000, rate: 10_000, seconds: 20, clients: 100, partitions: 6 },
  );
  return { ...numbers, compression };
}

const run = `${process.pid}-${Date.now().toString(36)}`;
const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pctOf = (x: number) => `${(x * 100).toFixed(0)} %`;
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
/** Seconds of live traffic before latency is measured (consumer start-up, JIT warm-up). */
const WARMUP_S = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SourceHealth {
  status: string;
  messages: number;
  first_message_at: number | null;
  last_message_at: number | null;
}

interface Health {
  sources: SourceHealth[];
}

/** Starts a server on `topic`, connects the clients (subscribed), and waits until its Kafka source is ok. */
async function serverWithClients(brokers: string[], topic: string, o: Options, phase: string) {
  const server = await ServerProcess.start(
    kafkaServerArgs({ brokers, topics: topic, group: `bench-${phase}-${run}` }),
  );
  const filters = clientFilters(o.clients);
  const clients = await Promise.all(filters.map((f) => BenchClient.connect(server.url, f)));
  return { server, clients };
}

async function messagesIn(server: ServerProcess): Promise<SourceHealth> {
  const h = await server.json<Health>('/api/health');
  return h.sources[0];
}

interface PhaseResult {
  seconds: number;
  cpuCores: number;
  /** Share of the phase the server's main thread waited for a CPU (the machine was busy elsewhere). */
  runQueue: number;
  peakRss: number;
  delivered: number;
  dropped: number;
}

/** Polls until `done()`; returns elapsed seconds, CPU cores used and peak RSS of the server meanwhile. */
async function measure(
  server: ServerProcess,
  clients: BenchClient[],
  done: () => Promise<boolean>,
  timeoutMs: number,
): Promise<PhaseResult> {
  const p0 = sampleProc(server.pid);
  const t0 = performance.now();
  let peak = p0.rssBytes;
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('phase timed out');
    peak = Math.max(peak, sampleProc(server.pid).rssBytes);
    await sleep(50);
  }
  const seconds = (performance.now() - t0) / 1000;
  const p1 = sampleProc(server.pid);
  return {
    seconds,
    cpuCores: (p1.cpuSeconds - p0.cpuSeconds) / seconds,
    runQueue: (p1.runQueueSeconds - p0.runQueueSeconds) / seconds,
    peakRss: Math.max(peak, p1.peakRssBytes),
    delivered: clients.reduce((n, c) => n + c.routes, 0),
    dropped: clients.reduce((n, c) => n + c.dropped, 0),
  };
}

async function sustained(kafka: Kafka, brokers: string[], o: Options) {
  const topic = `bench.sustained.${run}`;
  await createTopics(kafka, [topic], o.partitions);
  const t = Math.floor(Date.now() / 1000);
  const head = sessionStart(PEERS, t);
  const pool = routePool(200_000, t);
  const total = head.length + o.messages;
  log(
    `phase 1: producing ${fmt(total)} messages (${hasKcat() ? `kcat, compression ${o.compression}` : 'kafkajs'})…`,
  );
  const p0 = performance.now();
  await produceAll(kafka, brokers, topic, head, pool.payloads, total, o.compression);
  log(
    `phase 1: produced in ${((performance.now() - p0) / 1000).toFixed(1)} s; starting the server and ${o.clients} clients`,
  );
  const { server, clients } = await serverWithClients(brokers, topic, o, 'sustained');
  try {
    // The clock starts once the consumer is fetching (group join takes seconds) and every client is subscribed.
    // It is the server's clock (the time of its latest message, from health): this process also runs the 100
    // clients, and when they are busy its polls come late, which must not stretch or shrink the window.
    let first = await messagesIn(server);
    while (first.messages === 0) {
      await sleep(5);
      first = await messagesIn(server);
    }
    const before = first.messages;
    if (before >= total)
      throw new Error('the server read every message before the first poll: no window to time (run again)');
    const r = await measure(
      server,
      clients,
      async () => (await messagesIn(server)).messages >= total,
      600_000,
    );
    const last = await messagesIn(server);
    const window = (last.last_message_at ?? 0) - (first.last_message_at ?? 0);
    const rate = (total - before) / window;
    return {
      ...r,
      seconds: window,
      rate,
      before,
      total,
      routesPerMessage: pool.routes / pool.payloads.length,
    };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

async function dump(kafka: Kafka, brokers: string[], o: Options) {
  const topic = `bench.dump.${run}`;
  await createTopics(kafka, [topic], o.partitions);
  const d = tableDump(o.dump, Math.floor(Date.now() / 1000));
  // The server is up, subscribed to and fetching before the dump is produced: had the dump waited in the topic,
  // a quick group join could read all of it before the first poll below saw a message (a 0 s "dump").
  const { server, clients } = await serverWithClients(brokers, topic, o, 'dump');
  try {
    await server.waitForKafkaOk(100);
    log(
      `phase 2: producing a ${fmt(o.dump)}-route table dump (${fmt(d.messages)} messages) to the running server…`,
    );
    const producing = produceAll(kafka, brokers, topic, [], d.payloads, d.payloads.length, o.compression);
    // The clock starts when the server has the first message, and stops when it has every route.
    const announced = async () => {
      const peers = await server.json<{ peers: { announcements: number }[] }>('/api/peers');
      return peers.peers.reduce((n, p) => n + p.announcements, 0);
    };
    while ((await messagesIn(server)).messages === 0) await sleep(5);
    const r = await measure(server, clients, async () => (await announced()) >= o.dump, 600_000);
    await producing;
    // By the server's clock, from its first message of the dump to its last (see phase 1).
    const h = await messagesIn(server);
    return { ...r, seconds: (h.last_message_at ?? 0) - (h.first_message_at ?? 0), messages: d.messages };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
}

async function latency(kafka: Kafka, brokers: string[], o: Options) {
  const topic = `bench.latency.${run}`;
  await createTopics(kafka, [topic], o.partitions);
  const { server, clients } = await serverWithClients(brokers, topic, o, 'latency');
  const producer = kafka.producer();
  try {
    await producer.connect();
    const t = Math.floor(Date.now() / 1000);
    await producer.send({ topic, messages: sessionStart(PEERS, t) });
    await server.waitForKafkaOk(100);
    const pool = routePool(50_000, t, 9).payloads;
    log(
      `phase 3: producing ${fmt(o.rate)} messages/s for ${WARMUP_S} s of warm-up, then ${o.seconds} s measured…`,
    );
    let measuring = false;
    let p0 = sampleProc(server.pid);
    let measuredFrom = performance.now();
    let sentBefore = 0;
    const sent = await producePaced(producer, topic, pool, o.rate, (sentSoFar, elapsedMs) => {
      if (!measuring && elapsedMs >= WARMUP_S * 1000) {
        // Steady state from here: the consumer has been fetching for a while, the JIT is warm.
        measuring = true;
        for (const c of clients) c.latencies = [];
        p0 = sampleProc(server.pid);
        measuredFrom = performance.now();
        sentBefore = sentSoFar;
      }
      return elapsedMs < (WARMUP_S + o.seconds) * 1000;
    });
    const seconds = (performance.now() - measuredFrom) / 1000;
    await sleep(1000); // the last batches
    const p1 = sampleProc(server.pid);
    const all = clients.flatMap((c) => c.latencies ?? []).sort((a, b) => a - b);
    const pct = (q: number) =>
      all.length === 0 ? Number.NaN : all[Math.min(all.length - 1, Math.floor(q * all.length))];
    return {
      sent: sent - sentBefore,
      rate: (sent - sentBefore) / seconds,
      samples: all.length,
      p50: pct(0.5),
      p99: pct(0.99),
      max: all.at(-1) ?? Number.NaN,
      cpuCores: (p1.cpuSeconds - p0.cpuSeconds) / (seconds + 1),
      // VmHWM: the server's peak RSS so far, at least any RSS sampled during the phase.
      peakRss: p1.peakRssBytes,
      dropped: clients.reduce((n, c) => n + c.dropped, 0),
    };
  } finally {
    await producer.disconnect();
    for (const c of clients) c.close();
    await server.stop();
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  const broker = await startKafka();
  const brokers = broker.brokers;
  const onSignal = () => {
    void broker.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`Kafka ${brokers.join(',')}${broker.external ? '' : ' (started for the benchmark)'}`);
  const kafka = new Kafka({ clientId: 'bmpwatch-bench', brokers, logLevel: logLevel.NOTHING });
  try {
    // --only N runs one phase (for profiling); the summary then shows only that phase.
    const only = Number(process.argv[process.argv.indexOf('--only') + 1] ?? 0) || 0;
    const a = only === 0 || only === 1 ? await sustained(kafka, brokers, o) : null;
    const b = only === 0 || only === 2 ? await dump(kafka, brokers, o) : null;
    const c = only === 0 || only === 3 ? await latency(kafka, brokers, o) : null;
    const ok = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
    const lines = [
      '',
      `bmpwatch pipeline benchmark — ${o.clients} WebSocket clients with distinct filters, Kafka ${o.partitions} partitions`,
      '',
    ];
    if (a)
      lines.push(
        `1. sustained ingest   ${fmt(a.rate)} Route Monitoring msgs/s (${fmt(a.total)} messages, ${a.routesPerMessage.toFixed(2)} prefixes each, ${a.seconds.toFixed(1)} s)`,
        `                      server CPU ${a.cpuCores.toFixed(2)} cores (waited for a CPU ${pctOf(a.runQueue)} of the time), peak RSS ${mb(a.peakRss)}; ${fmt(a.delivered)} events delivered, ${fmt(a.dropped)} dropped`,
        `                      target ≥ 100,000 msgs/s: ${ok(a.rate >= 100_000)}`,
      );
    if (b)
      lines.push(
        `2. table dump         ${fmt(o.dump)} routes (${fmt(b.messages)} messages) in ${b.seconds.toFixed(2)} s = ${fmt(o.dump / b.seconds)} routes/s`,
        `                      server CPU ${b.cpuCores.toFixed(2)} cores (waited for a CPU ${pctOf(b.runQueue)} of the time), peak RSS ${mb(b.peakRss)}; ${fmt(b.delivered)} events delivered, ${fmt(b.dropped)} dropped`,
        `                      target ≤ 10 s: ${ok(b.seconds <= 10)}`,
      );
    if (c)
      lines.push(
        `3. latency            ${fmt(c.rate)} msgs/s for ${o.seconds} s: produce → client p50 ${c.p50.toFixed(0)} ms, p99 ${c.p99.toFixed(0)} ms, max ${c.max.toFixed(0)} ms (${fmt(c.samples)} samples)`,
        `                      server CPU ${c.cpuCores.toFixed(2)} cores, peak RSS ${mb(c.peakRss)}; ${fmt(c.dropped)} dropped`,
        `                      target p99 ≤ 250 ms: ${ok(c.p99 <= 250)}`,
      );
    const peak = Math.max(a?.peakRss ?? 0, b?.peakRss ?? 0, c?.peakRss ?? 0);
    lines.push(`RSS                   peak ${mb(peak)}; target ≤ 500 MB: ${ok(peak <= 500 * 1048576)}`, '');
    process.stdout.write(lines.join('\n'));
  } finally {
    await broker.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
