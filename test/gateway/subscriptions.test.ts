import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CREATE_ORDER, ORDER_UPDATES, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import {
  AUTH_SECRET,
  INTERGIRO_API_KEY,
  INTERGIRO_CALLBACK_SECRET,
  STORE_KINDS,
  startTestEnvironment,
  tokenFor,
  type TestEnvironment,
} from '../support/gateway.js';
import { startGatewayProcess } from '../support/gateway-process.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink } from '../support/intergiro.js';

const linkOrder = (amount = '40.00') => ({
  provider: 'INTERGIRO',
  currency: 'EUR',
  amount,
  intergiro: { paymentType: 'LINK' },
  returnUrls: { success: 'https://shop.example/thanks' },
});

describe.each(STORE_KINDS)('order status subscriptions (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    // A slow poller, so what the tests see comes from callbacks, not from a re-read racing them.
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
    shop = await tokenFor('orders:create', 'shop-subs');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const create = async (): Promise<OrderView> => (await gqlOk(gateway.url, CREATE_ORDER, { input: linkOrder() }, shop)).createOrder;
  const pay = async (order: OrderView): Promise<void> => {
    const link = order.creation.stopAction?.redirectUrl;
    if (!link) throw new Error('no payment link');
    const answer = await buyerUsesLink(link, 'pay');
    expect(answer.status).toBe(303);
  };

  it('sends the current state first, then the buyer paying, pushed by the callback', async () => {
    const order = await create();
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    const snapshot = (await watch.next()).orderStatusChanged;
    expect(snapshot).toMatchObject({ eventId: '1', previousStatus: null, status: 'CREATED', final: false });
    await pay(order);
    const paid = (await watch.next()).orderStatusChanged;
    expect(paid).toMatchObject({ eventId: '2', previousStatus: 'CREATED', status: 'AUTHORIZED', source: 'WEBHOOK' });
    expect(paid.order.status).toBe('AUTHORIZED');
    await watch.dispose();
  });

  it('tells a client that subscribes after the buyer paid at once', async () => {
    const order = await create();
    const seen = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await seen.next();
    await pay(order);
    await seen.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED');
    await seen.dispose();

    const late = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    const snapshot = (await late.next()).orderStatusChanged;
    expect(snapshot).toMatchObject({ previousStatus: null, status: 'AUTHORIZED', eventId: '2' });
    await late.dispose();
  });

  it('replays exactly the changes after `after`, then goes live, with no gap and no duplicate', async () => {
    const order = await create();
    const first = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await first.next();
    await pay(order);
    await first.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED');
    await first.dispose(); // the client drops after event 2

    await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '40.00' }] }] }, backOffice);
    await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.00' }] }] }, backOffice);

    const resumed = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id, after: '2' });
    const replayed = [(await resumed.next()).orderStatusChanged, (await resumed.next()).orderStatusChanged];
    expect(replayed.map((change) => [change.previousStatus, change.status])).toEqual([
      ['AUTHORIZED', 'CAPTURED'],
      ['CAPTURED', 'PARTIALLY_REFUNDED'],
    ]);
    await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND' }] }] }, backOffice);
    const live = (await resumed.next()).orderStatusChanged;
    expect(live).toMatchObject({ previousStatus: 'PARTIALLY_REFUNDED', status: 'REFUNDED', final: true });
    await resumed.done; // nothing can follow a final status
    // Every status change after event 2, each once and in order. Their event ids need not be
    // consecutive: the sandbox's callback for a refund may be an event of its own that changes no
    // status (on a loaded machine it came in before the last refund: 3, 4, 6).
    const ids = resumed.messages.map((message) => Number(message.orderStatusChanged.eventId));
    expect(ids[0]).toBeGreaterThan(2);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
  });

  it('streams every order of a provider to a back office with orderUpdates', async () => {
    const updates = subscribe<{ orderUpdates: { eventId: string; status: string; order: { id: string; provider: string } } }>(
      gateway.url,
      backOffice,
      ORDER_UPDATES,
      { provider: 'INTERGIRO' },
    );
    await new Promise((resolve) => setTimeout(resolve, 100)); // the socket is acknowledged and subscribed
    const order = await create();
    const created = await updates.waitFor((message) => message.orderUpdates.order.id === order.id);
    expect(created.orderUpdates).toMatchObject({ eventId: '1', status: 'CREATED', order: { provider: 'INTERGIRO' } });
    await pay(order);
    await updates.waitFor((message) => message.orderUpdates.order.id === order.id && message.orderUpdates.status === 'AUTHORIZED');
    await updates.dispose();
  });

  it('works over SSE too (snapshot first)', async () => {
    const order = await create();
    const controller = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: WATCH_ORDER, variables: { orderId: order.id } }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"status":"CREATED"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    expect(text).toContain('"previousStatus":null');
    controller.abort();
  });
});

describe('two gateway processes on one Redis', () => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
    // A slow poller, so what the tests see comes from callbacks, not from a re-read racing them.
    gateway = await env.startGateway({ reconcileIntervalMs: 60_000 });
  });
  afterAll(() => env.close());

  it('delivers a callback received by one process to a subscriber on the other', async () => {
    const other = await startGatewayProcess({
      SANDBOX: '0',
      REDIS_URL: env.redis!.url,
      AUTH_JWT_SECRET: AUTH_SECRET,
      INTERGIRO_URL: env.intergiro.url,
      INTERGIRO_API_KEY,
      INTERGIRO_CALLBACK_SECRET,
      RECONCILE_INTERVAL_MS: '60000',
    });
    try {
      const shop = await tokenFor('orders:create', 'shop-two');
      // Created through the other process, so Intergiro's callback goes to it.
      const order: OrderView = (await gqlOk(other.url, CREATE_ORDER, { input: linkOrder('12.00') }, shop)).createOrder;
      const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
      expect((await watch.next()).orderStatusChanged.status).toBe('CREATED');
      await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
      const paid = (await watch.next(10_000)).orderStatusChanged;
      expect(paid).toMatchObject({ status: 'AUTHORIZED', source: 'WEBHOOK' });
      expect(env.intergiro.sentCallbacks().some((sent) => sent.orderId === order.providerOrderId && sent.responseStatus === 200)).toBe(true);
      await watch.dispose();
    } finally {
      await other.stop();
    }
  });
});
