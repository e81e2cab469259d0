/** How a source is doing, as sources report it and as /api/health, /metrics and the dashboard show it. */
// The JSON shapes are the API's (@bmpwatch/api), shared with the dashboard.
import type { SourceFailure, SourceJson, SourceStatusName } from '@bmpwatch/api';

export type { SourceFailure, SourceJson, SourceStatusName };

export interface SourceStatus {
  status: SourceStatusName;
  /** One line for people, e.g. "3 topics, lag 12" or "listening on 0.0.0.0:11019, 2 routers". */
  detail: string;
  /** While the source cannot read: why (a Kafka consumer's failure kind and reason), since when, next retry. */
  failure?: SourceFailure;
}
