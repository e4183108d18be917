import { defineConfig } from 'vitest/config';

/**
 * Three lanes. unit: every *.test.ts on embedded PGlite. pg: the same database tests on a real
 * PostgreSQL server (TEST_DATABASE_URL, started by test/setup/with-postgres.mjs). e2e: the web app
 * in Debian Chromium.
 */
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: one, on the two-core target. The
    // database tests are CPU-bound in their own processes, so two run side by side.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'analytics/**/*.test.ts', 'common/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
          // One migrated PGlite dumped once; each file's database starts from it (test/harness.ts).
          globalSetup: ['test/setup/pglite-template.ts'],
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
