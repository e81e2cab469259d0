/** How a source is doing, as sources report it and as /api/health, /metrics and the dashboard show it. */

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

/** A source as health, the dashboard and the hub show it (its status, counters and decode error rate). */
export interface SourceJson {
  id: string;
  kind: string;
  status: string;
  detail: string;
  messages: number;
  errors: number;
  /** Decode errors per message over the last minute. */
  decode_error_rate: number;
  /** The decode error code seen most over the last minute, or null. */
  commonest_error: string | null;
  /** While the source cannot read: why, since when, next retry. */
  failure?: SourceFailure;
}
