import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/store/redis.js';
import { startTestEnvironment, type TestEnvironment } from '../support/gateway.js';
import { startRedisServer } from '../support/redis-server.js';

describe('health endpoints (redis store)', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it('is live, and ready only while the store answers', async () => {
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'ok' });

    await env.redis!.stop();
    const started = Date.now();
    const down = await fetch(`${gateway.url}/health/ready`);
    expect(down.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);

    await env.redis!.restart();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await fetch(`${gateway.url}/health/ready`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });

  it('is not ready on a replica, which answers reads but refuses writes (READONLY)', async () => {
    const replica = await startRedisServer();
    const admin = new Redis(replica.port, '127.0.0.1');
    const store = createRedisStore({ url: replica.url, onError: () => undefined });
    try {
      await admin.replicaof('127.0.0.1', String(env.redis!.port));
      const gateway = await env.startGateway({}, { pollerDisabled: true, wrapStore: () => store });
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(503);
      // Promoted, it takes writes: ready again without a restart.
      await admin.replicaof('NO', 'ONE');
      expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
    } finally {
      admin.disconnect();
      await store.close();
      await replica.stop();
    }
  });
});

