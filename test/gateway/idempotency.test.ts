import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { intergiroOrderCount } from '../support/intergiro.js';

const order = (key: string, amount = '10.00') => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount,
  intergiro: { paymentType: 'LINK' },
  idempotencyKey: key,
});

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

  it('releases the key when the provider call failed, so a retry goes through', async () => {
    env.intergiro.fault('http500');
    const failed = await gql(gateway.url, CREATE_ORDER, { input: order('retry-1') }, token);
    expect(failed.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    const retried = await gqlOk(gateway.url, CREATE_ORDER, { input: order('retry-1') }, token);
    expect(retried.createOrder.status).toBe('CREATED');
  });
});
