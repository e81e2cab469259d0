/**
 * Worker-thread side of the Kafka source: runs the consumer loop and posts each batch's values to the main
 * thread packed into transferred ArrayBuffers of about 1 MiB (one copy, no per-message structured clone). At
 * most MAX_IN_FLIGHT pieces wait for the main thread; then the loop (and so kafkajs) waits too. The main thread
 * acknowledges a piece once its events went through the pipeline; a batch's offset is committed with the ack of
 * its last piece.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KafkaConfig } from './kafka-config.ts';
import { type KafkaBatch, KafkaLoop } from './kafka-loop.ts';
import type { FromWorker, ToWorker } from './kafka-messages.ts';

const MAX_IN_FLIGHT = 4;
/**
 * A fetched batch is posted in pieces of at most this many bytes: compressed topics bring batches several times
 * larger than their fetch size (1 MiB per partition before decompression), and the main thread handles each
 * piece in one synchronous run, so smaller pieces keep its event loop (WebSocket writes) turning.
 */
const PIECE_BYTES = 1 << 20;
/** Fetch notices are throttled: the main thread only needs to know the broker is alive. */
const FETCHED_EVERY_MS = 250;

const port = parentPort!;
const post = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

let seq = 0;
let stopping = false;
let waiting: (() => void) | null = null;
let lastFetchedPost = 0;
/**
 * Pieces posted and not yet acknowledged, by sequence number, with what to commit on the ack (the last piece of
 * a batch only). Its size is the number of pieces in flight (an entry is added once its piece was posted, and
 * the main thread acks each once, in order).
 */
const unacked = new Map<number, Pick<KafkaBatch, 'topic' | 'partition' | 'nextOffset'> | null>();

/** Posts values [from, to) of a batch packed into one transferred buffer (one copy, no per-message clone). */
function postPiece(b: KafkaBatch, from: number, to: number, last: boolean): void {
  let total = 0;
  for (let i = from; i < to; i++) total += b.values[i]?.length ?? 0;
  const buf = new ArrayBuffer(total);
  const bytes = new Uint8Array(buf);
  const ends = new Uint32Array(to - from);
  let nulls: number[] | null = null;
  let at = 0;
  for (let i = from; i < to; i++) {
    const v = b.values[i];
    if (v === null) {
      nulls ??= [];
      nulls.push(i - from);
    } else {
      bytes.set(v, at);
      at += v.length;
    }
    ends[i - from] = at;
  }
  // The lag is the batch's: a piece before the last one has the rest of the batch behind it too.
  const lag = b.lag + (b.values.length - to);
  post({ t: 'batch', seq: ++seq, topic: b.topic, partition: b.partition, lag, buf, ends, nulls }, [
    buf,
    ends.buffer,
  ]);
  unacked.set(seq, last ? { topic: b.topic, partition: b.partition, nextOffset: b.nextOffset } : null);
}

async function roomForOneMore(): Promise<void> {
  if (unacked.size >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (waiting = resolve));
}

const loop = new KafkaLoop(workerData as KafkaConfig, {
  async batch(b) {
    let from = 0;
    while (from < b.values.length && !stopping) {
      let to = from;
      let bytes = 0;
      while (to < b.values.length && (to === from || bytes + (b.values[to]?.length ?? 0) <= PIECE_BYTES))
        bytes += b.values[to++]?.length ?? 0;
      postPiece(b, from, to, to === b.values.length);
      from = to;
      await roomForOneMore();
    }
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
    if (b !== undefined && b !== null) loop.processed(b);
    if (unacked.size < MAX_IN_FLIGHT && waiting !== null) {
      const w = waiting;
      waiting = null;
      w();
    }
  } else if (m.t === 'stop') {
    // Release a batch waiting for room (its remaining pieces are not posted), so kafkajs can finish and
    // disconnect.
    stopping = true;
    waiting?.();
    // Closing the port ends the thread; the main thread waits for its exit.
    void loop.stop().then(() => port.close());
  }
});

loop.start();
