/**
 * A createOrder whose instance died between the provider's answer and the store write: the
 * client's retry with the same idempotency key, on another instance, is answered once the dead
 * holder's claim has run out, which is the creation's own bound (its provider call and the
 * store's retries: `creationSettleMs`), not the two minutes other keys keep. It is answered with
 * the order the dead instance made (found at Intergiro by the reference the gateway sent), and
 * nothing is created twice.
 *
 * Without the shorter claim the retry waits two minutes and this test times out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes/index.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { failOnEscapes } from '../support/faults.js';
import { freePort } from '../support/free-port.js';
import { AUTH_SECRET, eventually, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, tokenFor } from '../support/gateway.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { gql } from '../support/graphql.js';
import { intergiroCardOrder } from '../support/intergiro.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { recordSecrets, secretsOf } from '../support/test-logs.js';
import { intergiroDriver } from './chaos-intergiro.js';

/** A short provider bound keeps the creation's own bound (4 timeouts + 3 s) at 7 s. */
const PROVIDER_TIMEOUT_MS = 1000;

failOnEscapes();

describe('a createOrder whose instance was killed after Intergiro answered', () => {
  let redis: RedisServer;
  let running: RunningSandboxes;
  let a: Gateway;
  let b: GatewayProcess | null = null;
  let shop: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    running = await startSandboxes({
      gatewayUrl: publicUrl,
      secrets: { intergiroApiKey: INTERGIRO_API_KEY, intergiroCallbackSecret: INTERGIRO_CALLBACK_SECRET },
    });
    recordSecrets([AUTH_SECRET, ...secretsOf(running.configs)]);
    // Only the lookup may tell the gateways about the order: no callback.
    running.sandboxes.intergiro.pauseCallbacks(true);
    const driver = intergiroDriver(running.sandboxes.intergiro);
    a = await startGateway(
      { port, publicUrl, redisUrl: redis.url, auth: { jwtSecret: AUTH_SECRET }, sandbox: false, sandboxSecrets: {}, reconcileIntervalMs: 60_000, providerTimeoutMs: PROVIDER_TIMEOUT_MS, ...driver.config },
      { logger: silentLogger, shutdownGraceMs: 200, pollerDisabled: true },
    );
    b = await startGatewayProcess({
      REDIS_URL: redis.url,
      AUTH_JWT_SECRET: AUTH_SECRET,
      PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      RATE_LIMIT_PER_MINUTE: '0',
      ...driver.env,
    });
    shop = await tokenFor('orders:create', 'shop-create-after-kill');
  }, 60_000);

  afterAll(async () => {
    await b?.stop('SIGKILL');
    await a?.close();
    running?.sandboxes.intergiro.pauseCallbacks(false);
    await running?.close();
    await redis?.stop();
  });

  it('the retry on another instance takes over after the creation bound and answers the one order made', async () => {
    const intergiro = running.sandboxes.intergiro;
    const creations = /^POST \/v1\/order$/;
    const before = intergiro.faults.count(creations);
    const input = { ...intergiroCardOrder('42.00'), idempotencyKey: randomUUID() };

    // Intergiro makes the order and holds its answer; meanwhile the instance that asked dies.
    intergiro.faults.inject({ kind: 'hold', only: creations });
    const first = gql<{ createOrder: OrderView }>(b!.url, CREATE_ORDER, { input }, shop).catch(() => null);
    await eventually(async () => expect(intergiro.faults.held()).toBe(1), 20_000);
    await b!.stop('SIGKILL');
    b = null;
    intergiro.faults.release();
    await first;

    const retry = await gql<{ createOrder: OrderView }>(a.url, CREATE_ORDER, { input }, shop);
    expect(retry.errors).toBeUndefined();
    expect(retry.data?.createOrder.status).toBe('AUTHORIZED');
    expect(intergiro.faults.count(creations) - before).toBe(1);
    // Asked again, the key answers the same order.
    const again = await gql<{ createOrder: OrderView }>(a.url, CREATE_ORDER, { input }, shop);
    expect(again.data?.createOrder.id).toBe(retry.data?.createOrder.id);
    expect(intergiro.faults.count(creations) - before).toBe(1);
  }, 60_000);
});
