import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'demo-feed',
    include: ['test/**/*.test.ts'],
  },
});
