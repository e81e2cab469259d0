import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    include: ['test/**/*.test.ts'],
    // One Kafka broker for the run, started in the background (test/support/global-kafka.ts).
    globalSetup: ['test/support/global-kafka.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
