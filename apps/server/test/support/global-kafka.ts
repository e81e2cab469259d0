/**
 * vitest globalSetup: one Kafka broker for the whole server test run. It is started in the background so that
 * runs which need no Kafka (unit tests) do not wait for it; tests that need it call `sharedKafka()`, which waits
 * for the state file this setup writes. Teardown stops the broker (after its start finishes, if still going).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type KafkaBroker, startKafka } from './kafka-broker.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaStateFile: string;
  }
}

export interface SharedKafkaState {
  state: 'starting' | 'ready' | 'failed';
  brokers?: string[];
  error?: string;
  external?: boolean;
}

export default function setup(project: TestProject): () => Promise<void> {
  const file = join(tmpdir(), `bmpwatch-server-kafka-${process.pid}-${Date.now()}.json`);
  const write = (s: SharedKafkaState) => writeFileSync(file, JSON.stringify(s));
  write({ state: 'starting' });
  const t0 = Date.now();
  const starting: Promise<KafkaBroker | null> = startKafka().then(
    (broker) => {
      write({ state: 'ready', brokers: broker.brokers, external: broker.external });
      console.info(
        `server tests: Kafka ${broker.brokers.join(',')} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      return broker;
    },
    (err: Error) => {
      write({ state: 'failed', error: err.message });
      return null;
    },
  );
  project.provide('kafkaStateFile', file);
  return async () => {
    const broker = await starting;
    await broker?.stop();
    rmSync(file, { force: true });
  };
}
