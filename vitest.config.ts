import { defineConfig } from 'vitest/config';

/** Files that load the shared DynamoDB Local heavily; they run after the rest, on their own. */
const LOAD_TESTS = [
  'test/integration/platform/crash-retry.test.ts',
  'test/integration/platform/fault-profile.test.ts',
];
/**
 * Postbacks that must finish inside the gateway's 29 s, like on AWS: the 1000×10 postback, and the
 * 6 MB gzip one (2,700 items). DynamoDB Local serves one request at a time, so they run last and
 * alone, where no other file's writes (runs applied to findings by the dispatcher among them) queue
 * in front of theirs.
 */
const DEADLINE_TESTS = [
  'test/integration/scanner/ingest-concurrency.test.ts',
  'test/integration/platform/gateway-limits.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Request logs stay quiet in tests; errors still print.
    env: { WRO_LOG_LEVEL: 'ERROR' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [...LOAD_TESTS, ...DEADLINE_TESTS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The crash points send hundreds of requests at once; run alongside the suite they starved
        // its time-limited cases (the 1000×10 postback has the gateway's 29 s like on AWS).
        extends: true,
        test: { name: 'load', include: LOAD_TESTS, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'deadline', include: DEADLINE_TESTS, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
