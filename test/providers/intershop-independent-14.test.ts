/**
 * Round fourteen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to thirteen tried
 * only in the default shape, here met with the reads that must tell what no answer says (each
 * describe names the break it found, or says it is a guard):
 * - a chain that stops after the return URLs "for another reason" (§2.2: "The order creation is
 *   continued and may stop for another reason"; round one's `anotherStop`, an approval no seed
 *   names) and that ICM then leaves by itself for the PSP's page, at an ICM whose reads carry no
 *   chain (round one's `readsCarryCreation: false`) or carry the chain the last request answered
 *   (round five's `readsKeepLastChain`). §3.2.3 reports the PSP's URL "back" in a PATCH answer; a
 *   read does not carry it. Round one's test of this stop ran against reads that carry the current
 *   chain only. Here the order stayed ACTION_REQUIRED waiting for its URLs (a create's, CREATED
 *   with no stop) with `provider.unknown_status` until its watch ended (chainless, the first re-read
 *   even cleared the unknown word and ended the watch at once): the buyer was never sent to the PSP,
 *   the order could not be paid unless the client guessed it must send its URLs again.
 *   The same for a create whose answer was lost (round two) or came as a 201 without a body (round
 *   twelve): the order found in the list is sent its URLs (return-urls.ts), answers the unknown
 *   stop, and stayed there.
 * Fixed (src/providers/intershop/unsaid-stop.ts, index.ts fetchOrder, lost-creation.ts): the return
 * URLs answered with a stop the gateway does not know are kept with the order; while its re-reads
 * say nothing past that stop
 * (a chainless read waiting for the URLs, the same unknown stop, or none said) the same CONTINUE
 * is sent again, which §2.2's end makes harmless ("not harmed or restarted. All steps of the chain are
 * checked"), as a lost answer's resend already relies on (return-urls.ts), and its answer is the
 * order's fact: the PSP's page once ICM is there. Never once a read shows the PSP's page or later;
 * refused (a strict ICM's 409, a guard below), the read stands as before.
 * - a payment settled asynchronously without a redirect (waiting_for_pending_payments in the POST),
 *   at an ICM that writes the payment it waits on `PENDING` (§3.2.5 writes "AUTHORIZED (pending)"
 *   in the same column whose other rows say PENDING; round one's `pendingPaymentWord: 'PENDING'`
 *   was tried only beside payments without words) and whose reads carry no chain (round one), the
 *   create's answer lost (round two) or a 201 without a body (round twelve), also with statusCode
 *   CREATED (round nine) and no openTender flags (round six). The order found by the list reads
 *   PENDING beside a PENDING payment: the seed's columns say "at the PSP's page" as well as
 *   "waiting", so it is a stop unsaid (ACTION_REQUIRED, no stop, nothing the client can send), and
 *   such an order was never read again: the PSP's yes (ICM captured the money) or no was never
 *   learned, the order ACTION_REQUIRED for good.
 * Fixed (index.ts ownWatchMs): an order STOPPED at a stop unsaid is re-read for PENDING_WATCH_MS
 * (the longer of the two stops it may be), so ICM's NEW / PAYMENT_CANCELLED reaches it.
 * - an ICM whose rolled-back orders are gone (round one's `rolledBackRead: 'not-found'`; the
 *   Intershop PWA: "If cancel/failure is sent back as redirect status, the order doesn't exist any
 *   more") that says so with `410 Gone`, the status HTTP has for it, where round twelve's answered
 *   404 (the independent ICM's new `goneStatus: 410`). The adapter read only a 404 as "no such
 *   order" and a 410 as ICM refusing the read (PROVIDER_REJECTED): the buyer's CANCEL answered 204
 *   (round twelve) failed on its read-back, her FAILURE after the PSP's no had removed the order
 *   (the PATCH refused 410) and a CANCEL sent again after its answer was lost were
 *   PROVIDER_REJECTED, and the order stayed ACTION_REQUIRED at the PSP page for good (every
 *   re-read refused too): a rollback ICM had acknowledged was never shown.
 * Fixed (client.ts getOrder): a read answered 410 is "no such order", as 404 is, so round twelve's
 * reading (gone-after-give-up.ts: a CANCEL or FAILURE after which ICM no longer has the order is
 * the rollback) holds. Guards: a CANCEL answered with the rolled-back order; a SUCCESS after the
 * PSP's no still refused, never shown paid; a SUCCESS moves the money once.
 * Left: at an ICM that refuses such a CONTINUE (round four's `strictContinue`: 409) or answers it
 * 204 (round twelve's `patchNoContent`), and whose reads carry no chain, an order past an unknown
 * stop still cannot show the PSP's URL (it is in no answer the gateway gets; the order reads as
 * waiting for its URLs), as round twelve left a 204 to the URLs. The order found waiting for a PENDING
 * payment shows ACTION_REQUIRED without a stop until ICM moves on (PENDING would be right for it,
 * ACTION_REQUIRED for one at the PSP's page; only `redirectRequired`, which §2.2 shows `true` and
 * an ICM may leave out for a direct payment, could tell them apart). Round fifteen
 * (intershop-independent-15): once return URLs are given (by the create, or the client's continue,
 * now taken at a stop unsaid), they are sent, and ICM's answer says PENDING (waiting_for_pending_payments);
 * the tests below give none and still show ACTION_REQUIRED. Every suite ends with the
 * harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-14', options);
  const { h } = parts;
  const back = (order: OrderView, status: 'SUCCESS' | 'CANCEL' | 'FAILURE') => ({ orderId: order.id, redirectResult: { status, parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  return { ...parts, back };
}

/** The PATCHes that sent the return URLs to `providerOrderId`. */
const urlPatches = (t: ReturnType<typeof harness>, providerOrderId: string) =>
  t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(providerOrderId) && call.body.includes('successUrl')).length;

