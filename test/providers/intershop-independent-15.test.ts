/**
 * Round fifteen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to fourteen did
 * not try, on the one call that makes an order (POST /orders) and the search that answers it when
 * its answer does not say the order (each describe names the break it found, or says it is a guard):
 * - the payment before the PSP written `PENDING`, the word §3.2.5's table itself gives in its
 *   Payment Status column for "ExitReason = redirect_urls_required" and "RedirectUrl available"
 *   (§2.2's example writes `Unprocessed`; round four tried `OPEN`, round fourteen `PENDING` only
 *   for the payment ICM waits on after the PSP), at an ICM whose reads carry no chain (round one),
 *   for a create whose answer was lost (round two) or came as a 201 without a body (round twelve),
 *   also with statusCode CREATED (round nine) and a gift card without openTender flags (round six).
 *   The order found in the list reads PENDING beside PENDING: a stop unsaid (the URLs' stop or the
 *   PSP's page, the columns do not tell), so the create's return URLs were never sent (only a read
 *   saying redirect_urls_required was sent them), the order was ACTION_REQUIRED with no stop, and the
 *   client's own URLs were refused (INVALID_STATE, "waiting on ICM"): ICM waited for URLs for good,
 *   the basket taken, the order never paid.
 * Fixed (src/providers/intershop/return-urls.ts continueWithUrls, request.ts waitingFor): an order
 * read at a stop unsaid is sent the create's return URLs as one waiting for them is, and takes the
 * client's: at the URLs' stop they are what ICM waits for, anywhere else a CONTINUE is harmless
 * (§2.2's end: "not harmed or restarted. All steps of the chain are checked and the final state
 * returned"), and the PATCH answer carries the chain, which says where the order is. This also
 * tells round fourteen's order found waiting on a payment written PENDING (ACTION_REQUIRED with no
 * stop there) once URLs are given: PENDING, waiting_for_pending_payments.
 * Guards: an order found already at the PSP's page (its URLs came with the payment, §3.2.2) keeps
 * the URLs it has, one POST, the money moved once; an ICM that refuses the URLs there (409, round
 * four's `strictContinue`) or answers them 204 (round twelve) leaves the read as before.
 * - a basket nothing pays (a promotion makes it free), which ICM places with no payment at all:
 *   `"payments": []` and §3.1's payments resource ("the list of (limited and open tender) payments
 *   used to pay the order") empty, totals elided as the seed elides them. The adapter took the total
 *   from `totals.grandTotal` or the payments only, so the order had none: its create was
 *   PROVIDER_UNAVAILABLE though ICM had placed it, every retry's search found it and failed the same
 *   way, and listings skipped it (the independent ICM's new `addBasket(0, currency, {free: true})`).
 * Fixed (src/providers/intershop/mapping.ts freeOrderTotal): an order naming no payment whose
 * payments resource was read and lists none has a zero total in its `purchaseCurrency` (seed §2.2);
 * its status is AUTHORIZED, as for any COMPLETED chain without a payment word. Guard: an order whose
 * answers include nothing keeps the total its payments resource gives.
 * Left: an order read at a stop unsaid at an ICM that refuses the URLs there or answers them 204
 * still cannot say its stop (no answer the gateway gets carries the chain); a free order at an ICM
 * whose payments resource cannot be read stays without a total (PROVIDER_UNAVAILABLE, as before),
 * since an empty `payments` alone may be a list an answer did not fill in (round six). Every suite
 * ends with the harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-15', options);
  const { h } = parts;
  const back = (order: OrderView, status: 'SUCCESS' | 'CANCEL' | 'FAILURE') => ({ orderId: order.id, redirectResult: { status, parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  return { ...parts, back };
}

/** §3.2.5's table writes the payment PENDING at the URLs' stop and at the PSP's page (§2.2's example: `Unprocessed`). */
const TABLE_WORD: Partial<IcmServerOptions> = { paymentWordAs: { UNPROCESSED: 'PENDING' }, readsCarryCreation: false };

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its create answer lost (round two)', TABLE_WORD],
  ['its create answered 201 without a body (round twelve)', { ...TABLE_WORD, createNoContent: true }],
  ['its create answer lost, statusCode CREATED (round nine), a gift card beside it, no openTender flags (round six)', { ...TABLE_WORD, openStatusCode: 'CREATED', openTenderFlag: false }],
])('an ICM that writes the payment before the PSP "PENDING", as §3.2.5\'s table does at the URLs\' stop (§2.2\'s example: "Unprocessed"), reads without the chain (round one): a create found in the list, %s', (_name, variation) => {
  const t = harness(variation);
  const giftCard = variation.openTenderFlag === false ? 13 : 0;
  /** The create, whose answer does not say the order (lost, or bodiless), answered by the list; one POST. */
  const found = async (value: number, extra: Record<string, unknown>) => {
    const basketId = t.h.icm.addBasket(value, 'USD', { giftCard });
    const variables = t.input(basketId, { idempotencyKey: `table-word-${Math.random()}`, ...extra });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    const order = await t.createOk(variables);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    return order;
  };

  it('a create given its return URLs: the order found is sent them and is at the PSP page (before: ACTION_REQUIRED with no stop, the URLs never sent, ICM waiting for them for good); SUCCESS: AUTHORIZED', async () => {
    const order = await found(171, { returnUrls: RETURN_URLS });
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: '171.00' }, creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create without return URLs: the client sends them to the order found (before: INVALID_STATE, "waiting on ICM"); CANCEL: CANCELLED, nothing captured', async () => {
    const order = await found(172, {});
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED' } });
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk(t.back(redirected, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.every((payment) => payment.capturedAmount.amount === '0.00')).toBe(true);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its create answer lost (round two)', { pendingPaymentWord: 'PENDING', readsCarryCreation: false }],
  ['its create answered 201 without a body (round twelve)', { pendingPaymentWord: 'PENDING', readsCarryCreation: false, createNoContent: true }],
])('round fourteen\'s ICM that writes the payment it waits on "PENDING", reads without the chain, a payment settled asynchronously without a redirect, %s', (_name, variation) => {
  const t = harness(variation);
  const found = async (value: number, extra: Record<string, unknown>) => {
    const basketId = t.h.icm.addBasket(value, 'USD', { payment: 'direct', async: true, capture: true });
    const variables = t.input(basketId, { idempotencyKey: `waiting-word-${Math.random()}`, ...extra });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    return t.createOk(variables);
  };

  it('a create given return URLs: they are sent, and ICM\'s answer says it waits for the PSP: PENDING (round fourteen left it ACTION_REQUIRED with no stop); the PSP pays: CAPTURED', async () => {
    const order = await found(173, { returnUrls: RETURN_URLS });
    expect(order).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ total: { amount: '173.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create without them: the order found is ACTION_REQUIRED with no stop as round fourteen left it; the client\'s URLs are taken and say PENDING; the PSP declines: CANCELLED', async () => {
    const order = await found(174, {});
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: null } });
    expect(await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS })).toMatchObject({ status: 'PENDING', creation: { stopAction: { reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect((await t.readUntil(order.id, 'CANCELLED')).payments.map((payment) => payment.capturedAmount.amount)).toEqual(['0.00']);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['that answers a CONTINUE with the state it is in (§2.2\'s end)', TABLE_WORD],
  ['that refuses (409) a CONTINUE not answering its current stop (round four)', { ...TABLE_WORD, strictContinue: true }],
  ['that answers a PATCH 204 without a body (round twelve)', { ...TABLE_WORD, patchNoContent: true }],
])('guard: an order already at the PSP page (its URLs came with the payment, §3.2.2), payment PENDING, reads without the chain, its create answer lost, at an ICM %s', (_name, variation) => {
  const t = harness(variation);

  it('the create\'s URLs sent to it change nothing at ICM; the create answers the order (the PSP page when ICM says it), one POST; SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(175, 'USD', { payment: 'redirect-with-urls' });
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `at-psp-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await t.createOk(variables);
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    if (variation.strictContinue || variation.patchNoContent) {
      // Nothing says the PSP's URL (it is in no answer the gateway gets): the stop stays unsaid, as before.
      expect(order.creation.stopAction).toBeNull();
      return;
    }
    expect(order.creation.stopAction).toMatchObject({ type: 'REDIRECT' });
    // The URLs that came with the payment (§3.2.2) stand: ICM took no second set.
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe('http://shop.invalid/success');
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '175.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['the seed\'s answers (totals elided: `{}`)', {}],
  ['amounts in §3.1\'s `{gross}` form, reads without the chain (round one)', { amounts: 'gross', readsCarryCreation: false }],
  ['its create answered 201 without a body (round twelve)', { createNoContent: true }],
  ['a list of `{id}` entries (round three), nothing included (round four)', { list: 'ids', honourInclude: false }],
])('an ICM that places a basket nothing pays (a promotion makes it free) with no payment at all (§3.1: "the list of ... payments used to pay the order" is empty), %s', (_name, variation) => {
  const t = harness(variation);
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice)).orders.nodes;

  it('the create answers the placed order, total 0.00 in the basket\'s currency, no payment (before: PROVIDER_UNAVAILABLE for an order ICM had placed, no readable total); a read and a listing agree', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(0, 'USD', { free: true })));
    expect(order).toMatchObject({ status: 'AUTHORIZED', total: { amount: '0.00', currency: 'USD' }, payments: [], creation: { status: 'COMPLETED' } });
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('completed');
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '0.00' } });
    expect((await list()).find((one) => one.id === order.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '0.00', currency: 'USD' } });
  });

  it('in yen, its answer lost: the retry under the same key finds it, 0 JPY, one POST (before: PROVIDER_UNAVAILABLE on every retry)', async () => {
    const basketId = t.h.icm.addBasket(0, 'JPY', { free: true });
    const variables = t.input(basketId, { idempotencyKey: `free-${Math.random()}` });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    expect(await t.createOk(variables)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '0', currency: 'JPY', minorUnits: 0 } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });

  it('guard: an order its answers name no payment of, whose payments resource lists one, keeps that total (an empty answer is not "free")', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(176, 'USD', { payment: 'direct', capture: true })));
    // (Without `included`, §3.1's payments carry no word: AUTHORIZED, the lesser word §3.2.5 pairs with COMPLETED, as before.)
    expect(order).toMatchObject({ status: variation.honourInclude === false ? 'AUTHORIZED' : 'CAPTURED', total: { amount: '176.00' } });
    expect((await list()).find((one) => one.id === order.id)).toMatchObject({ total: { amount: '176.00' } });
  });
});
