/**
 * The Kafka consumer loop: kafkajs with eachBatch over a topic list or a /regex/, handing each batch's message
 * values to a sink. It runs in a worker thread (kafka-worker.ts) so that kafkajs's record decoding and the
 * pipeline use different cores; it has no other dependency on that, and can run anywhere.
 *
 * A supervisor owns the consumer. It resolves the topics against the broker's metadata, positions the group's
 * offsets once per topic (latest/earliest at process start; topics that appear later from their beginning,
 * since all they hold is new), runs the consumer, and starts a new one when the set of matching topics changes
 * (kafkajs only matches a regex against topics that exist when it subscribes) or when kafkajs gives up after a
 * crash. Any failure (broker gone, metadata errors, a batch that does not decompress, a crash of kafkajs) leads
 * back to the top of the loop with exponential backoff (1 s doubling to 30 s, reset once a batch is read),
 * forever: kafkajs is never left to restart itself, which it does at once and, for a failure that does not
 * clear (a codec it lacks), thousands of times a minute. The failure's kind and reason go to the sink, so
 * health says why the source cannot read (kafka-failure.ts); the source recovers without a process restart.
 *
 * Offsets are committed only for batches the sink reports processed (`processed()`), never merely fetched:
 * after a crash of the broker or of the server, consumption resumes at the first message not yet turned into
 * events, so nothing is lost and the duplicates are at most the batches processed while their commit was
 * still on its way (docs/reliability.md, "Faults").
 */
import { readFileSync } from 'node:fs';
import { registerKafkaCodecs } from '@bmpwatch/kafka-codecs';
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
import type { SourceStatusName } from '../model/source-status.ts';
import type { KafkaConfig } from './kafka-config.ts';
import { backoffMs, classifyKafkaError, isTransient, type KafkaFailure } from './kafka-failure.ts';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

const MAX_WAIT_MS = 500;
/**
 * Bytes one fetch may bring, all partitions together (kafkajs's default is 10 MiB). The limit is on compressed
 * bytes, and a compressed batch decodes to 3–20× its size as records in the worker's heap: 4 MiB keeps a zstd or
 * LZ4 fetch of highly compressible BMP inside it (a 10 MiB zstd fetch ran the worker out of memory).
 */
const MAX_FETCH_BYTES = 4 << 20;

export interface KafkaBatch {
  topic: string;
  partition: number;
  /** Message values in offset order (null: a tombstone). */
  values: (Buffer | null)[];
  /** Messages behind the high watermark after this batch. */
  lag: number;
  /** The offset to commit once this batch is processed (its last offset + 1), as kafkajs spells offsets. */
  nextOffset: string;
}

/** Where the loop reports to. `batch` may return a promise to slow the loop down (backpressure). */
export interface LoopSink {
  batch(b: KafkaBatch): Promise<void> | void;
  /** `missing`: configured topics (a plain list) the broker does not have. */
  status(state: SourceStatusName, detail: string, topics: string[], missing: string[]): void;
  /** The consumer failed and will be retried in `retryInMs`; `failures` in a row so far. */
  failed(failure: KafkaFailure, retryInMs: number, failures: number): void;
  /** A fetch response arrived (the broker is alive), at wall-clock `at`. */
  fetched(at: number): void;
  log(level: 'info' | 'warn' | 'debug', obj: Record<string, unknown>, msg: string): void;
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

/** Topics of a plain list the broker does not have (none for a pattern: it waits for matches). */
export function missingTopics(wanted: string[] | RegExp, available: string[]): string[] {
  if (!Array.isArray(wanted)) return [];
  const set = new Set(available);
  return wanted.filter((t) => !set.has(t)).sort();
}

export class KafkaLoop {
  private readonly kafka: Kafka;
  private readonly positioned = new Set<string>();
  private admin: Admin | null = null;
  private consumer: Consumer | null = null;
  private topics: string[] = [];
  private missing: string[] = [];
  private state: SourceStatusName = 'connecting';
  /** Failures since a batch was last read; 0 while healthy. */
  private failures = 0;
  /** What made kafkajs's consumer crash, for the supervisor to throw. */
  private crash: Error | null = null;
  private firstPass = true;
  private restartWanted: ((reason: string) => void) | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Processed offsets not yet committed, by topic/partition (only the newest matters). */
  private readonly toCommit = new Map<string, { topic: string; partition: number; offset: string }>();
  private committing: Promise<void> | null = null;

