import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { PerformanceConfig } from '../../src/config.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, subscribe } from '../support/graphql.js';

/** Stock Yoga: no JIT, no token cache, no pipelining (Yoga's own parse cache is on by default). */
const STOCK: PerformanceConfig = { parseCache: true, jit: false, tokenCacheSize: 0, redisAutoPipelining: false, readCacheSize: 0, subscriptionPush: false };
const NO_PARSE_CACHE: PerformanceConfig = { ...STOCK, parseCache: false };
const FAST: PerformanceConfig = { parseCache: true, jit: true, tokenCacheSize: 100, redisAutoPipelining: true, readCacheSize: 100, subscriptionPush: true };

const ORDER = /* GraphQL */ `
  query Order($id: ID!) {
    order(id: $id) { id provider status total { amount currency minorUnits } items { name quantity amount { amount } } creation { status stopAction { type redirectUrl } } events { type status source } createdAt }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { id status } }
`;
const linkOrder = (amount: string) => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  items: [{ name: 'Mug', amount }],
  intergiro: { paymentType: 'LINK' },
  returnUrls: { success: 'https://shop.example/thanks' },
});

/**
 * The speed switches (src/server/performance.ts, token-cache.ts) change where time goes, never an
 * answer: the same requests to a stock gateway and a fast one on the same store get the same
 * status and the same body, errors, masking and auth included.
 */
describe.each(STORE_KINDS)('speed switches change no answer (%s store)', (kind) => {
  let env: TestEnvironment;
  let stock: Gateway;
  let uncached: Gateway;
  let fast: Gateway;
  let orderId: string;
  let reader: string;
  let creator: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    stock = await env.startGateway({ performance: STOCK });
    uncached = await env.startGateway({ performance: NO_PARSE_CACHE });
    fast = await env.startGateway({ performance: FAST });
    reader = await tokenFor('orders:read', 'back-office');
    creator = await tokenFor('orders:create', 'shop');
    const created = await gql<{ createOrder: { id: string } }>(stock.url, CREATE, { input: linkOrder('9.00') }, creator);
    orderId = created.data!.createOrder.id;
  });
  afterAll(() => env.close());

  const same = async (query: string, variables: (id: string) => Record<string, unknown>, token: () => string | undefined) => {
    const answers = [];
    // Twice each: the second request is the one served from the caches.
    for (const gateway of [stock, uncached, fast, stock, uncached, fast]) {
      const result = await gql(gateway.url, query, variables(orderId), token());
      answers.push({ status: result.status, raw: result.raw });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    return answers[0]!;
  };

  it('a read', async () => {
    const answer = await same(ORDER, (id) => ({ id }), () => reader);
    expect(answer.raw).toContain(orderId);
    // A variable named differently from its argument, and an anonymous operation.
    const renamed = await same('query($x: ID!) { order(id: $x) { id status } }', (id) => ({ x: id }), () => reader);
    expect(renamed.raw).toContain(orderId);
  });

  it('an unknown order (null), a missing variable, a wrong variable type, an unknown field', async () => {
    expect((await same(ORDER, () => ({ id: 'ord_unknown' }), () => reader)).raw).toContain('"order":null');
    expect((await same(ORDER, () => ({}), () => reader)).raw).toContain('errors');
    expect((await same(ORDER, () => ({ id: { not: 'an id' } }), () => reader)).raw).toContain('errors');
    expect((await same('{ order(id: "x") { nope } }', () => ({}), () => reader)).raw).toContain('nope');
  });

  it('no token, a forged token, a token without the scope: the contract codes, nothing leaked', async () => {
    const forged = await tokenFor('orders:read', 'back-office', '1h').then((token) => `${token.slice(0, -4)}AAAA`);
    const anonymous = await same(ORDER, (id) => ({ id }), () => undefined);
    expect(anonymous.raw).toContain('UNAUTHENTICATED');
    const bad = await same(ORDER, (id) => ({ id }), () => forged);
    expect(bad.raw).toContain('UNAUTHENTICATED');
    expect(bad.raw).not.toContain(forged);
    const manager = await tokenFor('orders:manage', 'back-office');
    expect((await same(ORDER, (id) => ({ id }), () => manager)).raw).toContain('FORBIDDEN');
  });

  it('an expired token is refused even after the same caller was cached', async () => {
    const expired = await tokenFor('orders:read', 'back-office', Math.floor(Date.now() / 1000) - 5);
    expect((await same(ORDER, (id) => ({ id }), () => expired)).raw).toContain('UNAUTHENTICATED');
  });

  it('zod validation of an input: BAD_USER_INPUT naming the field', async () => {
    const answer = await same(CREATE, () => ({ input: linkOrder('9.001') }), () => creator);
    expect(JSON.parse(answer.raw).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.items.0.amount' });
  });

  it('subscriptions over graphql-ws start with the same snapshot', async () => {
    const query = 'subscription W($orderId: ID!) { orderStatusChanged(orderId: $orderId) { previousStatus status final order { id status } } }';
    const first: unknown[] = [];
    for (const gateway of [stock, fast]) {
      const subscription = subscribe(gateway.url, reader, query, { orderId });
      first.push(await subscription.next());
      await subscription.dispose();
    }
    expect(first[1]).toEqual(first[0]);
    expect(first[0]).toMatchObject({ orderStatusChanged: { previousStatus: null, order: { id: orderId } } });
  });

  it('subscriptions with a renamed variable, and refused ones, answer the same', async () => {
    const query = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status order { id } } }';
    const outcomes: unknown[] = [];
    for (const gateway of [stock, fast]) {
      const mine = subscribe(gateway.url, reader, query, { id: orderId });
      outcomes.push(await mine.next());
      await mine.dispose();
      const unknown = subscribe(gateway.url, reader, query, { id: 'ord_unknown' });
      await unknown.done.catch(() => undefined);
      outcomes.push(JSON.stringify(unknown.errors));
      await unknown.dispose();
    }
    expect(outcomes[0]).toMatchObject({ orderStatusChanged: { order: { id: orderId } } });
    expect(outcomes[1]).toContain('NOT_FOUND');
    expect(outcomes.slice(2)).toEqual(outcomes.slice(0, 2));
  });
});
