/**
 * What `close()` (SIGTERM's handler in main.ts) does with work under way: a provider callback
 * being handled is finished and stored before the gateway stops (the provider got its 2xx, so
 * nothing would resend it), and an open SSE subscription stream ends instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CREATE_ORDER, WATCH_ORDER } from '../support/documents.js';
import { STORE_KINDS, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { buyerOnPei, postPeiPostback } from '../support/pei.js';

const peiOrder = {
  provider: 'PEI',
  currency: 'ISK',
  items: [{ name: 'Gift card', quantity: 1, amount: '5000' }],
  buyer: { name: 'Anna Jónsdóttir', email: 'anna@example.com' },
  returnUrls: { success: 'https://shop.example/thanks', cancel: 'https://shop.example/cart' },
  pei: { sequenceType: 'ONE_OFF' },
};

describe.each(STORE_KINDS)('work in flight when the gateway stops (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
  });
  afterAll(() => env.close());

  it('finishes and stores a webhook under way, and ends open SSE streams', async () => {
    gateway = await env.startGateway({}, { pollerDisabled: true, shutdownGraceMs: 5000 });
    const shop = await tokenFor('orders:create orders:read', 'shop-stopping');
    const pei = env.sandboxes.pei;
    const order = (await gqlOk(gateway.url, CREATE_ORDER, { input: peiOrder }, shop)).createOrder;

    // The buyer confirms; the postback is ours to send, and the gateway's re-read of the order
    // at Pei (which it does before believing a postback) takes 1 s: it is under way at close (the test environment's provider timeout is 1.5 s).
    pei.setPostbacksEnabled(false);
    expect((await buyerOnPei(order.creation.stopAction!.redirectUrl!, 'confirm')).status).toBeLessThan(400);
    pei.faults.inject({ kind: 'latency', ms: 1000, only: new RegExp(`^GET /api/orders/${order.providerOrderId}$`) });

    const controller = new AbortController();
    const stream = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${shop}` },
      body: JSON.stringify({ query: String(WATCH_ORDER), variables: { orderId: order.id } }),
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    await reader.read(); // the snapshot: the stream is open

    const purchaseId = pei.getOrder(order.providerOrderId!)!.purchaseId;
    const postback = postPeiPostback(gateway.url, { orderId: order.providerOrderId, purchaseId, mandateId: null });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = Date.now();
    const closed = gateway.close();

    expect((await postback).status).toBe(200);
    await closed;
    // Done before the grace period (5 s) would have cut the SSE connection: the stream ended.
    expect(Date.now() - closing).toBeLessThan(4500);
    // The stream ended (possibly after the change it carried), without the client aborting it.
    for (let part = await reader.read().catch(() => ({ done: true })); !part.done; part = await reader.read().catch(() => ({ done: true }))) {
      // drain what was sent before the end
    }
    controller.abort();
    expect((await env.newStore().orders.get(order.id))?.status).toBe('CAPTURED');
  }, 30_000);
});
