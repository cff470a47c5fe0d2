/**
 * The request context is held only while work may read it (src/observability/request-context.ts):
 * a cached `order(id)` hit runs outside it, so with nothing else in flight the context's hooks
 * stay off; everything else holds it while it runs (an SSE stream until it closes) and lets it go
 * after. request-id.test.ts shows the context is read where it must be.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { currentRequestContext, requestContextsInUse } from '../../src/observability/request-context.js';
import type { Store } from '../../src/store/types.js';
import { CREATE_ORDER, GET_ORDER, WATCH_ORDER, type OrderView } from '../support/documents.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { sample, scrape } from '../support/metrics.js';

const linkOrder = { provider: 'INTERGIRO', currency: 'EUR', amount: '12.00', intergiro: { paymentType: 'LINK' } } as const;

/** What was true of the request context at each read of an order's version (a cache hit's one store read). */
interface VersionRead {
  inUse: boolean;
  context: string | undefined;
}

/** The store, with every `orders.version` read noted in `reads`. */
const notingVersionReads =
  (reads: VersionRead[]) =>
  (store: Store): Store => ({
    ...store,
    orders: new Proxy(store.orders, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (name === 'version') {
          return (orderId: string) => {
            reads.push({ inUse: requestContextsInUse(), context: currentRequestContext()?.requestId });
            return target.version(orderId);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  });

const hits = async (gateway: Gateway) => sample(await scrape(gateway), 'gateway_read_cache_total', { outcome: 'hit' }) ?? 0;

describe.each(STORE_KINDS)('the request context, held only while work may read it (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  const versionReads: VersionRead[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // No reconciliation passes: each would hold a context of its own for its while.
    gateway = await env.startGateway({}, { pollerDisabled: true, wrapStore: notingVersionReads(versionReads) });
    shop = await tokenFor('orders:create orders:read', 'shop-context');
  });
  afterAll(() => env.close());

  it('a cached order(id) hit runs outside any request context, with the hooks off when nothing else is in flight', async () => {
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shop)).order?.id).toBe(order.id); // kept
    await eventually(async () => !requestContextsInUse());

    const before = await hits(gateway);
    versionReads.length = 0;
    for (let i = 0; i < 3; i++) expect((await gqlOk(gateway.url, GET_ORDER, { id: order.id }, shop)).order?.id).toBe(order.id);
    expect(await hits(gateway)).toBe(before + 3);
    expect(versionReads).toHaveLength(3);
    expect(versionReads).toEqual(Array.from({ length: 3 }, () => ({ inUse: false, context: undefined })));
  });

  it('an SSE subscription holds its context until its stream closes, and nothing is held after it', async () => {
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    await eventually(async () => !requestContextsInUse());
    const stream = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: String(WATCH_ORDER), variables: { orderId: order.id } }),
      signal: stream.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the subscription is live
    const heldWhileOpen = requestContextsInUse();
    stream.abort();
    expect(heldWhileOpen).toBe(true);
    await eventually(async () => !requestContextsInUse());
  });

  it('a graphql-ws subscription holds its context while open and lets it go once ended', async () => {
    const order: OrderView = (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder }, shop)).createOrder;
    await eventually(async () => !requestContextsInUse());
    const watching = subscribe(gateway.url, shop, WATCH_ORDER, { orderId: order.id } as never);
    await eventually(async () => requestContextsInUse());
    await watching.dispose();
    await eventually(async () => !requestContextsInUse());
  });

  it('a graphql-ws operation, a webhook and a refused request each let the context go when done', async () => {
    const viaSocket = subscribe<{ createOrder: OrderView }>(gateway.url, shop, CREATE_ORDER, { input: linkOrder } as never);
    expect((await viaSocket.next()).createOrder.id).toBeTruthy();
    await viaSocket.dispose();
    expect((await fetch(`${gateway.url}/webhooks/intergiro`, { method: 'POST', headers: { 'content-type': 'application/jwt' }, body: 'forged' })).status).toBe(401);
    const refused = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: String(GET_ORDER), variables: { id: 'ord_none' } }) });
    expect(JSON.stringify(await refused.json())).toContain('UNAUTHENTICATED');
    await eventually(async () => !requestContextsInUse());
  });
});