  constructor(
    private readonly cfg: KafkaConfig,
    private readonly sink: LoopSink,
  ) {
    registerKafkaCodecs(cfg.disabledCodecs);
    this.kafka = new Kafka(kafkaClientConfig(cfg, () => (e: LogEntry) => this.kafkaLog(e)));
  }

  start(): void {
    this.loop = this.supervise();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restartWanted?.('stopping');
    this.wake?.();
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    await this.loop;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  // ---- the supervisor ----

  private async supervise(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.runOnce();
      } catch (err) {
        if (this.stopped) break;
        this.failures++;
        const failure = classifyKafkaError(err);
        const wait = backoffMs(this.failures);
        const retry = `retry ${this.failures} in ${Math.round(wait / 1000)} s`;
        this.setState(isTransient(failure.kind) ? 'connecting' : 'error', `${failure.message} (${retry})`);
        // One line per back-off: at most a few a minute, however long the failure lasts.
        this.sink.failed(failure, wait, this.failures);
        await this.disconnectConsumer();
        await this.admin?.disconnect().catch(() => undefined);
        this.admin = null;
        await this.sleep(wait);
      }
    }
    await this.disconnectConsumer();
  }

  /** One consumer lifetime: resolve topics, position offsets, consume until a restart is wanted. */
  private async runOnce(): Promise<void> {
    this.admin ??= this.kafka.admin();
    const admin = this.admin;
    await admin.connect();
    const available = await admin.listTopics();
    const topics = matchTopics(this.cfg.topics, available);
    this.missing = missingTopics(this.cfg.topics, available);
    if (topics.length === 0) {
      const every = `checking every ${this.cfg.topicRefreshMs / 1000} s`;
      if (this.missing.length > 0)
        this.setState(
          'error',
          `topic${this.missing.length === 1 ? '' : 's'} ${this.missing.join(', ')} not on the broker (${every})`,
        );
      else this.setState('connecting', `waiting for topics matching ${String(this.cfg.topics)} (${every})`);
      await this.waitForRestart(true);
      return;
    }
    await this.position(admin, topics);
    this.topics = topics;
    this.crash = null;
    const consumer = this.kafka.consumer({
      groupId: this.cfg.groupId,
      maxWaitTimeInMs: MAX_WAIT_MS,
      maxBytes: MAX_FETCH_BYTES,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      // kafkajs restarts a crashed consumer itself after a fixed short wait; the supervisor does it instead,
      // with back-off and a reason.
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    this.instrument(consumer);
    if (this.failures === 0) this.setState('connecting', `joining group ${this.cfg.groupId}`);
    await consumer.connect();
    // Offsets are positioned above; where a group has none, new topics start at their beginning.
    await consumer.subscribe({ topics, fromBeginning: true });
    // autoCommit off: kafkajs would commit a batch as soon as eachBatch returns, which here is when the batch
    // was handed to the main thread, not when it was processed (see processed()).
    await consumer.run({ autoCommit: false, eachBatch: (p) => this.eachBatch(p) });
    const reason = await this.waitForRestart(false);
    if (this.crash !== null && !this.stopped) throw this.crash;
    this.sink.log('info', { reason, topics: topics.length }, 'restarting the Kafka consumer');
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
          this.sink.log(
            'warn',
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
   * restarting itself, or the loop is stopping. Checks metadata every --kafka-topic-refresh seconds.
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
      if (this.stopped) finish('stopping');
      this.refreshTimer = setInterval(() => {
        void this.refreshTopics(waitingForTopics, finish);
      }, this.cfg.topicRefreshMs);
    });
  }

  private async refreshTopics(waitingForTopics: boolean, restart: (reason: string) => void): Promise<void> {
    const admin = this.admin;
    if (admin === null) return;
    try {
      const available = await admin.listTopics();
      const now = matchTopics(this.cfg.topics, available);
      this.missing = missingTopics(this.cfg.topics, available);
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
      this.sink.fetched(Date.now());
      const parts = Object.values(e.payload.memberAssignment).reduce((n, p) => n + p.length, 0);
      this.sink.log(
        'info',
        { group: this.cfg.groupId, partitions: parts },
        'joined the Kafka consumer group',
      );
      // After a failure, joining proves little (the last one may have been a batch we cannot read): the
      // source stays as it was until a fetch decodes.
      if (this.failures === 0) this.setState('ok', 'joined');
    });
    consumer.on(ev.FETCH, () => {
      // kafkajs emits FETCH once a response was received and its batches decoded (decompressed included).
      this.sink.fetched(Date.now());
      this.healthy();
    });
    consumer.on(ev.CRASH, (e) => {
      this.crash = e.payload.error;
      this.restartWanted?.(`crash: ${e.payload.error.message}`);
    });
    consumer.on(ev.DISCONNECT, () => {
      if (!this.stopped && this.state === 'ok') this.setState('connecting', 'disconnected');
    });
  }

