/**
 * The Kafka source: consumes OpenBMP raw_bmp messages with kafkajs (eachBatch) from a topic list or a /regex/.
 *
 * A supervisor loop owns the consumer. It resolves the topics against the broker's metadata, positions the
 * group's offsets once per topic (latest/earliest at process start; topics that appear later from their
 * beginning, since all they hold is new), runs the consumer, and starts a new one when the set of matching
 * topics changes (kafkajs only matches a regex against topics that exist when it subscribes) or when kafkajs
 * gives up after a crash. Any failure (broker gone, metadata errors) leads back to the top of the loop with
 * exponential backoff, forever: the source reports 'connecting' and recovers without a process restart.
 */
import { readFileSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaConfig as KafkaJsConfig,
  type LogEntry,
  logLevel,
  type SASLOptions,
} from 'kafkajs';
import { LogLimiter } from '../log-limiter.ts';
import { OpenBmpDecoder } from '../pipeline/decode.ts';
import type { KafkaConfig } from '../plugins/config.ts';
import type { Ingest, Source, SourceStatus, SourceStatusName } from './source.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** How long the consumer may go without a fetch response before the source reports 'connecting'. */
const FETCH_STALL_MS = 15_000;
const MAX_WAIT_MS = 500;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export interface KafkaSourceOptions extends KafkaConfig {
  /** Overrides FETCH_STALL_MS (tests). */
  stallMs?: number;
}

/** kafkajs options from our config: TLS, SASL, and retries that never make the client give up for good. */
export function kafkaClientConfig(cfg: KafkaConfig, logCreator?: KafkaJsConfig['logCreator']): KafkaJsConfig {
  return {
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    ssl: cfg.tls
      ? {
          rejectUnauthorized: !cfg.tls.insecure,
          ...(cfg.tls.ca ? { ca: [readFileSync(cfg.tls.ca, 'utf8')] } : {}),
        }
      : undefined,
    sasl: cfg.sasl ? ({ ...cfg.sasl } as SASLOptions) : undefined,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator,
  };
}

/** Which of `available` the configuration asks for. */
export function matchTopics(wanted: string[] | RegExp, available: string[]): string[] {
  const set = new Set(available);
  const out = Array.isArray(wanted)
    ? wanted.filter((t) => set.has(t))
    : available.filter((t) => wanted.test(t));
  return out.sort();
}

export class KafkaSource implements Source {
  readonly id = 'kafka';
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly decoder = new OpenBmpDecoder('kafka', 'kafka');
  private readonly lag = new Map<string, number>();
  private readonly positioned = new Set<string>();
  private readonly logLimiter: LogLimiter;
  private readonly stallMs: number;
  private admin: Admin | null = null;
  private consumer: Consumer | null = null;
  private ingest: Ingest | null = null;
  private topics: string[] = [];
  private state: SourceStatusName = 'connecting';
  private detail = 'starting';
  private lastFetch = 0;
  private firstPass = true;
  private restartWanted: ((reason: string) => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private readonly signal = { stopped: false };
  private wake: (() => void) | null = null;
  /** Kafka messages with no value (tombstones), skipped. */
  emptyMessages = 0;

  constructor(
    private readonly cfg: KafkaSourceOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.logLimiter = new LogLimiter(log, 3, 30_000);
    this.stallMs = cfg.stallMs ?? FETCH_STALL_MS;
    this.kafka = new Kafka(kafkaClientConfig(cfg, () => (e: LogEntry) => this.kafkaLog(e)));
  }

  async start(ingest: Ingest): Promise<void> {
    this.ingest = ingest;
    this.loop = this.supervise();
  }

  async stop(): Promise<void> {
    this.signal.stopped = true;
    this.restartWanted?.('stopping');
    this.wake?.();
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    await this.loop;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
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
    }
    return { status: state, detail };
  }

