/** Server arguments for a Kafka-only bmpwatch (no BMP listener): what the Kafka tests and benches start. */
export interface KafkaArgs {
  brokers: string[];
  /** A topic list ('a,b') or a /regex/. */
  topics: string;
  group: string;
  /** --kafka-topic-refresh in seconds, when a test needs new topics found quickly. */
  topicRefreshS?: number;
}

export function kafkaServerArgs(a: KafkaArgs): string[] {
  return [
    '--no-bmp',
    '--kafka-brokers',
    a.brokers.join(','),
    '--kafka-topics',
    a.topics,
    // From the earliest offset: tests produce before or while the server starts.
    '--kafka-start',
    'earliest',
    ...(a.topicRefreshS === undefined ? [] : ['--kafka-topic-refresh', String(a.topicRefreshS)]),
    '--kafka-group',
    a.group,
  ];
}
