/** Messages between the Kafka source (main thread) and its worker (kafka-worker.ts). */

import type { SourceStatusName } from '../model/source-status.ts';
import type { KafkaFailure } from './kafka-failure.ts';

export type FromWorker =
  | {
      t: 'batch';
      seq: number;
      topic: string;
      partition: number;
      lag: number;
      /** Message values back to back; `ends[i]` is where value i ends. */
      buf: ArrayBuffer;
      ends: Uint32Array;
      /** Indexes of tombstones (null values), or null. */
      nulls: number[] | null;
    }
  | { t: 'status'; state: SourceStatusName; detail: string; topics: string[]; missing: string[] }
  | { t: 'failed'; failure: KafkaFailure; retryInMs: number; failures: number }
  | { t: 'fetched'; at: number }
  | { t: 'log'; level: 'info' | 'warn' | 'debug'; obj: Record<string, unknown>; msg: string };

export type ToWorker = { t: 'ack'; seq: number } | { t: 'stop' };
