import { defineConfig } from 'vitest/config';

/**
 * The cluster tier (`npm run test:cluster`): the production shape — Temporal server on PostgreSQL,
 * two workers, two API instances, each its own process — started once by the test file itself,
 * which also does to it what outages do. Kept out of vitest.config.mts so `npm test`'s vitest
 * tier does not start a cluster; scripts/test-all.ts runs this tier on its own.
 */
export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
