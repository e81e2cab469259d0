/**
 * The one interface every input implements. A source is an edge: it owns sockets, files, timers or a Kafka
 * consumer, and hands whole messages to the pipeline through `Ingest`; everything after that is shared.
 */
import type { SourceKind } from '../model/events.ts';
import type { SourceStatus } from '../model/source-status.ts';
import type { Ingest } from '../pipeline/ingest.ts';

export interface Source {
  readonly id: string;
  readonly kind: SourceKind;
  /** Starts producing into `ingest`. Resolves once running (a Kafka source resolves while still connecting). */
  start(ingest: Ingest): Promise<void>;
  /** Stops and releases everything; idempotent. */
  stop(): Promise<void>;
  status(): SourceStatus;
}
