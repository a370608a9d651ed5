import { configDefaults, defineConfig } from 'vitest/config';
import { findPostgres } from './test/pg/cluster.js';

// Node-side tests. The hours suite runs again under several TZ so that no result depends on the machine's zone.
const zones = ['UTC', 'America/New_York', 'Pacific/Auckland'];

// The store contract and the API tests run again on PostgreSQL, in a throwaway cluster the run starts itself
// (test/pg). Without PostgreSQL installed they are left out, and said so; CI must run them.
const postgres = findPostgres();
if ('missing' in postgres) {
  const required = (process.env.CI && process.env.CI !== 'false') || process.env.PERMANENCE_REQUIRE_POSTGRES;
  if (required) throw new Error(`PostgreSQL tests cannot run, and CI must run them: ${postgres.missing}`);
  console.warn(`PostgreSQL tests did not run: ${postgres.missing}`);
}
const postgresOnly = 'test/service/store/postgres*.test.ts';
const onPostgres = {
  test: {
    name: 'postgres',
    include: ['test/service/*.test.ts', 'test/service/store/contract.test.ts', postgresOnly],
    // Left on SQLite: tests that copy SQLite files on purpose, and those that open no store.
    exclude: [...configDefaults.exclude, 'test/service/backup.test.ts', 'test/service/env.test.ts', 'test/service/sms.test.ts', 'test/service/templates.test.ts'],
    env: { PERMANENCE_TEST_STORE: 'postgres' },
    globalSetup: ['test/pg/global-setup.ts'],
    setupFiles: ['test/pg/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/shared/**/*.test.ts', 'test/service/**/*.test.ts', 'test/console/**/*.test.ts', 'test/widget/**/*.node.test.ts', 'test/scripts/**/*.test.ts'],
          exclude: [...configDefaults.exclude, postgresOnly],
          testTimeout: 20_000,
        },
      },
      ...zones.map((tz) => ({ test: { name: `hours ${tz}`, include: ['test/shared/hours*.test.ts'], env: { TZ: tz } } })),
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      ...('bin' in postgres ? [onPostgres] : []),
    ],
  },
});
