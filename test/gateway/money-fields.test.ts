import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, GET_ORDER } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';
import { intergiroOrderCount } from '../support/intergiro.js';
import { awayFromWindowEdge } from '../support/rate-window.js';

/*
 * Aliases must not multiply what one operation may do at a provider (issue 16: one operation of
 * 15 aliased createOrder made 15 provider orders and counted once). Each order-creating or
 * money-moving root field counts against the caller's rate limit, and an operation may hold at
 * most QUERY_MAX_MONEY_FIELDS of them (default 20).
 */

const PER_MINUTE = 10;
const link = 'provider: INTERGIRO, currency: "EUR", amount: "1.00", intergiro: {paymentType: LINK}';
const aliasedCreates = (n: number): string =>
  `mutation { ${Array.from({ length: n }, (_, i) => `a${i}: createOrder(input: {${link}}) { id }`).join(' ')} }`;

describe('order-creating and money-moving fields per operation (Redis store)', () => {
  let env: TestEnvironment;
  let limited: Gateway;
  let capped: Gateway;
  let manager: string;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    limited = await env.startGateway({ rateLimitPerMinute: PER_MINUTE });
    capped = await env.startGateway({ maxMoneyFields: 3 });
    manager = await tokenFor('orders:read orders:manage', 'money-fields-back-office');
  });
  afterAll(() => env.close());
  beforeEach(awayFromWindowEdge, 15_000);

  it('counts each aliased createOrder against the rate limit: 12 in one operation over a budget of 10 make no order', async () => {
    const shop = await tokenFor('orders:create', 'money-fields-aliases');
    const before = await intergiroOrderCount(env.intergiro);
    const refused = await gql(limited.url, aliasedCreates(12), {}, shop);
    expect(refused.status).toBe(429);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(refused.data ?? null).toBeNull();
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
  });

  it('lets a few aliased creates through, each spending the budget', async () => {
    const shop = await tokenFor('orders:create', 'money-fields-spender');
    const before = await intergiroOrderCount(env.intergiro);
    const four = await gqlOk(limited.url, aliasedCreates(4), {}, shop);
    expect(Object.keys(four)).toHaveLength(4);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 4);
    // 4 of 10 spent: seven more in one operation is over budget, although it is a single request.
    expect((await gql(limited.url, aliasedCreates(7), {}, shop)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(await intergiroOrderCount(env.intergiro)).toBe(before + 4);
  });

  it('counts creates hidden in a fragment on Mutation, and over graphql-ws', async () => {
    const shop = await tokenFor('orders:create', 'money-fields-fragments');
    const before = await intergiroOrderCount(env.intergiro);
    const fragment = `mutation { ...Many } fragment Many on Mutation { ${Array.from({ length: 12 }, (_, i) => `f${i}: createOrder(input: {${link}}) { id }`).join(' ')} }`;
    expect((await gql(limited.url, fragment, {}, shop)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    const socketShop = await tokenFor('orders:create', 'money-fields-socket');
    const overSocket = subscribe(limited.url, socketShop, aliasedCreates(12));
    await overSocket.done.catch(() => undefined);
    expect(JSON.stringify(overSocket.errors)).toContain('RATE_LIMITED');
    expect(overSocket.messages).toEqual([]);
    await overSocket.dispose();
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
  });

  it('refuses more than the per-operation cap with BAD_USER_INPUT naming the field past it, before anything runs', async () => {
    const shop = await tokenFor('orders:create', 'money-fields-capped');
    const before = await intergiroOrderCount(env.intergiro);
    const refused = await gql(capped.url, aliasedCreates(4), {}, shop);
    expect(refused.errors).toEqual([
      { message: 'At most 3 orders created or money movements (order events) per operation; this one has 4', extensions: { code: 'BAD_USER_INPUT', field: 'a3' } },
    ]);
    expect(await intergiroOrderCount(env.intergiro)).toBe(before);
    // Up to the cap is fine (no rate limit on this instance).
    expect(Object.keys(await gqlOk(capped.url, aliasedCreates(3), {}, shop))).toHaveLength(3);
  });

  it('counts applyOrderEvents by its events, given inline or in variables', async () => {
    const shop = await tokenFor('orders:create', 'money-fields-events');
    const order = (await gqlOk(capped.url, CREATE_ORDER, { input: { provider: 'INTERGIRO', currency: 'EUR', amount: '5.00', intergiro: { paymentType: 'LINK' } } }, shop)).createOrder;
    const snapshot = async () => (await gqlOk(capped.url, GET_ORDER, { id: order.id }, manager)).order;
    const before = await snapshot();
    const events = Array.from({ length: 4 }, () => ({ type: 'REFUND', amount: '1.00' }));
    const viaVariables = await gql(capped.url, 'mutation($input: [OrderEventsInput!]!) { applyOrderEvents(input: $input) { id } }', { input: [{ orderId: order.id, events }] }, manager);
    expect(viaVariables.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'applyOrderEvents' });
    const inline = `mutation { applyOrderEvents(input: [{orderId: "${order.id}", events: [{type: CANCEL}, {type: CANCEL}]}, {orderId: "${order.id}", events: [{type: CANCEL}, {type: CANCEL}]}]) { id } }`;
    expect((await gql(capped.url, inline, {}, manager)).errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'applyOrderEvents' });
    expect(await snapshot()).toEqual(before);
  });
});
