import { defineConfig } from 'vitest/config';

// Test kinds live in the file name so each kind can run alone: `npm run test:unit` etc.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          // Property tests run hundreds of cases: seconds alone, far more on a busy machine.
          // A guard against a hang, not a measure of speed.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'int',
          include: ['test/**/*.int.test.ts'],
          // Kafka and PostgreSQL for the run: env, then testcontainers, then local services.
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          globalSetup: ['./test/support/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
