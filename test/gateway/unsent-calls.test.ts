/**
 * A provider call that surely sent nothing (providers/http.ts: a refused connection, an open
 * circuit breaker) reserves nothing: the capture's intent is dropped at once and the creation's
 * intent too, so a retry with the same key is sent (once), instead of waiting for reconciliation
 * to give up on an outcome that was never in doubt. One gateway reaches Intergiro; another is
 * configured with an Intergiro address where nothing listens; both share the store.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Store } from '../../src/store/types.js';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { freePort } from '../support/free-port.js';
import { INTERGIRO_API_KEY, INTERGIRO_CALLBACK_SECRET, startTestEnvironment, tokenFor, type StoreKind, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroCardOrder } from '../support/intergiro.js';

type Applied = Awaited<ReturnType<typeof gql<{ applyOrderEvents: (OrderView | null)[] }>>>;

describe.each(['memory', 'redis'] as StoreKind[])('a call that surely sent nothing (%s store)', (kind) => {
  let env: TestEnvironment;
  let reaching: Gateway;
  let unreaching: Gateway;
  let store: Store;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    reaching = await env.startGateway({ reconcileIntervalMs: 60_000 }, { pollerDisabled: true });
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    unreaching = await env.startGateway(
      { reconcileIntervalMs: 60_000, intergiro: { url: nowhere, apiKey: INTERGIRO_API_KEY, callbackSecret: INTERGIRO_CALLBACK_SECRET } },
      { pollerDisabled: true },
    );
    store = env.newStore();
    shop = await tokenFor('orders:create', `shop-unsent-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', `back-office-unsent-${kind}`);
  });
  afterAll(() => env?.close());

  const capture = (gateway: Gateway, orderId: string, idempotencyKey: string): Promise<Applied> =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events: [{ type: 'CAPTURE', amount: '20.00', idempotencyKey }] }] }, backOffice);

  it('a capture whose connection was refused leaves nothing pending, and the retry with its key reaches Intergiro once', async () => {
    const order = (await gqlOk<{ createOrder: OrderView }>(reaching.url, CREATE_ORDER, { input: intergiroCardOrder('50.00') }, shop)).createOrder;
    const patches = () => env.intergiro.faults.count(/^PATCH \/v1\/order$/);
    const before = patches();
    const key = randomUUID();

    const refused = await capture(unreaching, order.id, key);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect((await store.orders.get(order.id))?.pendingOperations ?? []).toEqual([]);
    expect(patches()).toBe(before);

    const retried = await capture(reaching, order.id, key);
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(patches()).toBe(before + 1);
  });

  it('a creation whose connection was refused keeps no intent: the retry with its key creates the order at once, once', async () => {
    const input = { ...intergiroCardOrder('35.00'), idempotencyKey: randomUUID() };
    const posts = () => env.intergiro.faults.count(/^POST \/v1\/order$/);
    const before = posts();

    const refused = await gql(unreaching.url, CREATE_ORDER, { input }, shop);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(posts()).toBe(before);

    const retried = await gql<{ createOrder: OrderView }>(reaching.url, CREATE_ORDER, { input }, shop);
    expect(retried.errors).toBeUndefined();
    expect(retried.data?.createOrder).toMatchObject({ status: 'AUTHORIZED', total: { amount: '35.00' } });
    expect(posts()).toBe(before + 1);
  });
});
