import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources under this condition (see any
// package.json's "exports"), so tests never need a build first.
const resolve = { conditions: ['@tokenlane/source', ...defaultServerConditions] };

// One vitest run for the whole monorepo: a single global setup starts one real Redis and one
// real Postgres for every test file; each file isolates itself (own database, own queue prefix).
export default defineConfig({
  resolve,
  ssr: { resolve },
  // The global setup runs in vitest's own `__vitest__` environment, which does not inherit `ssr`.
  environments: { __vitest__: { resolve } },
  test: {
    include: ['{packages,services}/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
