import { defineConfig } from 'vitest/config';

/**
 * Three lanes. unit: every *.test.ts on embedded PGlite. pg: the same database tests on a real
 * PostgreSQL server (TEST_DATABASE_URL, started by test/setup/with-postgres.mjs). e2e: the web app
 * in Debian Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'analytics/**/*.test.ts', 'common/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'pg',
          include: ['server/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.pglite.test.ts', '**/node_modules/**'],
          env: { TRELLIS_TEST_DB: 'postgres' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
