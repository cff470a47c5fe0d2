import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { buyerOnCheckout, dinteroCallback, dinteroOrderInput } from '../support/dintero.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerOnPei, postPeiPostback } from '../support/pei.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/*
 * Pei's postback and Dintero's callback are unsigned hints: the gateway re-reads the provider
 * before believing one. A forged burst must not turn into a burst of provider reads: at most one
 * re-read per order per interval (the lease order(id)'s read-through takes too), and one per
 * provider per interval for hints naming no order the gateway knows. A genuine callback that
 * comes during the burst is not lost: the order is re-read when the lease ends.
 */

/** Long enough that a burst of requests surely falls inside one lease, even on a slow machine. */
const INTERVAL_MS = 3000;
const BURST = 20;

const peiOrder = {
  provider: 'PEI',
  currency: 'ISK',
  items: [{ name: 'Hints box', amount: '1200' }],
  buyer: { name: 'Jane Hint', email: 'jane@example.com', nationalId: '0102882849' },
  returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel' },
};
const CREATE = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id providerOrderId status creation { stopAction { redirectUrl } } payments { id } } }';

describe('unsigned webhook hints cost at most one provider read per order per interval (Redis store)', () => {
  let env: TestEnvironment;
  let proxy: RecordingProxy;
  let gateway: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    // Pei's REST calls go through a recording proxy, so the test sees every read the gateway makes.
    proxy = await startRecordingProxy(env.sandboxes.pei.config.url);
    gateway = await env.startGateway({ reconcileIntervalMs: INTERVAL_MS, pei: { ...env.sandboxes.pei.config, url: proxy.url } });
    shop = await tokenFor('orders:create', 'hints-shop');
  });
  afterAll(async () => {
    await env.close();
    await proxy.close();
  });

  it('Pei: a forged burst for one order costs one read; the genuine postback during it still makes the order CAPTURED', async () => {
    const order = (await gqlOk(gateway.url, CREATE, { input: peiOrder }, shop)).createOrder;
    const readsOfOrder = () => proxy.requestsTo('GET', `/api/orders/${order.providerOrderId}`).length;
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');
    const before = readsOfOrder();

    const forged = { orderId: order.providerOrderId, purchaseId: 4242, mandateId: null };
    const statuses = await Promise.all(Array.from({ length: BURST }, () => postPeiPostback(gateway.url, forged).then((answer) => answer.status)));
    // One was let in, re-read Pei and was found forged; the others were turned away unread.
    expect(statuses.filter((status) => status === 401)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BURST - 1);
    expect(readsOfOrder() - before).toBe(1);
    expect(await env.newStore().orders.get(order.id)).toMatchObject({ status: 'CREATED' });

    // The buyer confirms now; Pei's postback (and its retries) come while the lease still holds.
    await buyerOnPei(order.creation.stopAction.redirectUrl, 'confirm');
    const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED', 4 * INTERVAL_MS)).orderStatusChanged;
    // Pei's genuine postback, to the URL the gateway signed for the order, has a lease of its own:
    // the forged burst (to the bare route) cannot turn it away, so it is believed at once.
    await env.sandboxes.pei.postbacksIdle();
    const attempts = env.sandboxes.pei.postbacks().filter((attempt) => attempt.body.orderId === order.providerOrderId);
    expect(attempts[0]?.responseStatus).toBe(200);
    expect(paid.source).toBe('WEBHOOK');
    await watch.dispose();
  }, 30_000);

  it('Pei: postbacks naming orders the gateway does not know cost one read per interval altogether', async () => {
    const madeUpReads = () => proxy.requests.filter((request) => request.path.startsWith('/api/orders/made-up-')).length;
    const statuses = await Promise.all(
      Array.from({ length: BURST }, (_, i) => postPeiPostback(gateway.url, { orderId: `made-up-${i}`, purchaseId: 1, mandateId: null }).then((answer) => answer.status)),
    );
    // Each made-up id is answered as a read of it answers (security probe 4: a 429 here told the
    // ids apart from known ones), but Pei is read for one of them only.
    expect(statuses.filter((status) => status === 401)).toHaveLength(BURST);
    expect(madeUpReads()).toBe(1);
  });

  it('Dintero: forged callbacks for one order (made-up transactions) cost one transaction read per interval', async () => {
    const dintero = env.sandboxes.dintero;
    const order = (await gqlOk(gateway.url, CREATE, { input: dinteroOrderInput() }, shop)).createOrder as unknown as OrderView & { creation: { stopAction: { redirectUrl: string } } };
    const transactionReads = () => dintero.requests().filter((request) => /\/transactions\/T-forged-/.test(request.path)).length;
    const statuses = await Promise.all(
      Array.from({ length: BURST }, (_, i) => dinteroCallback(gateway.url, { transaction_id: `T-forged-${i}`, merchant_reference: order.providerOrderId! })),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BURST - 1);
    expect(transactionReads()).toBe(1);

    // The genuine callback during the lease is throttled, and the order is still AUTHORIZED once it ends.
    await buyerOnCheckout(order.creation.stopAction.redirectUrl, 'pay', { callback: 'before' });
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    expect((await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 4 * INTERVAL_MS)).orderStatusChanged.status).toBe('AUTHORIZED');
    await watch.dispose();
  }, 30_000);
});
