/**
 * Round seven of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). ICM moves money only inside its creation chain
 * (the seed has no capture, refund or cancel, and no callback to the merchant), so the money this
 * round checks is what the gateway reports after each step of the chain against what ICM holds:
 * - the figures in currencies with 0 and 3 decimals (the seed shows USD only), a gift card beside
 *   the PSP's open tender (§3.1), amounts as strings, doubles and §3.1's `{gross}` form;
 * - two clients continuing one order at once, ICM answering late or slower than the gateway waits;
 * - reads that carry the chain the last request answered while statusCode stays PENDING (round
 *   five's it.fails, fixed in this round), where the gateway decides "final".
 * Every suite ends with the harness's money check (no order shows more reserved or captured than
 * ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServer, IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-7', options);
  const { h, input, createOk, continueOk } = parts;
  const back = (order: OrderView, status: 'SUCCESS' | 'CANCEL' | 'FAILURE') => ({ orderId: order.id, redirectResult: { status, parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  /** An order sent to the PSP: created without URLs, then given them (§2.2 then §3.2.3). */
  const atPsp = async (value: number, currency = 'USD', how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(h.icm.addBasket(value, currency, how)));
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    return redirected;
  };
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, h.backOffice)).orders.nodes;
  /** The PATCHes that carried a buyer's redirect result for the order (what moves money at ICM). */
  const results = (order: OrderView) => h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(order.providerOrderId!) && call.body.includes('"parameters"'));
  return { ...parts, back, atPsp, list, results };
}

/** The payments' figures, [status, amount, captured], the gift card first (§3.1: limited tenders first). */
const figures = (order: OrderView) => order.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount]);

/**
 * What the gateway shows against what ICM holds, at one step: never AUTHORIZED unless ICM reserved
 * the PSP payment, never CAPTURED unless ICM captured it, never more captured than ICM holds, and
 * the payments adding up to the order's total.
 */
function agrees(icm: IcmServer, order: OrderView, places: number): void {
  const held = icm.held(order.providerOrderId!)!;
  const minor = (amount: string) => Math.round(Number(amount) * 10 ** places);
  const captured = order.payments.reduce((sum, payment) => sum + minor(payment.capturedAmount.amount), 0);
  if (order.status === 'AUTHORIZED') expect(held.reserved).toBe(true);
  if (order.status === 'CAPTURED') expect(held.captured).toBe(true);
  expect(captured).toBeLessThanOrEqual(held.capturedMinor);
  expect(order.payments.reduce((sum, payment) => sum + minor(payment.amount.amount), 0)).toBe(minor(order.total.amount));
  expect(order.total.minorUnits).toBe(minor(order.total.amount));
}

