/**
 * Worker-thread side of the Kafka source: runs the consumer loop and posts each batch's values to the main
 * thread packed into one transferred ArrayBuffer (one copy, no per-message structured clone). At most
 * MAX_IN_FLIGHT batches wait for the main thread; then the loop (and so kafkajs) waits too. The main thread
 * acknowledges a batch once its events went through the pipeline; only then is its offset committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KafkaConfig } from '../plugins/config.ts';
import { type KafkaBatch, KafkaLoop } from './kafka-loop.ts';
import type { FromWorker, ToWorker } from './kafka-messages.ts';

const MAX_IN_FLIGHT = 2;
/** Fetch notices are throttled: the main thread only needs to know the broker is alive. */
const FETCHED_EVERY_MS = 250;

const port = parentPort!;
const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

let seq = 0;
let waiting: (() => void) | null = null;
let lastFetchedPost = 0;
/**
 * Batches posted and not yet acknowledged, by sequence number: what to commit on the ack. Its size is the number
 * of batches in flight (an entry is added only once its batch was posted, and the main thread acks each once).
 */
const unacked = new Map<number, Pick<KafkaBatch, 'topic' | 'partition' | 'nextOffset'>>();

function pack(b: KafkaBatch): void {
  let total = 0;
  for (const v of b.values) if (v !== null) total += v.length;
  const buf = new ArrayBuffer(total);
  const bytes = new Uint8Array(buf);
  const ends = new Uint32Array(b.values.length);
  let nulls: number[] | null = null;
  let at = 0;
  for (let i = 0; i < b.values.length; i++) {
    const v = b.values[i];
    if (v === null) {
      nulls ??= [];
      nulls.push(i);
    } else {
      bytes.set(v, at);
      at += v.length;
    }
    ends[i] = at;
  }
  post({ t: 'batch', seq: ++seq, topic: b.topic, partition: b.partition, lag: b.lag, buf, ends, nulls }, [
    buf,
    ends.buffer,
  ]);
  unacked.set(seq, { topic: b.topic, partition: b.partition, nextOffset: b.nextOffset });
}

const loop = new KafkaLoop(workerData as KafkaConfig, {
  async batch(b) {
    pack(b);
    if (unacked.size >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (waiting = resolve));
  },
  status(state, detail, topics, missing) {
    post({ t: 'status', state, detail, topics, missing });
  },
  failed(failure, retryInMs, failures) {
    post({ t: 'failed', failure, retryInMs, failures });
  },
  fetched(at) {
    if (at - lastFetchedPost < FETCHED_EVERY_MS) return;
    lastFetchedPost = at;
    post({ t: 'fetched', at });
  },
  log(level, obj, msg) {
    post({ t: 'log', level, obj, msg });
  },
});

port.on('message', (m: ToWorker) => {
  if (m.t === 'ack') {
    const b = unacked.get(m.seq);
    unacked.delete(m.seq);
    if (b !== undefined) loop.processed(b);
    if (unacked.size < MAX_IN_FLIGHT && waiting !== null) {
      const w = waiting;
      waiting = null;
      w();
    }
  } else if (m.t === 'stop') {
    // Release a batch waiting for room, so kafkajs can finish and disconnect.
    waiting?.();
    // Closing the port ends the thread; the main thread waits for its exit.
    void loop.stop().then(() => port.close());
  }
});

loop.start();
