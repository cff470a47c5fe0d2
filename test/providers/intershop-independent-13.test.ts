/**
 * Round thirteen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to twelve tried
 * one at a time, or only on the answers that carry the chain, here met on the reads the gateway
 * learns an order from when no answer says it (a lost or bodiless create, reconciliation, listings):
 * - a gift card (§3.1's limited tender, taken at checkout: CAPTURED) beside the PSP's open tender
 *   still `Unprocessed`, at an ICM whose payments carry no `openTender` (as §3.1's do; round six)
 *   and whose reads carry no chain (round one), statusCode PENDING: the stop was read from every
 *   payment's word, and CAPTURED beside Unprocessed said none. A create whose answer was lost
 *   (round two) or came as a 201 without a body (round twelve) found the order STOPPED with no
 *   stop: its return URLs were never sent, the client could send nothing (INVALID_STATE, "waiting
 *   on ICM"), and the order could not be paid while ICM held the gift card's money;
 * - such a create (201 without a body) at an ICM whose reads of a new order lag its list (round
 *   four's `readsLagCreate`): the list showed the order, its first read answered 404, and the
 *   create was PROVIDER_UNAVAILABLE for an order ICM had said it made (paid without a redirect:
 *   its money taken), also when the list's entries are `{id}` alone and each is read;
 * - an order that says its status in `status` alone (`"Pending"`, `"New"`, `"Payment cancelled"`,
 *   as §2.2 writes that field beside `statusCode`), with no `statusCode`: §3.2.5's table heads the
 *   column of NEW / PAYMENT_CANCELLED / PENDING "Order Status". Read without the chain (round one)
 *   or with the last request's chain (round five), such an order had no status word at all: the
 *   PSP's yes or no while the buyer was away, and a pending payment settled later, were never
 *   learned (ACTION_REQUIRED or PENDING until the watch ended), and the retry of a lost create
 *   answer did not show the captured order CAPTURED (the independent ICM's new `statusCodeField: false`).
 * Breaks found and fixed (src/providers/intershop): without openTender flags, payments plainly
 * AUTHORIZED or CAPTURED beside Unprocessed ones are limited tenders taken at checkout, and the
 * Unprocessed ones are those the chain waits on (chain.ts chainWords): PENDING with them is
 * redirect_urls_required, as without a gift card; the order a lost or bodiless create finds in the
 * list is read again while its read answers 404 (lost-creation.ts, readCaughtUp: under a second),
 * and so is each `{id}` entry read for it; an order without `statusCode` is read by its `status`
 * (chain.ts orderStatusWord, compared by its letters as statusCode is; the raw word is the order's
 * providerStatus).
 * Left: an ICM that redeems the gift card only once the PSP paid (Unprocessed beside an open tender
 * AUTHORIZED while waiting for the PSP's notification), without flags and without the chain, reads
 * as waiting for the return URLs to a lost create's search (before: STOPPED with no stop); the
 * gateway's own orders keep their stop (a read is never taken for an earlier step). A `status` in
 * another language ("Neu") stays an unknown word, as a missing one was. A list entry that still
 * answers 404 after the wait leaves the creation unknown (PROVIDER_UNAVAILABLE), as before. Every
 * suite ends with the harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
const PSP_PAGE = /^http:\/\/icm-psp\.invalid:10080\/INTERSHOP\/web\/WFS\/.*ISHPayRedirect-OnlinePay/;

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-13', options);
  const { h } = parts;
  const back = (order: OrderView, status: 'SUCCESS' | 'CANCEL' | 'FAILURE') => ({ orderId: order.id, redirectResult: { status, parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, h.backOffice)).orders.nodes;
  return { ...parts, back, list };
}

/** The payments' figures, [status, amount, captured], the gift card first (§3.1: limited tenders first). */
const figures = (order: OrderView) => order.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount]);

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its create answered 201 without a body (round twelve)', { createNoContent: true, openTenderFlag: false, readsCarryCreation: false }],
  ['its create answer lost', { openTenderFlag: false, readsCarryCreation: false }],
])('a gift card taken at checkout beside the PSP payment, no openTender flags, reads without the chain: %s', (_name, variation) => {
  const t = harness(variation);

  it('the create with return URLs reaches the PSP page; SUCCESS: AUTHORIZED', async () => {
    const basketId = t.h.icm.addBasket(70, 'USD', { giftCard: 20 });
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `gift-${Math.random()}` });
    let order: OrderView;
    if (variation.createNoContent) order = await t.createOk(variables);
    else {
      t.h.icm.loseNextCreateAnswer();
      const lost = await t.create(variables);
      expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      order = await t.createOk(variables);
    }
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '70.00' }, creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(figures(paid)).toEqual([['CAPTURED', '20.00', '20.00'], ['AUTHORIZED', '50.00', '0.00']]);
  });

  it('the create without return URLs waits for them (before: STOPPED with no stop, nothing the client could send); the URLs, then CANCEL: CANCELLED, nothing captured', async () => {
    const basketId = t.h.icm.addBasket(71, 'USD', { giftCard: 21 });
    const variables = t.input(basketId, { idempotencyKey: `gift-${Math.random()}` });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(redirected, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(figures(cancelled)).toEqual([['VOIDED', '21.00', '0.00'], ['VOIDED', '50.00', '0.00']]);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['full entries', { createNoContent: true, readsLagCreate: 2 }],
  ['entries of `{id}` alone (round three), each read', { createNoContent: true, readsLagCreate: 2, list: 'ids' }],
])('an ICM whose create is answered 201 without a body (round twelve) and whose reads of a new order lag its listing (round four\'s readsLagCreate: two 404s), its list of %s', (_name, variation) => {
  const t = harness(variation);

  it('a basket paid without a redirect, the money taken: the create answers CAPTURED at once (before: PROVIDER_UNAVAILABLE for an order ICM said it made); one POST', async () => {
    const basketId = t.h.icm.addBasket(73, 'USD', { payment: 'direct', capture: true, giftCard: 13 });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '73.00' }, creation: { status: 'COMPLETED' } });
    expect(figures(order)).toEqual([['CAPTURED', '13.00', '13.00'], ['CAPTURED', '60.00', '60.00']]);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });

  it('return URLs given: the create answers the PSP page; SUCCESS: AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(74), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '74.00' } });
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['reads without the chain', { statusCodeField: false, readsCarryCreation: false }],
  ['reads carrying the chain the last request answered (round five)', { statusCodeField: false, readsKeepLastChain: true }],
])('an ICM whose orders say their status in `status` alone ("Pending", "New", "Payment cancelled"; no `statusCode`), %s', (_name, variation) => {
  const t = harness(variation);
  const atPsp = async (value: number, how: Parameters<typeof t.h.icm.addBasket>[2] = {}) => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(value, 'USD', how), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    return order;
  };

  it('the PSP\'s yes reaches ICM while the buyer is away: AUTHORIZED by reconciliation (before: an order without a status word, ACTION_REQUIRED until the watch ended)', async () => {
    const order = await atPsp(131, { giftCard: 31 });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    const placed = await t.readUntil(order.id, 'AUTHORIZED');
    expect(placed).toMatchObject({ creation: { status: 'COMPLETED' }, total: { amount: '131.00' } });
    expect(figures(placed)).toEqual([['CAPTURED', '31.00', '31.00'], ['AUTHORIZED', '100.00', '0.00']]);
  });

  it('the PSP\'s no while the buyer is away: CANCELLED by reconciliation, nothing captured', async () => {
    const order = await atPsp(132, { giftCard: 32 });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(figures(cancelled).map(([, , captured]) => captured)).toEqual(['0.00', '0.00']);
  });

  it('a pending payment the PSP settles later: PENDING, then CAPTURED by reconciliation', async () => {
    const order = await atPsp(133, { async: true, capture: true });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ payments: [{ capturedAmount: { amount: '133.00' } }] });
  });

  it('a basket paid without a redirect, its create answer lost: the retry finds the order CAPTURED; a listing shows it CAPTURED; one POST', async () => {
    const basketId = t.h.icm.addBasket(134, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `status-only-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const found = await t.createOk(variables);
    expect(found).toMatchObject({ status: 'CAPTURED', total: { amount: '134.00' } });
    expect((await t.list()).find((one) => one.id === found.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '134.00' } }] });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});
