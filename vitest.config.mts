import { defineConfig } from 'vitest/config';

/** Three tiers, each with its own script: unit (no I/O), integration and e2e (real servers). */
export default defineConfig({
  test: {
    // One file at a time across the tiers: the timer tests measure demo days of a second or so, and
    // two tiers' servers competing for two cores would make them flaky.
    maxWorkers: 1,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
