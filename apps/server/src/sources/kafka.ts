/**
 * The Kafka source (OpenBMP raw_bmp over Kafka). The consumer itself runs in a worker thread (kafka-worker.ts,
 * kafka-loop.ts) so that kafkajs's fetching and record decoding use another core than the pipeline; this side
 * feeds the worker's batches to the pipeline, acknowledges them (the worker holds back beyond a few batches),
 * keeps the status, the per-partition lag and the worker itself alive: a worker that dies is started again.
 */
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { LogLimiter } from '../lib/log-limiter.ts';
import type { SourceStatus, SourceStatusName } from '../model/source-status.ts';
import { OpenBmpDecoder } from '../pipeline/decode.ts';
import type { Ingest } from '../pipeline/ingest.ts';
import type { KafkaConfig } from './kafka-config.ts';
import { backoffMs, type KafkaFailure, type KafkaFailureKind } from './kafka-failure.ts';
import type { FromWorker, ToWorker } from './kafka-messages.ts';
import type { Source } from './source.ts';

/** How long the consumer may go without a fetch response before the source reports 'connecting'. */
const FETCH_STALL_MS = 15_000;
const WORKER_ENTRY = new URL('./kafka-worker.mjs', import.meta.url);
/**
 * The worker's old-generation heap. A compressed fetch decodes to many more records than its size suggests:
 * at 128 MB, zstd batches from kcat (librdkafka) ran the worker out of memory in bench:pipeline; 256 MB held them
 * (docs/benchmarks.md).
 */
const WORKER_HEAP_MB = 256;

export interface KafkaSourceOptions extends KafkaConfig {
  /** Overrides FETCH_STALL_MS (tests). */
  stallMs?: number;
}

