import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration and end-to-end tests share one machine's Redis and CPUs: keep the load sane.
    maxWorkers: 2,
  },
});
