/**
 * `pnpm bench:soak [--minutes 30] [--rate 10000] [--clients 100] [--partitions 6] [--sample 10]`: a long run at
 * a steady rate through a real Kafka broker into a bmpwatch server (a child process) with C WebSocket clients
 * (distinct filters). Every S seconds it samples the server's RSS (/proc), V8 heap and event-loop delay (its
 * /metrics: p99 and max over the interval), what came in and what the clients got, and the machine's load; at
 * the end it prints the trend (RSS slope over the second half, first vs last fifth) and a verdict: memory and
 * event-loop delay must stay flat, the consumer must keep up. KAFKA_BROKERS=host:port uses an existing broker.
 */
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaServerArgs } from '../test/support/kafka-args.ts';
import { startKafka } from '../test/support/kafka-broker.ts';
import { createTopics } from '../test/support/kafka-feed.ts';
import { clientFilters, PEERS, producePaced, routePool, sessionStart } from './feed.ts';
import { numberOptions } from './options.ts';
import { BenchClient, ServerProcess, sampleProc } from './server-process.ts';
import { type SoakSample, soakVerdict } from './soak-trend.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

const run = `${process.pid}-${Date.now().toString(36)}`;
const log = (s: string) => process.stderr.write(`soak: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One value of a Prometheus text exposition (first series of that name). */
function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

interface Health {
  sources: { status: string; messages: number; detail: string }[];
}

async function main() {
  const o = numberOptions(process.argv.slice(2), {
    minutes: 30,
    rate: 10_000,
    clients: 100,
    partitions: 6,
    sample: 10,
  });
  const broker = await startKafka();
  const brokers = broker.brokers;
  let server: ServerProcess | null = null;
  const clients: BenchClient[] = [];
  const stopAll = async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await broker.stop();
  };
  // However this process ends, its server must not outlive it (it would retry a stopped broker for ever).
  process.once('exit', () => {
    if (server !== null && server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().finally(() => process.exit(143)));
  const kafka = new Kafka({ clientId: 'bmpwatch-soak', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  try {
    const topic = `bench.soak.${run}`;
    await createTopics(kafka, [topic], o.partitions);
    server = await ServerProcess.start(kafkaServerArgs({ brokers, topics: topic, group: `soak-${run}` }));
    const srv = server;
    for (const f of clientFilters(o.clients)) clients.push(await BenchClient.connect(srv.url, f));
    await producer.connect();
    const t = Math.floor(Date.now() / 1000);
    await producer.send({ topic, messages: sessionStart(PEERS, t) });
    await srv.waitForKafkaOk(200);
    const pool = routePool(50_000, t, 11).payloads;
    log(
      `${o.rate} msgs/s for ${o.minutes} min into ${brokers.join(',')}, ${o.clients} clients, sample every ${o.sample} s`,
    );

    const samples: SoakSample[] = [];
    const durationMs = o.minutes * 60_000;
    let produced = 0;
    let stopped = false;
    let samplerError: Error | null = null;
    const sampler = (async () => {
      await fetch(`${srv.url}/metrics`); // resets the event-loop histogram: the first sample covers one interval
      let prev = { at: performance.now(), messages: 0, delivered: 0 };
      const t0 = performance.now();
      console.log(
        '   t_s   rss_MB  heap_MB  eld_p99_ms  eld_max_ms   in_msg_s  delivered_s  dropped  lag  load1',
      );
      while (!stopped) {
        await sleep(o.sample * 1000);
        const text = await (await fetch(`${srv.url}/metrics`)).text();
        const h = await srv.json<Health>('/api/health');
        const now = performance.now();
        const delivered = clients.reduce((n, c) => n + c.routes, 0);
        const dt = (now - prev.at) / 1000;
        const s: SoakSample = {
          t: Math.round((now - t0) / 1000),
          rssMb: sampleProc(srv.pid).rssBytes / 1048576,
          heapMb: metric(text, 'bmpwatch_nodejs_heap_size_used_bytes') / 1048576,
          eldP99Ms: metric(text, 'bmpwatch_nodejs_eventloop_lag_p99_seconds') * 1000,
          eldMaxMs: metric(text, 'bmpwatch_nodejs_eventloop_lag_max_seconds') * 1000,
          inPerS: (h.sources[0].messages - prev.messages) / dt,
          deliveredPerS: (delivered - prev.delivered) / dt,
          dropped: clients.reduce((n, c) => n + c.dropped, 0),
          lag: Number(/lag (\d+)/.exec(h.sources[0].detail)?.[1] ?? Number.NaN),
          load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
        };
        samples.push(s);
        prev = { at: now, messages: h.sources[0].messages, delivered };
        console.log(
          [
            String(s.t).padStart(6),
            s.rssMb.toFixed(0).padStart(8),
            s.heapMb.toFixed(0).padStart(8),
            s.eldP99Ms.toFixed(1).padStart(11),
            s.eldMaxMs.toFixed(1).padStart(11),
            s.inPerS.toFixed(0).padStart(10),
            s.deliveredPerS.toFixed(0).padStart(12),
            String(s.dropped).padStart(8),
            String(s.lag).padStart(4),
            s.load1.toFixed(2).padStart(6),
          ].join(' '),
        );
      }
    })().catch((err: Error) => {
      // A failed scrape ends the run (below) rather than the process, so the server and broker get stopped.
      samplerError = err;
    });
    produced = await producePaced(
      producer,
      topic,
      pool,
      o.rate,
      (_sent, elapsedMs) => elapsedMs < durationMs && samplerError === null,
    );
    stopped = true;
    await sampler;
    if (samplerError !== null) throw samplerError;
    const v = soakVerdict(samples, o.rate);
    console.log(
      [
        '',
        `bmpwatch soak — ${o.minutes} min at ${o.rate} msgs/s (${produced} produced), ${o.clients} clients, ${o.partitions} partitions`,
        `RSS      first fifth ${v.rssFirstMb.toFixed(0)} MB, last fifth ${v.rssLastMb.toFixed(0)} MB, max ${v.rssMaxMb.toFixed(0)} MB; slope over the second half ${v.rssSlopeMbPerMin.toFixed(2)} MB/min`,
        `heap     first fifth ${v.heapFirstMb.toFixed(0)} MB, last fifth ${v.heapLastMb.toFixed(0)} MB; slope over the second half ${v.heapSlopeMbPerMin.toFixed(2)} MB/min`,
        `ELD      p99 median first fifth ${v.eldFirstMs.toFixed(1)} ms, last fifth ${v.eldLastMs.toFixed(1)} ms; worst max ${v.eldWorstMs.toFixed(0)} ms`,
        `ingest   mean ${v.inMean.toFixed(0)} msgs/s; lag at the end ${v.lagEnd}; ${v.dropped} events dropped to slow clients`,
        `machine  load average (1 min) mean ${v.loadMean.toFixed(2)}, max ${v.loadMax.toFixed(2)} on ${v.cores} cores`,
        `verdict  ${v.pass ? 'PASS' : 'FAIL'}${v.reasons.length > 0 ? ` (${v.reasons.join('; ')})` : ''}`,
        '',
      ].join('\n'),
    );
    process.exitCode = v.pass ? 0 : 1;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await stopAll();
  }
}

main().catch((e) => {
  process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
