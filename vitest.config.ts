import { defineConfig } from 'vitest/config';

// One root config: every workspace's unit and integration tests run from here with `pnpm test:unit`.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/server', 'apps/cli', 'apps/web'],
  },
});
