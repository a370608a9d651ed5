import { defineConfig } from 'vitest/config';

// Node-side tests. The hours suite runs again under several TZ so that no result depends on the machine's zone.
const zones = ['UTC', 'America/New_York', 'Pacific/Auckland'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'node', include: ['test/shared/**/*.test.ts', 'test/service/**/*.test.ts', 'test/widget/**/*.node.test.ts', 'test/scripts/**/*.test.ts'], testTimeout: 20_000 } },
      ...zones.map((tz) => ({ test: { name: `hours ${tz}`, include: ['test/shared/hours*.test.ts'], env: { TZ: tz } } })),
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});
