import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Real servers (Redis, HTTP, WebSocket) start in hooks; tests wait on real deliveries.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Child processes (redis-server) are cleaned up when a fork exits.
    pool: 'forks',
  },
});