export class KafkaSource implements Source {
  readonly id = 'kafka';
  readonly kind = 'kafka' as const;
  private readonly decoder = new OpenBmpDecoder('kafka', 'kafka');
  private readonly lag = new Map<string, number>();
  private readonly logLimiter: LogLimiter;
  private readonly stallMs: number;
  private worker: Worker | null = null;
  private ingest: Ingest | null = null;
  private topics: string[] = [];
  private missing: string[] = [];
  private state: SourceStatusName = 'connecting';
  /** Why the consumer cannot read, while it cannot (cleared once it reads again). */
  private failure: (KafkaFailure & { since: number; failures: number; retryAt: number }) | null = null;
  /** Consumer failures since start, by kind (bmpwatch_kafka_failures_total). */
  readonly failuresByKind = new Map<KafkaFailureKind, number>();
  private detail = 'starting';
  private lastFetch = 0;
  private stopping = false;
  private restarts = 0;
  /** Whether a worker was started before (a later one is a replacement). */
  private spawned = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cfg: KafkaSourceOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.logLimiter = new LogLimiter(log, 3, 30_000);
    this.stallMs = cfg.stallMs ?? FETCH_STALL_MS;
  }

  async start(ingest: Ingest): Promise<void> {
    this.ingest = ingest;
    this.spawn();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    const w = this.worker;
    if (w === null) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    this.send({ t: 'stop' });
    // The loop disconnects from Kafka (leaving the group cleanly); do not wait for a hung broker for ever.
    const timer = setTimeout(() => void w.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
    this.worker = null;
  }

  status(): SourceStatus {
    let state = this.state;
    let detail = this.detail;
    if (state === 'ok' && Date.now() - this.lastFetch > this.stallMs) {
      state = 'connecting';
      detail = `no fetch response for ${Math.round((Date.now() - this.lastFetch) / 1000)} s`;
    }
    if (state === 'ok') {
      const n = this.topics.length;
      detail = `${n} topic${n === 1 ? '' : 's'}, lag ${this.totalLag()}`;
      if (this.missing.length > 0) detail += `; not on the broker: ${this.missing.join(', ')}`;
    }
    const f = this.failure;
    if (f?.kind === 'worker' && state === 'ok') state = 'connecting';
    if (state === 'ok' || f === null) return { status: state, detail };
    return {
      status: state,
      detail,
      failure: {
        kind: f.kind,
        message: f.message,
        since: new Date(f.since).toISOString(),
        failures: f.failures,
        retry_in_s: Math.max(0, Math.round((f.retryAt - Date.now()) / 1000)),
      },
    };
  }

  /** Per-partition lag (messages behind the high watermark) as of each partition's last batch. */
  lagByPartition(): { topic: string; partition: number; lag: number }[] {
    return [...this.lag].map(([key, lag]) => {
      const at = key.lastIndexOf('/');
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), lag };
    });
  }

  private totalLag(): number {
    let n = 0;
    for (const l of this.lag.values()) n += l;
    return n;
  }

  private spawn(): void {
    const { stallMs: _stall, ...config } = this.cfg;
    // --kafka-start is where the process starts; a worker replacing one that died resumes from the group's
    // committed offsets (at latest it would skip what arrived meanwhile, at earliest re-read everything).
    if (this.spawned) config.start = 'committed';
    this.spawned = true;
    const w = new Worker(WORKER_ENTRY, {
      workerData: config,
      name: 'bmpwatch-kafka',
      // kafkajs holds one fetch (up to 4 MiB, see kafka-loop.ts) and its decoded records at a time: a bounded heap
      // keeps the server's memory predictable (a worker that hits it is restarted, and health says so).
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
    });
    this.worker = w;
    w.on('message', (m: FromWorker) => this.onMessage(m));
    let died: Error | null = null;
    w.on('error', (err) => {
      died = err;
      this.log.error({ err }, 'Kafka worker failed');
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.worker = null;
      if (this.stopping) return;
      // A worker only ends on its own through a bug or a fatal error (its heap limit): start another (with
      // backoff), since the source promises to keep trying, and say so in health.
      this.restarts++;
      const delay = backoffMs(this.restarts);
      this.state = 'connecting';
      const why = died?.message ?? `exit code ${code}`;
      this.detail = `Kafka worker exited (${why}); restarting in ${Math.round(delay / 1000)} s`;
      this.noteFailure(
        { kind: 'worker', message: `the Kafka consumer thread died: ${why}` },
        delay,
        this.restarts,
      );
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.stopping) this.spawn();
      }, delay);
    });
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'batch':
        this.restarts = 0;
        this.failure = null;
        this.process(m);
        this.send({ t: 'ack', seq: m.seq });
        return;
      case 'status':
        this.state = m.state;
        this.detail = m.detail;
        this.topics = m.topics;
        this.missing = m.missing;
        // A worker that died stays reported (and its restarts backed off) until one reads a batch: joining the
        // group proves nothing about what killed the last one.
        if (m.state === 'ok' && this.failure?.kind !== 'worker') this.failure = null;
        return;
      case 'failed':
        this.noteFailure(m.failure, m.retryInMs, m.failures);
        return;
      case 'fetched':
        this.lastFetch = m.at;
        return;
      case 'log':
        if (m.level === 'warn') this.logLimiter.warn(m.msg, m.obj, m.msg);
        else if (m.level === 'info') this.log.info(m.obj, m.msg);
        else this.log.debug(m.obj, m.msg);
        return;
    }
  }

  /** A failure to show in health until the consumer reads again; logged once (failures are backed off). */
  private noteFailure(f: KafkaFailure, retryInMs: number, failures: number): void {
    this.failuresByKind.set(f.kind, (this.failuresByKind.get(f.kind) ?? 0) + 1);
    const since = this.failure?.kind === f.kind ? this.failure.since : Date.now();
    this.failure = { ...f, since, failures, retryAt: Date.now() + retryInMs };
    this.log.warn(
      { kind: f.kind, failures, retry_in_s: Math.round(retryInMs / 1000) },
      `Kafka source cannot read: ${f.message}`,
    );
  }

  /** Hands each message of a batch to the pipeline as a view into the transferred buffer. */
  private process(m: FromWorker & { t: 'batch' }): void {
    const ingest = this.ingest!;
    const ends = m.ends;
    const nulls = m.nulls;
    let next = nulls === null ? -1 : nulls[0];
    let k = 0;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i];
      // Null (tombstone) values carry no BMP message: skipped.
      if (i === next) next = nulls !== null && ++k < nulls.length ? nulls[k] : -1;
      else ingest.openBmp(this.decoder, new Uint8Array(m.buf, start, end - start));
      start = end;
    }
    this.lag.set(`${m.topic}/${m.partition}`, m.lag);
    this.lastFetch = Math.max(this.lastFetch, Date.now() - 1);
  }
}
