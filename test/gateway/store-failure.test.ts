import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../src/app.js';
import { silentLogger } from '../../src/log.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { CREATE_ORDER } from '../support/documents.js';
import { AUTH_SECRET, INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { intergiroLinkOrder, intergiroOrderCount } from '../support/intergiro.js';

/** A real store whose next `failures` order creations fail, as during a Redis failover. */
function flakyStore(failures: { left: number }): Store {
  const store = createMemoryStore();
  const create = store.orders.create.bind(store.orders);
  store.orders.create = async (order) => {
    if (failures.left > 0) {
      failures.left--;
      throw new Error('store unavailable');
    }
    return create(order);
  };
  return store;
}

describe('an order the provider accepted while the store blinks', () => {
  let env: TestEnvironment;
  let gateway: Gateway;
  const failures = { left: 0 };

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    gateway = await startGateway(
      {
        port: 0,
        auth: { jwtSecret: AUTH_SECRET },
        sandbox: false,
        sandboxSecrets: {},
        reconcileIntervalMs: 60_000,
        providerTimeoutMs: 1500,
        intergiro: { url: env.intergiro.url, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET },
      },
      { logger: silentLogger, store: flakyStore(failures), shutdownGraceMs: 200 },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await env.close();
  });

  it('is stored once the store answers again, without a second provider call', async () => {
    const before = await intergiroOrderCount(env.intergiro);
    failures.left = 2;
    const order = (
      await gqlOk(gateway.url, CREATE_ORDER, { input: intergiroLinkOrder('3.00') }, await tokenFor('orders:create'))
    ).createOrder;
    expect(failures.left).toBe(0);
    expect(order.status).toBe('CREATED');
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 1);
  });
});
