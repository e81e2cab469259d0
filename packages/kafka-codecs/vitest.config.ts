import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'kafka-codecs',
    include: ['test/**/*.test.ts'],
  },
});
