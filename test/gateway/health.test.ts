import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { startTestEnvironment, type TestEnvironment } from '../support/gateway.js';

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
});
