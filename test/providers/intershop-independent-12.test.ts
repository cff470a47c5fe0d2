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

describe.each<[string, Partial<IcmServerOptions>]>([
  ['answered 204 without a body', { patchNoContent: true, rolledBackRead: 'not-found' }],
  ['answered 204, no `included` anywhere, payments without words, errors without a body', { patchNoContent: true, rolledBackRead: 'not-found', honourInclude: false, paymentWords: 'absent', errorBody: 'empty' }],
  ['(guard) answered `"status": "CONTINUE"` while ICM goes on', { patchAnswersContinue: true, rolledBackRead: 'not-found' }],
])('the buyer gives up at the PSP page of an ICM whose rolled-back orders are gone (404), its PATCH %s', (_name, variation) => {
  const t = harness(variation);
  const atPsp = async (value: number) => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(value), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    return order;
  };

  it('CANCEL: the continue answers CANCELLED (ROLLED_BACK), nothing reserved', async () => {
    const order = await atPsp(131);
    const cancelled = await t.continueOk(t.cancel(order));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.map((payment) => [payment.status, payment.capturedAmount.amount])).toEqual([['VOIDED', '0.00']]);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('rolled_back');
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('FAILURE: CANCELLED; the basket ICM restored is ordered again as a new order', async () => {
    const basketId = t.h.icm.addBasket(132);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    const failed = await t.continueOk({ orderId: order.id, redirectResult: { status: 'FAILURE', parameters: t.h.icm.buyerReturns(order.providerOrderId!) } });
    expect(failed).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    const again = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(again.providerOrderId).not.toBe(order.providerOrderId);
    expect(await t.continueOk(t.success(again))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '132.00' } });
  });

  it('guard: SUCCESS is AUTHORIZED, the order read after the PATCH', async () => {
    const order = await atPsp(133);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '133.00' } });
  });

  it('the PSP declined while the buyer was away (the order gone, its PATCH refused 404), then she comes back with CANCEL: CANCELLED', async () => {
    const order = await atPsp(134);
    const back = t.cancel(order);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.continueOk(back)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
  });

  it('guard: the PSP declined while the buyer was away, then she comes back with SUCCESS: refused, the order not shown paid', async () => {
    const order = await atPsp(135);
    const back = t.success(order);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const answer = await t.cont(back);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
    expect((await t.read(order.id)).status).toBe('ACTION_REQUIRED');
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['a node behind the PATCH answers the next read (round two\'s staleReads)', { patchNoContent: true, staleReads: 1 }],
  ['every read lags the writes by 300 ms (round five\'s readLagMs)', { patchNoContent: true, readLagMs: 300 }],
  ['(guard) reads up to date, payments capitalised, a pending payment written "AUTHORIZED (pending)"', { patchNoContent: true, paymentWords: 'capitalised', pendingPaymentWord: 'AUTHORIZED (pending)' }],
])('an ICM whose PATCH answers 204 without a body, %s', (_name, variation) => {
  const t = harness(variation);

  it('the return URLs given with the create: the create answers the PSP page (before: still waiting for the URLs, or PROVIDER_UNAVAILABLE); SUCCESS: AUTHORIZED, the chain gone on once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(141), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '141.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the return URLs by a continue, then SUCCESS (before: the buyer\'s return INVALID_STATE, "needs returnUrls first")', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(142)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(redirected.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    expect(await t.continueOk(t.success(redirected))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });

  it('a pending payment: SUCCESS answers PENDING (waiting_for_pending_payments), not the PSP page again; the PSP\'s yes later: AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(143, 'USD', { async: true }), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING', creation: { stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });

  it('the buyer cancels: CANCELLED, nothing reserved', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(144), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.cancel(order))).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
  });
});

describe('the buyer cancels at the PSP page of an ICM whose rolled-back orders are gone (404), and the answer to that PATCH is lost', () => {
  const t = harness({ rolledBackRead: 'not-found' });

  it('the continue sent again (ICM answers 404: no such order) is CANCELLED (before: PROVIDER_REJECTED, and the order ACTION_REQUIRED at the PSP page for good)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(151), { returnUrls: RETURN_URLS }));
    const back = t.cancel(order);
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(back)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('rolled_back');
    expect(await t.continueOk(back)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' }, payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
  });

  it('guard: the SUCCESS whose answer was lost, sent again, is AUTHORIZED (ICM answers the final state)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(152), { returnUrls: RETURN_URLS }));
    const back = t.success(order);
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(back)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.continueOk(back)).toMatchObject({ status: 'AUTHORIZED' });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['keeping statusCode PENDING (§3.2.4\'s way), its payment AUTHORIZATIONVOIDED', { rolledBackChainWord: 'FAILED', rolledBackStatusCode: 'PENDING' }],
  ['keeping statusCode CREATED, reads keeping the last answered chain', { rolledBackChainWord: 'FAILED', rolledBackStatusCode: 'PENDING', openStatusCode: 'CREATED', readsKeepLastChain: true }],
  ['(guard) beside statusCode PAYMENT_CANCELLED', { rolledBackChainWord: 'FAILED' }],
])('an ICM that writes a failed creation\'s chain `FAILED` (§2.2: "or if it fails"), %s', (_name, variation) => {
  const t = harness(variation);

  it('the buyer cancels at the PSP page: CANCELLED, its payment VOIDED (before: ACTION_REQUIRED with an unknown word, re-read for an hour, then for good)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(161), { returnUrls: RETURN_URLS }));
    const cancelled = await t.continueOk(t.cancel(order));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
  });

  it('a direct payment declined inside the POST: the create answers CANCELLED (before: CREATED with an unknown word)', async () => {
    const basketId = t.h.icm.addBasket(162, 'USD', { payment: 'direct', declined: true });
    const declined = await t.createOk(t.input(basketId));
    expect(declined).toMatchObject({ status: 'CANCELLED', total: { amount: '162.00' } });
  });

  it('the PSP declines while the buyer is away: CANCELLED by reconciliation', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(163), { returnUrls: RETURN_URLS }));
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ payments: [{ status: 'VOIDED' }] });
  });

  it('guard: SUCCESS is AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(164), { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });
});
