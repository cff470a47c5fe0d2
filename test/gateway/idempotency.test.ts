import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { Store } from '../../src/store/types.js';
import { APPLY_EVENTS, CREATE_ORDER } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER as BROWSER, intergiroLinkOrder, intergiroOrderCount } from '../support/intergiro.js';

const order = (key: string, amount = '10.00') => intergiroLinkOrder(amount, { idempotencyKey: key });

describe.each(STORE_KINDS)('idempotency keys (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let token: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    token = await tokenFor('orders:create', 'shop-idem');
  });
  afterAll(() => env.close());

  it('returns the first result for a repeat and calls the provider once', async () => {
    const before = await intergiroOrderCount(env.intergiro);
    const first = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('key-1') }, token)).createOrder;
    const again = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('key-1') }, token)).createOrder;
    expect(again.id).toBe(first.id);
    expect(again.providerOrderId).toBe(first.providerOrderId);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 1);
  });

  it('creates one order when requests with the same key race', async () => {
    const before = await intergiroOrderCount(env.intergiro);
    const results = await Promise.all(Array.from({ length: 6 }, () => gqlOk(gateway.url, CREATE_ORDER, { input: order('race-1') }, token)));
    expect(new Set(results.map((result) => result.createOrder.id)).size).toBe(1);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 1);
  });

  it('refuses the same key with a different input', async () => {
    await gqlOk(gateway.url, CREATE_ORDER, { input: order('key-2') }, token);
    const result = await gql(gateway.url, CREATE_ORDER, { input: order('key-2', '11.00') }, token);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
  });

  it('keeps keys per caller', async () => {
    const other = await tokenFor('orders:create', 'shop-other');
    const mine = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('shared-key') }, token)).createOrder;
    const theirs = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('shared-key') }, other)).createOrder;
    expect(theirs.id).not.toBe(mine.id);
  });

  it('keeps keys per caller also when a subject and a key together spell another caller\'s (a colon in a sub)', async () => {
    // "shop:createOrder:x" + key "y" and "shop" + key "x:createOrder:y" named one stored key:
    // the second caller got the first one's order, which its token may not even see.
    const first = await tokenFor('orders:create', `colon-${kind}`);
    const second = await tokenFor('orders:create', `colon-${kind}:createOrder:x`);
    const mine = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('x:createOrder:y') }, first)).createOrder;
    const theirs = (await gqlOk(gateway.url, CREATE_ORDER, { input: order('y') }, second)).createOrder;
    expect(theirs.id).not.toBe(mine.id);
    expect((await gqlOk(gateway.url, 'query($id: ID!) { order(id: $id) { id } }', { id: theirs.id }, second)).order?.id).toBe(theirs.id);
  });

  it('releases the key when the provider call failed, so a retry goes through', async () => {
    // Aimed at the creation: a background read of an earlier order must not take the fault first.
    env.intergiro.faults.inject({ kind: 'status', status: 500, only: /^POST \/v1\/order$/ });
    const failed = await gql(gateway.url, CREATE_ORDER, { input: order('retry-1') }, token);
    expect(failed.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    const retried = await gqlOk(gateway.url, CREATE_ORDER, { input: order('retry-1') }, token);
    expect(retried.createOrder.status).toBe('CREATED');
  });
});

/**
 * A store whose completion of order-event idempotency keys is lost, as when the instance stops
 * (or Redis restarts) after the change was stored and before its key was marked done, and the
 * key's in-progress claim has run out by the time the client retries.
 */
function losingKeyCompletions(store: Store): Store {
  const kv = store.kv;
  return {
    ...store,
    kv: {
      ...kv,
      get: (key) => kv.get(key),
      setIfAbsent: (key, value, ttl) => kv.setIfAbsent(key, value, ttl),
      delete: (key) => kv.delete(key),
      deleteIfEquals: (key, expected) => kv.deleteIfEquals(key, expected),
      append: (key, value, ttl) => kv.append(key, value, ttl),
      takeAll: (key) => kv.takeAll(key),
      increment: (key, ttl) => kv.increment(key, ttl),
      set: (key, value, ttl) => (/^idem:[^:]+:orderEvent:/.test(key) && value.includes('"done"') ? kv.delete(key) : kv.set(key, value, ttl)),
    },
    close: () => store.close(),
  };
}

describe.each(STORE_KINDS)('an order event whose key was not marked done (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    backOffice = await tokenFor('orders:create orders:read orders:manage', 'back-office-crash');
  });
  afterAll(() => env.close());

  it('is not sent to the provider again when the client retries with the same key', async () => {
    gateway = await env.startGateway({}, { wrapStore: losingKeyCompletions, pollerDisabled: true });
    const card = { paymentType: 'CARD', cardToken: `tok_visa_${randomUUID().replaceAll('-', '')}`, browser: BROWSER };
    const created = (await gqlOk(gateway.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '30.00', intergiro: card } }, backOffice)).createOrder;
    expect(created.status).toBe('AUTHORIZED');
    const capture = [{ orderId: created.id, events: [{ type: 'CAPTURE', amount: '10.00', idempotencyKey: 'capture-1' }] }];
    const patches = () => env.intergiro.faults.count(/^PATCH \/v1\/order$/);

    const first = (await gqlOk(gateway.url, APPLY_EVENTS, { input: capture }, backOffice)).applyOrderEvents[0]!;
    expect(first.status).toBe('PARTIALLY_CAPTURED');
    const sent = patches();
    // The key's completion was lost: only the order itself knows the capture was this request.
    const retry = (await gqlOk(gateway.url, APPLY_EVENTS, { input: capture }, backOffice)).applyOrderEvents[0]!;
    expect(retry).toMatchObject({ id: created.id, status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '10.00' } }] });
    expect(patches()).toBe(sent);
  });
});
