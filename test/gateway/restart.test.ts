import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER, GET_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { buyerUsesLink, intergiroLinkOrder } from '../support/intergiro.js';

describe('a gateway restart on Redis', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await startTestEnvironment('redis');
  });
  afterAll(() => env.close());

  it('loses no order, history or pending re-read: the next instance picks them up', async () => {
    const shop = await tokenFor('orders:create', 'shop-restart');
    const first = await env.startGateway({ reconcileIntervalMs: 200 });
    const order: OrderView = (
      await gqlOk(first.url, CREATE_ORDER, { input: intergiroLinkOrder('21.00') }, shop)
    ).createOrder;
    await first.close();

    // The buyer pays while no gateway runs: Intergiro's callbacks go nowhere.
    await buyerUsesLink(order.creation.stopAction!.redirectUrl!, 'pay');
    await env.intergiro.callbacksIdle();
    const paidCallbacks = env.intergiro.sentCallbacks().filter((sent) => sent.orderId === order.providerOrderId && sent.status === 'ordered');
    expect(paidCallbacks.length).toBeGreaterThan(0);
    expect(paidCallbacks.every((sent) => sent.responseStatus === null)).toBe(true);

    const second = await env.startGateway({ reconcileIntervalMs: 200 });
    const stored = (await gqlOk(second.url, GET_ORDER, { id: order.id }, shop)).order;
    expect(stored).toMatchObject({ id: order.id, providerOrderId: order.providerOrderId, total: { amount: '21.00' } });
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(second.url, shop, WATCH_ORDER, { orderId: order.id });
    const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED', 5000)).orderStatusChanged;
    expect(paid.source).toBe('RECONCILIATION');
    await watch.dispose();
  });
});
