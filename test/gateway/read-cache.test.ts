/**
 * The order(id) answer cache (src/server/read-cache.ts) never serves a stale read: a read that
 * starts after a write was acknowledged sees that write, also on another instance of the same
 * Redis that never heard the change (its feed is cut, so only the version check can save it);
 * an answer is per caller, and a hit still checks the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { signClientToken } from '../../src/server/auth.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, type OrderView } from '../support/documents.js';
import { AUTH_SECRET, STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';
import { sample, scrape } from '../support/metrics.js';

const linkOrder = { provider: 'INTERGIRO', currency: 'EUR', amount: '25.00', intergiro: { paymentType: 'LINK' } } as const;

/** A store whose change feed never delivers: the instance hears of no change made elsewhere. */
const deaf = (store: Store): Store => ({ ...store, changes: { subscribe: async () => () => undefined } });

const hits = async (gateway: Gateway, outcome: 'hit' | 'stale' = 'hit') => sample(await scrape(gateway), 'gateway_read_cache_total', { outcome }) ?? 0;

describe('the order(id) answer cache, two instances on one Redis', () => {
  let env: TestEnvironment;
  let writer: Gateway;
  let reader: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    writer = await env.startGateway();
    reader = await env.startGateway({}, { wrapStore: deaf });
    shop = await tokenFor('orders:create', 'shop-cache');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-cache');
  });
  afterAll(() => env.close());

  it('a read after an acknowledged write on the other instance sees the write, though the reader never heard of it', async () => {
    const order: OrderView = (await gqlOk(writer.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    const authorized = async () => (await gqlOk(writer.url, GET_ORDER, { id: order.id }, backOffice)).order?.status === 'AUTHORIZED';
    while (!(await authorized())) await new Promise((resolve) => setTimeout(resolve, 20));

    // The reader keeps its answer: the second and third reads are hits.
    const before = await hits(reader);
    for (let i = 0; i < 3; i++) expect((await gqlOk(reader.url, GET_ORDER, { id: order.id }, backOffice)).order?.status).toBe('AUTHORIZED');
    expect(await hits(reader)).toBe(before + 2);

    // Captured through the writer: acknowledged, then read at once on the reader.
    const captured = await gqlOk(writer.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
    expect(captured.applyOrderEvents[0]?.status).toBe('CAPTURED');
    expect((await gqlOk(reader.url, GET_ORDER, { id: order.id }, backOffice)).order?.status).toBe('CAPTURED');
    expect(await hits(reader, 'stale')).toBeGreaterThanOrEqual(1);

    // And the next write likewise.
    await gqlOk(writer.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }] }, backOffice);
    expect((await gqlOk(reader.url, GET_ORDER, { id: order.id }, backOffice)).order?.status).toBe('PARTIALLY_REFUNDED');
  });
});

describe.each(STORE_KINDS)('the order(id) answer cache (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
  });
  afterAll(() => env.close());

  it("keeps an answer per caller: another caller never gets it, and the owner's own change is seen at once", async () => {
    const shop = await tokenFor('orders:create', 'shop-a');
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    const before = await hits(gateway);
    const successes = async () => sample(await scrape(gateway), 'gateway_graphql_operations_total', { type: 'query', name: 'GetOrder', outcome: 'success' }) ?? 0;
    const succeededBefore = await successes();
    for (let i = 0; i < 2; i++) expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shop)).order?.id).toBe(order.id);
    expect(await hits(gateway)).toBe(before + 1);
    // The hit is counted as the operation it answers, as the miss before it was.
    expect(await successes()).toBe(succeededBefore + 2);

    // Another shop asks with the same document and variables: not visible to it, as without the cache.
    const stranger = await tokenFor('orders:create', 'shop-b');
    for (let i = 0; i < 2; i++) expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, stranger)).order).toBeNull();

    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    const seen = async () => (await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shop)).order?.status;
    const deadline = Date.now() + 5000;
    while ((await seen()) !== 'AUTHORIZED' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await seen()).toBe('AUTHORIZED');
  });

  it("a hit answers its own request's origin: a frontend on another origin is not handed the first one's CORS headers", async () => {
    const shop = await tokenFor('orders:create', 'shop-origins');
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    const readFrom = async (origin: string) => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${shop}` },
        body: JSON.stringify({ query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: order.id } }),
      });
      expect(await response.json()).toEqual({ data: { order: { id: order.id } } });
      return response.headers.get('access-control-allow-origin');
    };
    for (const origin of ['https://shop-one.example', 'https://shop-two.example', 'https://shop-one.example', 'https://shop-two.example']) {
      expect(await readFrom(origin)).toBe(origin);
    }
    expect(await hits(gateway)).toBeGreaterThan(0);
  });

  it('a hit still checks the token: once it has expired the read is refused', async () => {
    const shop = await tokenFor('orders:create', 'shop-expiring');
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await signClientToken(AUTH_SECRET, { sub: 'shop-expiring', scope: 'orders:create' }, expiresAt);
    const before = await hits(gateway);
    for (let i = 0; i < 2; i++) expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shortLived)).order?.id).toBe(order.id);
    expect(await hits(gateway)).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt * 1000 - Date.now()) + 1100));
    const refused = await gql(gateway.url, GET_ORDER, { id: order.id }, shortLived);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('the order(id) answer cache with auto-pipelining: hits of one turn share one version read', () => {
  let env: TestEnvironment;
  let writer: Gateway;
  let reader: Gateway;
  let store: Store;
  let versionReads = 0;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    writer = await env.startGateway();
    // As `npm start` with Redis runs it (REDIS_AUTO_PIPELINING on); its feed cut, so only the version check can see a change.
    store = createRedisStore({ url: env.redis!.url, autoPipelining: true, onError: () => undefined });
    const counted: Store = {
      ...store,
      changes: { subscribe: async () => () => undefined },
      orders: { ...store.orders, version: (id) => (versionReads++, store.orders.version(id)) },
    };
    reader = await env.startGateway({}, { wrapStore: () => counted, pollerDisabled: true });
  });
  afterAll(async () => {
    await env.close();
    await store.close();
  });

  it('answers a burst of reads with fewer version reads than hits, and a burst after an acknowledged write elsewhere all see it', async () => {
    const shop = await tokenFor('orders:create', 'shop-burst');
    const backOffice = await tokenFor('orders:read orders:manage', 'back-office-burst');
    const order: OrderView = (await gqlOk(writer.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    const status = async (url: string) => (await gqlOk(url, GET_ORDER, { id: order.id }, backOffice)).order?.status;
    while ((await status(writer.url)) !== 'AUTHORIZED') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await status(reader.url)).toBe('AUTHORIZED'); // kept

    const burst = async () => Promise.all(Array.from({ length: 100 }, () => status(reader.url)));
    // The first burst opens the client's connections; over them the next one arrives together.
    await burst();
    const hitsBefore = await hits(reader);
    const readsBefore = versionReads;
    expect(new Set(await burst())).toEqual(new Set(['AUTHORIZED']));
    const burstHits = (await hits(reader)) - hitsBefore;
    expect(burstHits).toBe(100);
    expect(versionReads - readsBefore).toBeLessThan(burstHits);

    await gqlOk(writer.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
    expect(new Set(await burst())).toEqual(new Set(['CAPTURED']));
  });
});
