/** What configures the Kafka source (built by config/kafka.ts from the --kafka-* flags). */
import type { CodecName } from '@bmpwatch/kafka-codecs';

export type KafkaStart = 'latest' | 'earliest' | 'committed';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConfig {
  brokers: string[];
  /** A topic list, or a pattern. */
  topics: string[] | RegExp;
  groupId: string;
  clientId: string;
  start: KafkaStart;
  topicRefreshMs: number;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
  tls: { ca: string | null; insecure: boolean } | null;
  /** Codecs left out (--kafka-disable-codecs); empty normally. */
  disabledCodecs: CodecName[];
}
