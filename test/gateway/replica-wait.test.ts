/**
 * REDIS_WAIT_REPLICAS: an answer waits until that many replicas hold the write. On a Redis
 * without a replica nothing can be acknowledged (SERVICE_UNAVAILABLE, readiness 503); once a
 * replica has synced, the same requests go through, without a restart.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

describe('REDIS_WAIT_REPLICAS=1', () => {
  let env: TestEnvironment;
  let store: Store;
  let gateway: Gateway;
  let replica: RedisServer | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    // A replica on a loaded 2-core machine can take well over 100 ms to acknowledge a write.
    store = createRedisStore({ url: env.redis!.url, waitReplicas: 1, waitTimeoutMs: 1000, onError: () => undefined });
    gateway = await env.startGateway({}, { pollerDisabled: true, wrapStore: () => store });
  });
  afterAll(async () => {
    await gateway?.close();
    await store?.close();
    await replica?.stop();
    await env?.close();
  });

  const createCardOrder = async () => {
    const input = {
      provider: 'INTERGIRO',
      currency: 'EUR',
      amount: '30.00',
      intergiro: { paymentType: 'CARD', cardToken: `tok_visa_${randomUUID().replaceAll('-', '')}`, browser: INTERGIRO_TEST_BROWSER },
    };
    return gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, await tokenFor('orders:create', 'shop-wait'));
  };

  it('answers SERVICE_UNAVAILABLE (503), not the order, while no replica holds the write', async () => {
    const answer = await createCardOrder();
    expect(answer.data?.createOrder ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(answer.status).toBe(503);
    expect(answer.raw).not.toMatch(/replica|WAIT|redis/i);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(503);
  });

  it('acknowledges again once a replica holds the writes, without a restart', async () => {
    replica = await startRedisServer();
    const admin = new Redis(replica.port, '127.0.0.1');
    try {
      await admin.replicaof('127.0.0.1', String(env.redis!.port));
      for (let i = 0; i < 100 && !/master_link_status:up/.test(await admin.info('replication')); i++) await sleep(50);
    } finally {
      admin.disconnect();
    }
    // The replica's first acknowledgements may lag its link coming up on a busy machine.
    await eventually(async () => (await fetch(`${gateway.url}/health/ready`)).status === 200, 10_000);
    const answer = await createCardOrder();
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createOrder.status).toBe('AUTHORIZED');
  });
});
