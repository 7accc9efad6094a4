/**
 * The test support every package and service test may import (`@tokenlane/test-support`):
 * the suite's real Redis and Postgres (started once by ./global-setup.ts), an in-process
 * runtime whose secrets and logs join the end-of-run secret scan, a throwaway Postgres
 * server, and a Prometheus text parser. Cross-process helpers (stacks, peers, fault proxies)
 * stay beside the end-to-end tests that use them.
 */
export { createTestDatabase, testRedisUrl, uniquePrefix } from './harness.js';
export type { TestDatabase } from './harness.js';
export { postgresBinDir, startLocalPostgres } from './local-postgres.js';
export type { LocalPostgres } from './local-postgres.js';
export { parsePrometheusText, sampleValue } from './prometheus-text.js';
export type { ParsedExposition, PrometheusSample } from './prometheus-text.js';
export { openTestRuntime, TEST_PUBLIC_URL } from './runtime.js';
export type { OpenTestRuntimeOptions, TestRuntime } from './runtime.js';
export {
  connectionInput,
  fakeCiphertext,
  linkSessionInput,
  migratedPerSuite,
  openMigrated,
  refreshedTokens,
  TEST_DIALECTS,
} from './db-dialects.js';
export type { TestDatabaseHandle, TestDialect } from './db-dialects.js';