  /** A fetch decoded: whatever failed before has cleared. */
  private healthy(): void {
    if (this.failures > 0) {
      this.sink.log('info', { failures: this.failures }, 'Kafka source reading again');
      this.failures = 0;
    }
    if (this.state !== 'ok') this.setState('ok', 'fetching');
  }

  private async eachBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale()) return;
    const messages = batch.messages;
    if (messages.length === 0) return;
    const values: (Buffer | null)[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) values[i] = messages[i].value;
    const lastOffset = messages[messages.length - 1].offset;
    const lag = Math.max(0, Number(batch.highWatermark) - Number(lastOffset) - 1);
    this.sink.fetched(Date.now());
    // The sink may hold us back while the pipeline catches up. kafkajs resolves the batch after this (its next
    // fetch starts after it); the commit waits for processed().
    this.healthy();
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    await this.sink.batch({ topic: batch.topic, partition: batch.partition, values, lag, nextOffset });
    await heartbeat();
  }

  /**
   * The sink turned a batch into events: commit its offset. Commits are coalesced (one request in flight, then
   * the newest offset per partition); one that fails (broker gone) is retried with the next.
   */
  processed(b: Pick<KafkaBatch, 'topic' | 'partition' | 'nextOffset'>): void {
    const key = `${b.topic}/${b.partition}`;
    const had = this.toCommit.get(key);
    if (had === undefined || BigInt(had.offset) < BigInt(b.nextOffset))
      this.toCommit.set(key, { topic: b.topic, partition: b.partition, offset: b.nextOffset });
    this.committing ??= this.commitPending().finally(() => {
      this.committing = null;
    });
  }

  private async commitPending(): Promise<void> {
    while (this.toCommit.size > 0 && this.consumer !== null) {
      const offsets = [...this.toCommit.values()];
      this.toCommit.clear();
      try {
        await this.consumer.commitOffsets(offsets);
      } catch (err) {
        // Keep what failed unless a newer offset came meanwhile; the next processed batch retries it.
        for (const o of offsets) {
          const key = `${o.topic}/${o.partition}`;
          if (!this.toCommit.has(key)) this.toCommit.set(key, o);
        }
        this.sink.log('debug', { err: (err as Error).message }, 'offset commit failed; will retry');
        return;
      }
    }
  }

  /** Waits `ms`, or less if the loop is stopped meanwhile. */
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
      if (this.stopped) this.wake();
    });
  }

  private async disconnectConsumer(): Promise<void> {
    // Commit what was processed before leaving the group, so the next member starts right after it.
    await this.committing;
    if (this.toCommit.size > 0) await this.commitPending();
    const c = this.consumer;
    this.consumer = null;
    if (c !== null) await c.disconnect().catch(() => undefined);
  }

  private setState(state: SourceStatusName, detail: string): void {
    if (state !== this.state) this.sink.log('info', { state, detail }, `Kafka source ${state}`);
    this.state = state;
    this.sink.status(state, detail, this.topics, this.missing);
  }

  private kafkaLog(e: LogEntry): void {
    const msg = `kafkajs ${e.namespace}: ${e.log.message}`;
    // A crash is reported by the supervisor, once, with its kind (sink.failed): kafkajs's own lines about it
    // would repeat it.
    const ours = e.namespace === 'Consumer' && /^(Crash|Restarting)/.test(e.log.message);
    this.sink.log(e.level <= logLevel.WARN && !ours ? 'warn' : 'debug', { broker: e.log.broker }, msg);
  }
}
