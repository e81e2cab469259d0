/** The run's shared Kafka broker (see global-kafka.ts): waits until it serves, or fails with its start error. */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { SharedKafkaState } from './global-kafka.ts';
import { waitUntil } from './wait.ts';

export async function sharedKafka(timeoutMs = 600_000): Promise<string[]> {
  const file = inject('kafkaStateFile');
  const s = await waitUntil(
    () => {
      const st = JSON.parse(readFileSync(file, 'utf8')) as SharedKafkaState;
      return st.state === 'starting' ? undefined : st;
    },
    'the shared Kafka broker to start',
    timeoutMs,
    200,
  );
  if (s.state === 'failed') throw new Error(`the shared Kafka broker did not start: ${s.error}`);
  return s.brokers!;
}
