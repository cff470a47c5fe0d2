/**
 * Round twelve of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). (Header completed below as the round goes on.)
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
const PSP_PAGE = /^http:\/\/icm-psp\.invalid:10080\/INTERSHOP\/web\/WFS\/.*ISHPayRedirect-OnlinePay/;

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-12', options);
  const { h } = parts;
  const success = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  const cancel = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, h.backOffice)).orders.nodes;
  return { ...parts, success, cancel, list };
}

describe.each<[string, Partial<IcmServerOptions>]>([
  ['statusCode CREATED', { openStatusCode: 'CREATED', readsCarryCreation: false }],
  ['statusCode PENDING', { readsCarryCreation: false }],
])('listing an order sent to the PSP page by its create (%s, reads without the chain)', (_name, variation) => {
  const t = harness(variation);

  it('the listing keeps the PSP page; the buyer returns: AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(121), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    const listed = (await t.list()).find((one) => one.id === order.id);
    expect(listed).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: order.creation.stopAction?.redirectUrl } } });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('guard: a listing after the PSP\'s yes reached ICM without the buyer (she closed the tab) moves the order on: AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(122), { returnUrls: RETURN_URLS }));
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });

  it('guard: a listing after the buyer cancelled keeps the order CANCELLED, nothing reserved', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(123), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.cancel(order))).toMatchObject({ status: 'CANCELLED' });
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED' }] });
  });
});