describe.each<[string, Partial<IcmServerOptions>]>([
  ['reads without the chain (round one)', { anotherStop: 'approval_required', readsCarryCreation: false }],
  ['reads carrying the chain the last request answered (round five)', { anotherStop: 'approval_required', readsKeepLastChain: true }],
  ['(guard) reads carrying the current chain, a CONTINUE that does not answer the current stop refused 409 (round four)', { anotherStop: 'approval_required', strictContinue: true }],
])('an ICM whose chain stops for a reason no seed names after the return URLs, then goes on to the PSP page by itself (§2.2 "may stop for another reason"), %s', (_name, variation) => {
  const t = harness(variation);

  it('the continue with the URLs answers the unknown stop; reconciliation reaches the PSP page (before: ACTION_REQUIRED waiting for URLs until the watch ended); SUCCESS: AUTHORIZED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(141)));
    const stopped = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(stopped.status).toBe('ACTION_REQUIRED');
    expect(stopped.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    const redirected = await eventually(async () => {
      const read = await t.read(order.id);
      return read.creation.stopAction?.type === 'REDIRECT' ? read : undefined;
    });
    expect(new URL(redirected.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    const sent = urlPatches(t, order.providerOrderId!);
    expect(await t.continueOk(t.back(redirected, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '141.00' }, creation: { status: 'COMPLETED' } });
    // Once at the PSP's page, the URLs are not sent again.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(urlPatches(t, order.providerOrderId!)).toBe(sent);
  });

  it('a create given its return URLs answers the unknown stop; reconciliation reaches the PSP page; CANCEL: CANCELLED, nothing captured', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(142, 'USD', { giftCard: 12 }), { returnUrls: RETURN_URLS }));
    // A new order keeps the status it starts with (CONTRACT §7), the word shown.
    expect(order).toMatchObject({ status: 'CREATED', providerStatus: 'approval_required' });
    expect(order.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    const redirected = await eventually(async () => {
      const read = await t.read(order.id);
      return read.creation.stopAction?.type === 'REDIRECT' ? read : undefined;
    });
    const cancelled = await t.continueOk(t.back(redirected, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.map((payment) => payment.capturedAmount.amount)).toEqual(['0.00', '0.00']);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its create answer lost (round two)', { anotherStop: 'approval_required', readsCarryCreation: false }],
  ['its create answered 201 without a body (round twelve)', { anotherStop: 'approval_required', readsCarryCreation: false, createNoContent: true }],
])('an ICM whose chain stops for a reason no seed names after the return URLs, reads without the chain: %s', (_name, variation) => {
  const t = harness(variation);

  it('the order found is sent its return URLs, answers the unknown stop, and reaches the PSP page by reconciliation; SUCCESS: AUTHORIZED; one POST', async () => {
    const basketId = t.h.icm.addBasket(143);
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `unsaid-${Math.random()}` });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ providerStatus: 'approval_required' });
    const redirected = await eventually(async () => {
      const read = await t.read(order.id);
      return read.creation.stopAction?.type === 'REDIRECT' ? read : undefined;
    });
    expect(new URL(redirected.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(await t.continueOk(t.back(redirected, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '143.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its create answer lost (round two)', { pendingPaymentWord: 'PENDING', readsCarryCreation: false }],
  ['its create answered 201 without a body (round twelve)', { pendingPaymentWord: 'PENDING', readsCarryCreation: false, createNoContent: true }],
  ['its create answer lost, statusCode CREATED (round nine), a gift card beside it, no openTender flags (round six)', { pendingPaymentWord: 'PENDING', readsCarryCreation: false, openStatusCode: 'CREATED', openTenderFlag: false }],
])('an ICM that writes the payment it waits on "PENDING" (§3.2.5\'s column word for "AUTHORIZED (pending)"), reads without the chain: a payment settled asynchronously without a redirect, %s', (_name, variation) => {
  const t = harness(variation);
  // A gift card taken at checkout beside the PSP's payment where payments carry no openTender flag (round thirteen's reading).
  const giftCard = variation.openTenderFlag === false ? 11 : 0;
  const found = async (value: number) => {
    const basketId = t.h.icm.addBasket(value, 'USD', { payment: 'direct', async: true, capture: true, giftCard });
    const variables = t.input(basketId, { idempotencyKey: `pending-word-${Math.random()}` });
    if (!variation.createNoContent) {
      t.h.icm.loseNextCreateAnswer();
      expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    }
    const order = await t.createOk(variables);
    // PENDING beside the column's PENDING payment, no chain: at the PSP's page or waiting, the seed's columns do not tell.
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: null } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    return order;
  };

  it('the PSP pays: CAPTURED by reconciliation (before: never read again, ACTION_REQUIRED for good while ICM held the money)', async () => {
    const order = await found(151);
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    const captured = await t.readUntil(order.id, 'CAPTURED');
    expect(captured).toMatchObject({ total: { amount: '151.00' }, creation: { status: 'COMPLETED' } });
    expect(captured.payments.map((payment) => [payment.status, payment.capturedAmount.amount])).toEqual(giftCard ? [['CAPTURED', '11.00'], ['CAPTURED', '140.00']] : [['CAPTURED', '151.00']]);
  });

  it('the PSP declines: CANCELLED by reconciliation, nothing captured', async () => {
    const order = await found(152);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(cancelled.payments.map((payment) => [payment.status, payment.capturedAmount.amount])).toEqual(giftCard ? [['VOIDED', '0.00'], ['VOIDED', '0.00']] : [['VOIDED', '0.00']]);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['its PATCH answered 204 without a body (round twelve)', { rolledBackRead: 'not-found', goneStatus: 410, patchNoContent: true }],
  ['its PATCH answered with the order', { rolledBackRead: 'not-found', goneStatus: 410 }],
])('an ICM whose rolled-back orders are gone (round one\'s `rolledBackRead: \'not-found\'`) and say so with 410 Gone, %s', (_name, variation) => {
  const t = harness(variation);
  const atPsp = async (value: number) => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(value), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    return order;
  };

  it('the buyer\'s CANCEL: CANCELLED (ROLLED_BACK), nothing reserved, and a read agrees', async () => {
    const order = await atPsp(161);
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.map((payment) => [payment.status, payment.capturedAmount.amount])).toEqual([['VOIDED', '0.00']]);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('rolled_back');
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('the PSP declined while the buyer was away (the order gone, her PATCH refused 410), then she comes back with FAILURE: CANCELLED (before: PROVIDER_REJECTED, ACTION_REQUIRED at the PSP page for good)', async () => {
    const order = await atPsp(162);
    const back = t.back(order, 'FAILURE');
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.continueOk(back)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK', infos: [{ code: 'intershop.order_gone' }] } });
  });

  it('guard: the PSP declined while the buyer was away, then she comes back with SUCCESS: refused, never shown paid', async () => {
    const order = await atPsp(164);
    const back = t.back(order, 'SUCCESS');
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect((await t.cont(back)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
    expect((await t.read(order.id)).status).toBe('ACTION_REQUIRED');
  });

  it('guard: SUCCESS is AUTHORIZED, the money moved once', async () => {
    const order = await atPsp(165);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '165.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe('the buyer cancels at the PSP page of an ICM whose rolled-back orders are gone and say so with 410 Gone, and the answer to that PATCH is lost', () => {
  const t = harness({ rolledBackRead: 'not-found', goneStatus: 410 });

  it('the CANCEL whose answer was lost, sent again (ICM answers 410): CANCELLED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(163), { returnUrls: RETURN_URLS }));
    const back = t.back(order, 'CANCEL');
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(back)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.continueOk(back)).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
  });

});
