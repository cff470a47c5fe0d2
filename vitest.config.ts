import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CommonJS (main) and ESM (module). Node loads the CommonJS build for Yoga and
    // for us; Vite would pick the ESM one for our sources only, and two copies of graphql break
    // `instanceof GraphQLError`. One copy, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Real servers (Redis, HTTP, WebSocket) start in hooks; tests wait on real deliveries.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Child processes (redis-server) are cleaned up when a fork exits.
    pool: 'forks',
    // Two files at once even on two cores (vitest's default there is one): most of a file's time
    // is waiting on real deliveries, timers and child processes, not CPU. On 7 December the whole
    // suite took 944 s with two against about 1,620 s with one, with every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Clears test/.logs, which the log scan (scripts/scan-test-logs.ts) reads after the run.
    globalSetup: ['test/support/global-setup.ts'],
  },
});
