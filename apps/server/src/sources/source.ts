/**
 * The one interface every input implements. A source is an edge: it owns sockets, files, timers or a Kafka
 * consumer, and hands whole messages to the pipeline through `Ingest`; everything after that is shared.
 */
import type { BmpError } from '@bmpwatch/bmp';
import type { OpenBmpDecoder, RouterConnection } from '../pipeline/decode.ts';
import type { SourceKind } from '../pipeline/events.ts';

export type SourceStatusName = 'ok' | 'connecting' | 'error';

export interface SourceStatus {
  status: SourceStatusName;
  /** One line for people, e.g. "3 topics, lag 12" or "listening on 0.0.0.0:11019, 2 routers". */
  detail: string;
  /** While the source cannot read: why (a Kafka consumer's failure kind and reason), since when, next retry. */
  failure?: SourceFailure;
}

export interface SourceFailure {
  kind: string;
  message: string;
  /** ISO time the failure began. */
  since: string;
  /** Failures in a row. */
  failures: number;
  retry_in_s: number;
}

/** What sources call; implemented by the pipeline. Every call is synchronous and never throws. */
export interface Ingest {
  /** A router connected (or a file/demo router started): it is up. */
  connected(conn: RouterConnection, reason?: string): void;
  /** One whole raw BMP message from a router connection. */
  bmp(conn: RouterConnection, bytes: Uint8Array): void;
  /** One whole OpenBMP raw_bmp message (router identity is in its header). */
  openBmp(decoder: OpenBmpDecoder, bytes: Uint8Array): void;
  /** The connection ended: the router is down and its peers' state is unknown. */
  disconnected(conn: RouterConnection, reason: string): void;
  /** Bytes that could not be framed as messages (garbage on a TCP stream, a truncated file). */
  malformed(sourceId: string, err: BmpError, where: string): void;
}

export interface Source {
  readonly id: string;
  readonly kind: SourceKind;
  /** Starts producing into `ingest`. Resolves once running (a Kafka source resolves while still connecting). */
  start(ingest: Ingest): Promise<void>;
  /** Stops and releases everything; idempotent. */
  stop(): Promise<void>;
  status(): SourceStatus;
}