describe.each([
  ['amounts as §2.2 writes them', {}],
  ['amounts as strings in §3.1\'s `{gross}` form', { valuesAsStrings: true, amounts: 'gross' as const }],
  ['amounts computed as Java doubles', { doubleAmounts: true }],
])('Intershop adapter against an independent ICM selling in currencies with 0 and 3 decimals, a gift card beside the PSP: %s', (_name, options) => {
  const t = harness(options);

  it('JPY, the PSP captures: at the PSP page nothing captured; then CAPTURED, each payment its own amount, the two adding up to the total', async () => {
    const order = await t.atPsp(5000, 'JPY', { giftCard: 1200, capture: true });
    expect(order).toMatchObject({ total: { amount: '5000', currency: 'JPY', minorUnits: 5000 } });
    expect(figures(order)).toEqual([
      ['PENDING', '1200', '0'],
      ['PENDING', '3800', '0'],
    ]);
    agrees(t.h.icm, order, 0);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'CAPTURED', total: { amount: '5000' } });
    expect(figures(paid)).toEqual([
      ['CAPTURED', '1200', '1200'],
      ['CAPTURED', '3800', '3800'],
    ]);
    agrees(t.h.icm, paid, 0);
    const listed = (await t.list()).find((one) => one.id === order.id)!;
    expect([listed.status, listed.total.amount, figures(listed)]).toEqual([paid.status, paid.total.amount, figures(paid)]);
  });

  it('KWD, the PSP authorizes: AUTHORIZED with the gift card alone captured, three decimals kept (12.345 = 1.234 + 11.111)', async () => {
    const order = await t.atPsp(12.345, 'KWD', { giftCard: 1.234 });
    expect(order).toMatchObject({ total: { amount: '12.345', currency: 'KWD', minorUnits: 12345 } });
    agrees(t.h.icm, order, 3);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: '12.345' } });
    expect(figures(paid)).toEqual([
      ['CAPTURED', '1.234', '1.234'],
      ['AUTHORIZED', '11.111', '0.000'],
    ]);
    agrees(t.h.icm, paid, 3);
    // ICM's back office captures the rest later: the listing shows it, all of it captured.
    t.h.icm.backOffice(order.providerOrderId!, 'capture');
    const later = (await t.list()).find((one) => one.id === order.id)!;
    expect(later).toMatchObject({ status: 'CAPTURED', total: { amount: '12.345' } });
    expect(figures(later)).toEqual([
      ['CAPTURED', '1.234', '1.234'],
      ['CAPTURED', '11.111', '11.111'],
    ]);
    agrees(t.h.icm, later, 3);
  });

  it('KWD, the buyer cancels at the PSP: CANCELLED, the gift card given back too (nothing captured)', async () => {
    const order = await t.atPsp(7.5, 'KWD', { giftCard: 2.125 });
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', total: { amount: '7.500' } });
    expect(figures(cancelled)).toEqual([
      ['VOIDED', '2.125', '0.000'],
      ['VOIDED', '5.375', '0.000'],
    ]);
    agrees(t.h.icm, cancelled, 3);
  });

  it('JPY paid without a redirect, the whole basket by gift card and PSP: AUTHORIZED, the total the basket\'s', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(999, 'JPY', { payment: 'direct', giftCard: 333 })));
    expect(order).toMatchObject({ status: 'AUTHORIZED', total: { amount: '999', currency: 'JPY' } });
    expect(figures(order)).toEqual([
      ['CAPTURED', '333', '333'],
      ['AUTHORIZED', '666', '0'],
    ]);
    agrees(t.h.icm, order, 0);
  });
});

describe('Intershop adapter against an independent ICM that includes nothing (amounts only in §3.1\'s payments resource, no payment words) selling in KWD', () => {
  const t = harness({ honourInclude: false });

  it('the total and each payment\'s amount keep three decimals at every step; what is shown captured never exceeds what ICM holds', async () => {
    const order = await t.atPsp(12.345, 'KWD', { giftCard: 1.234, capture: true });
    expect(order).toMatchObject({ total: { amount: '12.345', currency: 'KWD', minorUnits: 12345 } });
    expect(order.payments.map((payment) => payment.amount.amount)).toEqual(['1.234', '11.111']);
    agrees(t.h.icm, order, 3);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid.payments.map((payment) => payment.amount.amount)).toEqual(['1.234', '11.111']);
    agrees(t.h.icm, paid, 3);
  });
});