  /** Per-partition lag (messages behind the high watermark) as of each partition's last batch. */
  lagByPartition(): { topic: string; partition: number; lag: number }[] {
    return [...this.lag].map(([key, lag]) => {
      const at = key.lastIndexOf('/');
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), lag };
    });
  }

  totalLag(): number {
    let n = 0;
    for (const l of this.lag.values()) n += l;
    return n;
  }

  get subscribedTopics(): readonly string[] {
    return this.topics;
  }

  // ---- the supervisor ----

  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.signal.stopped) {
      try {
        await this.runOnce();
        failures = 0;
      } catch (err) {
        if (this.signal.stopped) break;
        failures++;
        this.setState('connecting', `${(err as Error).message} (retry ${failures})`);
        this.logLimiter.warn(
          'kafka supervisor',
          { err: (err as Error).message },
          'Kafka source failed; retrying',
        );
        await this.disconnectConsumer();
        await this.admin?.disconnect().catch(() => undefined);
        this.admin = null;
        const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(failures - 1, 10));
        await this.sleep(backoff * (0.75 + Math.random() / 2));
      }
    }
    await this.disconnectConsumer();
  }

  /** One consumer lifetime: resolve topics, position offsets, consume until a restart is wanted. */
  private async runOnce(): Promise<void> {
    this.admin ??= this.kafka.admin();
    const admin = this.admin;
    await admin.connect();
    const topics = matchTopics(this.cfg.topics, await admin.listTopics());
    if (topics.length === 0) {
      this.setState('connecting', `waiting for topics matching ${String(this.cfg.topics)}`);
      await this.waitForRestart(true);
      return;
    }
    await this.position(admin, topics);
    this.topics = topics;
    const consumer = this.kafka.consumer({
      groupId: this.cfg.groupId,
      maxWaitTimeInMs: MAX_WAIT_MS,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 },
    });
    this.consumer = consumer;
    this.instrument(consumer);
    this.setState('connecting', `joining group ${this.cfg.groupId}`);
    await consumer.connect();
    // Offsets are positioned above; where a group has none, new topics start at their beginning.
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({ eachBatch: (p) => this.eachBatch(p) });
    const reason = await this.waitForRestart(false);
    this.log.info({ reason, topics }, 'restarting the Kafka consumer');
    await this.disconnectConsumer();
  }

  /**
   * Sets the group's offsets for topics this process has not consumed yet: at process start per --kafka-start
   * (latest or earliest; committed leaves them), for topics found later at their beginning.
   */
  private async position(admin: Admin, topics: string[]): Promise<void> {
    for (const topic of topics) {
      if (this.positioned.has(topic)) continue;
      const mode = this.firstPass ? this.cfg.start : 'earliest';
      if (mode !== 'committed') {
        try {
          await admin.resetOffsets({ groupId: this.cfg.groupId, topic, earliest: mode === 'earliest' });
        } catch (err) {
          // Another member of the same group is running: its offsets stand.
          this.log.warn(
            { topic, err: (err as Error).message },
            'could not position the consumer group offsets',
          );
        }
      }
      this.positioned.add(topic);
    }
    this.firstPass = false;
  }

  /**
   * Resolves when the consumer should be replaced: the matching topics changed, kafkajs crashed without
   * restarting itself, or the source is stopping. Checks metadata every --kafka-topic-refresh seconds.
   */
  private waitForRestart(waitingForTopics: boolean): Promise<string> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (reason: string) => {
        if (done) return;
        done = true;
        if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
        this.refreshTimer = null;
        this.restartWanted = null;
        resolve(reason);
      };
      this.restartWanted = finish;
      if (this.signal.stopped) finish('stopping');
      this.refreshTimer = setInterval(() => {
        void this.refreshTopics(waitingForTopics, finish);
      }, this.cfg.topicRefreshMs);
      this.refreshTimer.unref();
    });
  }

  private async refreshTopics(waitingForTopics: boolean, restart: (reason: string) => void): Promise<void> {
    const admin = this.admin;
    if (admin === null) return;
    try {
      const now = matchTopics(this.cfg.topics, await admin.listTopics());
      if (now.join('\n') !== this.topics.join('\n') && (now.length > 0 || !waitingForTopics)) {
        const added = now.filter((t) => !this.topics.includes(t));
        restart(`topics changed (${added.length} new: ${added.slice(0, 5).join(', ')})`);
      }
    } catch (err) {
      // The broker is unreachable: say so; the consumer's own retries (or a crash) take it from here.
      this.setState('connecting', `metadata refresh failed: ${(err as Error).message}`);
    }
  }

  private instrument(consumer: Consumer): void {
    const ev = consumer.events;
    consumer.on(ev.GROUP_JOIN, (e) => {
      this.lastFetch = Date.now();
      const parts = Object.values(e.payload.memberAssignment).reduce((n, p) => n + p.length, 0);
      this.log.info({ group: this.cfg.groupId, partitions: parts }, 'joined the Kafka consumer group');
      this.setState('ok', 'joined');
    });
    consumer.on(ev.FETCH, () => {
      this.lastFetch = Date.now();
      if (this.state !== 'ok') this.setState('ok', 'fetching');
    });
    consumer.on(ev.CRASH, (e) => {
      this.setState('connecting', `consumer crashed: ${e.payload.error.message}`);
      // kafkajs restarts itself after retriable failures; otherwise we start a new consumer.
      if (!e.payload.restart) this.restartWanted?.(`crash: ${e.payload.error.message}`);
    });
    consumer.on(ev.DISCONNECT, () => {
      if (!this.signal.stopped) this.setState('connecting', 'disconnected');
    });
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const ingest = this.ingest!;
    const messages = batch.messages;
    let last: string | null = null;
    for (let i = 0; i < messages.length; i++) {
      if (!isRunning() || isStale()) break;
      const m = messages[i];
      if (m.value === null) this.emptyMessages++;
      else ingest.openBmp(this.decoder, m.value);
      last = m.offset;
    }
    if (last !== null) {
      resolveOffset(last);
      this.lag.set(
        `${batch.topic}/${batch.partition}`,
        Math.max(0, Number(batch.highWatermark) - Number(last) - 1),
      );
    }
    this.lastFetch = Date.now();
    await heartbeat();
  }

  /** Waits `ms`, or less if the source is stopped meanwhile. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
      if (this.signal.stopped) this.wake();
    });
  }

  private async disconnectConsumer(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    if (c !== null) await c.disconnect().catch(() => undefined);
  }

  private setState(state: SourceStatusName, detail: string): void {
    if (state !== this.state) this.log.info({ state, detail }, `Kafka source ${state}`);
    this.state = state;
    this.detail = detail;
  }

  /** kafkajs logs through pino, rate-limited: a broker outage makes it log every retry. */
  private kafkaLog(e: LogEntry): void {
    const msg = `kafkajs ${e.namespace}: ${e.log.message}`;
    if (e.level <= logLevel.WARN)
      this.logLimiter.warn(`kafkajs ${e.namespace} ${e.log.message}`, { broker: e.log.broker }, msg);
    else this.log.debug(msg);
  }
}