describe('Intershop adapter against an independent ICM: two clients continue one order at once (a double-clicked return page, two tabs)', () => {
  const t = harness({});

  it('two SUCCESS returns at once, ICM answering late: one redirect result reaches ICM, money moves once, both answers and a read say AUTHORIZED', async () => {
    const order = await t.atPsp(81);
    const step = t.back(order, 'SUCCESS');
    t.h.icm.loseNextAnswer('PATCH', 'late');
    const [first, second] = await Promise.all([t.cont(step), t.cont(step)]);
    expect(t.results(order)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    for (const answer of [first, second]) {
      if (answer.errors) expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
      else expect(answer.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED' });
    }
    expect((await t.read(order.id)).status).toBe('AUTHORIZED');
  });

  it('a SUCCESS and a CANCEL at once: whichever reaches ICM first decides, and the gateway ends where ICM ends', async () => {
    const order = await t.atPsp(82, 'USD', { capture: true });
    t.h.icm.loseNextAnswer('PATCH', 'late');
    const [success, cancel] = await Promise.all([t.cont(t.back(order, 'SUCCESS')), t.cont(t.back(order, 'CANCEL'))]);
    expect(t.results(order)).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    const stage = t.h.icm.stageOf(order.providerOrderId!);
    const expected = stage === 'completed' ? 'CAPTURED' : 'CANCELLED';
    expect([success, cancel].filter((answer) => !answer.errors).map((answer) => answer.data!.continueOrderCreation.status)).toEqual([expected]);
    expect((await t.read(order.id)).status).toBe(expected);
  });

  it('a SUCCESS answered slower than the gateway waits, and the other tab\'s CANCEL meanwhile: ICM completed the first, so the order is CAPTURED, never CANCELLED', async () => {
    const order = await t.atPsp(83, 'USD', { capture: true });
    const [yes, no] = [t.back(order, 'SUCCESS'), t.back(order, 'CANCEL')];
    t.h.icm.loseNextAnswer('PATCH', 'slow');
    const success = t.cont(yes);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancel = t.cont(no);
    const [first, second] = await Promise.all([success, cancel]);
    expect(first.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The CANCEL is refused (the gateway learnt the chain ended) or answered with ICM's final state.
    if (second.errors) expect(second.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(second.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', creation: { status: 'COMPLETED' } });
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('completed');
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    expect(await t.read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '83.00' } }] });
  });

  it('a pending payment: the second SUCCESS is not sent (ICM waits on the PSP, not the client), and the order is PENDING', async () => {
    const order = await t.atPsp(84, 'USD', { async: true });
    const step = t.back(order, 'SUCCESS');
    t.h.icm.loseNextAnswer('PATCH', 'late');
    const answers = await Promise.all([t.cont(step), t.cont(step)]);
    expect(t.results(order)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.errors).map((answer) => answer.data!.continueOrderCreation.status)).toEqual(['PENDING']);
    expect(answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
  });
});

describe('Intershop adapter against an independent ICM whose reads carry the last answered chain and keep statusCode PENDING after the chain ended (round five\'s it.fails)', () => {
  const t = harness({ readsKeepLastChain: true, completedStatusCode: 'PENDING', rolledBackStatusCode: 'PENDING' });

  it('a pending payment the PSP declines later (the read says waiting_for_pending_payments beside AUTHORIZATIONVOIDED): CANCELLED by reconciliation, nothing captured (before: PENDING until the 24 h watch ended)', async () => {
    const order = await t.atPsp(91, 'USD', { async: true, giftCard: 11 });
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(figures(cancelled)).toEqual([
      ['VOIDED', '11.00', '0.00'],
      ['VOIDED', '80.00', '0.00'],
    ]);
  });

  it('the PSP\'s yes while the buyer is away is PENDING (not ACTION_REQUIRED, not yet AUTHORIZED); the buyer\'s return then completes it: AUTHORIZED, one money move', async () => {
    const order = await t.atPsp(92);
    const back = t.back(order, 'SUCCESS');
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'PENDING')).toMatchObject({ creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'PENDING' });
    expect(await t.continueOk(back)).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the PSP\'s no while the buyer is away, seen first by a listing: CANCELLED there too', async () => {
    const order = await t.atPsp(93, 'USD', { giftCard: 3 });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect((await t.list()).find((one) => one.id === order.id)).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('Intershop adapter against an independent ICM whose reads carry the current chain (guard: a read at the PSP page is not read as paid or voided)', () => {
  const t = harness({ completedStatusCode: 'PENDING', rolledBackStatusCode: 'PENDING' });

  it('an order at the PSP page re-read stays ACTION_REQUIRED with the PSP\'s URL; the PSP\'s no is CANCELLED, its yes to another AUTHORIZED', async () => {
    const order = await t.atPsp(94);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await t.read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: order.creation.stopAction!.redirectUrl } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    await t.readUntil(order.id, 'CANCELLED');
    const other = await t.atPsp(95);
    t.h.icm.pspNotifies(other.providerOrderId!, 'paid');
    expect(await t.readUntil(other.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });
});
