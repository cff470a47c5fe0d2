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
 * - ICM answering with the seed's own documents word for word (ids changed).
 * Breaks found and fixed (src/providers/intershop): a read whose STOPPED chain its payments
 * contradict by §3.2.5 is read without it (the PSP's no while the buyer is away CANCELLED, its yes
 * PENDING and the buyer's return still taken); a payment named `lgAKAB2_...` by the POST answer
 * and `open-tender` by the PATCH answers (as the seed does) is one payment, not two of the full
 * amount; a lost creation's search no longer takes such a declined order for the basket's new one.
 * Every suite with the independent ICM ends with the harness's money check (no order shows more
 * reserved or captured than ICM holds).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
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

/**
 * ICM answering with the seed's own documents, word for word, only the ids changed (and `{ ... }`,
 * which is no JSON, written `{}`): §2.2's POST answer (its payment `lgAKAB2_...`, included), §3.2.3's
 * PATCH answer for the return URLs and §3.2.4's for the buyer's SUCCESS (both naming the payment
 * `open-tender`, nothing included, §3.2.4's COMPLETED beside statusCode PENDING), §3.1's payments
 * resource (the `open-tender` payment, `{gross}` amounts, no status) with this order's amount. A GET
 * of the order (§2.3 shows none) answers the last document as it was answered.
 */
async function startSeedLiteralIcm() {
  const calls: { method: string; path: string; body: string }[] = [];
  /** Order id -> its basket and the last document answered about it. */
  const orders = new Map<string, { basket: string; last: Record<string, unknown> }>();
  const redirectUrl =
    'http://jrwilms01:10080/INTERSHOP/web/WFS/inSPIRED-inTRONICS-Site/en_US/-/USD/ISHPayRedirect-OnlinePay;pgid=t4uQ3pi73K6RpDktBA.rXsCb00001UeHgPZz;sid=y2IKAB2_X8cAAAFrag04a5lJ?PaymentTransactionUUID=6hgKAB2_dHIAAAFrd_44a5lI&transactionID=1561644830294&merchant=0815&password=intershop&amount=62834¤cy=USD&ita_fname=Patricia&ita_lname=Miller&ita_street=Potsdamer+Str.+20&ita_pcode=14483&ita_city=Berlin&ita_country=Germany&email=patricia%40test.intershop.de&successURL=http%3A%2F%2Fexample.com%2Fsuccess&failURL=http%3A%2F%2Fexample.com%2Ffailure&cancelURL=http%3A%2F%2Fexample.com%2Fcancel';
  const patchData = (order: string, orderCreation: Record<string, unknown>, statusCode = 'PENDING') => ({
    basket: orders.get(order)!.basket,
    buckets: ['0'],
    commonShipToAddress: 'jUIKAB2_X.wAAAFrcP44a5lI',
    commonShippingMethod: 'STD_GROUND',
    customer: 'Patricia',
    discounts: {},
    documentNumber: '00000353',
    id: order,
    invoiceToAddress: 'OskKAB2_JVkAAAFrYP44a5lI',
    lineItems: ['4QAKAB2_zOwAAAFrcf44a5lI'],
    orderCreation,
    payments: ['open-tender'],
    status: statusCode === 'PENDING' ? 'Pending' : 'Payment cancelled',
    statusCode,
    termsAndConditionsAccepted: true,
    totalProductQuantity: 25,
    totals: {},
    user: 'patricia@test.intershop.de',
  });
  const links = (order: string) => ({ self: `http://jrwilms01:10080/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/orders/${order}` });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '').replace(/^\/INTERSHOP\/rest\/WFS\/inSPIRED-inTRONICS-Site\/-/, '');
      calls.push({ method: request.method ?? '', path, body });
      const send = (document: unknown, status = 200) => {
        response.writeHead(status, { 'content-type': 'application/vnd.intershop.order.v1+json' });
        response.end(JSON.stringify(document));
      };
      const order = /^\/orders\/([^/?]+)/.exec(path)?.[1] ?? '';
      if (request.method === 'POST' && path.startsWith('/orders')) {
        const basket = (JSON.parse(body) as { basket: string }).basket;
        const id = `onUKAB2_eAQAAAFuFztdhm${orders.size}`;
        const last = {
          data: {
            basket,
            buckets: ['0'],
            commonShipToAddress: 'TKwKAB2_oHgAAAFuQT1dhmTy',
            commonShippingMethod: 'STD_GROUND',
            creationDate: '2019-11-13T14:27:06+01:00',
            customer: 'Patricia',
            discounts: {},
            documentNumber: '00000001',
            id,
            invoiceToAddress: 'XcIKAB2_DWAAAAFuGD1dhmTy',
            lineItems: ['PfwKAB2_vLQAAAFuSj1dhmTy'],
            orderCreation: { status: 'STOPPED', stopAction: { exitReason: 'redirect_urls_required', type: 'Workflow' } },
            payments: ['lgAKAB2_CTQAAAFuWj1dhmTy'],
            purchaseCurrency: 'USD',
            status: 'Pending',
            statusCode: 'PENDING',
            termsAndConditionsAccepted: true,
            totalProductQuantity: 25,
            totals: {},
            user: 'patricia@test.intershop.de',
          },
          included: {
            payments: {
              lgAKAB2_CTQAAAFuWj1dhmTy: {
                baseAmount: { currency: 'USD', value: 628.34 },
                id: 'lgAKAB2_CTQAAAFuWj1dhmTy',
                openTender: true,
                paymentCosts: {},
                paymentInstrument: 'ISH_ONLINEPAY',
                paymentMethod: 'ISH_ONLINEPAY',
                redirectRequired: true,
                status: 'Unprocessed',
                totalAmount: { currency: 'USD', value: 628.34 },
              },
            },
            'payments.paymentInstrument': { ISH_ONLINEPAY: { id: 'ISH_ONLINEPAY' } },
            'payments.paymentMethod': {
              ISH_ONLINEPAY: {
                capabilities: ['RedirectAfterCheckout'],
                description: 'You will be redirected to the ISH Online Pay page after you submit your order.',
                displayName: 'ISH Demo Online Pay',
                id: 'ISH_ONLINEPAY',
                paymentInstruments: ['ISH_ONLINEPAY'],
                saveAllowed: true,
                serviceID: 'ISH_ONLINEPAY',
              },
            },
          },
          infos: [{ code: 'order.creation_stopped.info', message: 'The order process has not been finished yet.' }],
          links: { self: `http://<server>/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-/orders/${id}` },
        };
        orders.set(id, { basket, last });
        return send(last, 201);
      }
      const known = orders.get(order);
      if (request.method === 'PATCH' && known) {
        const redirect = (JSON.parse(body) as { orderCreation: { redirect: Record<string, unknown> } }).orderCreation.redirect;
        const ended = (known.last.data as { orderCreation: { status: string } }).orderCreation.status !== 'STOPPED';
        // §2.2's end: a CONTINUE after the chain ended answers the final state.
        known.last = ended
          ? known.last
          : redirect.status === 'SUCCESS'
            ? { data: patchData(order, { status: 'COMPLETED' }), links: links(order) }
            : 'status' in redirect
              ? // §3.2.5's ROLLED_BACK row (no example document): its info code and order status.
                { data: patchData(order, { status: 'ROLLED_BACK' }, 'PAYMENT_CANCELLED'), infos: [{ code: 'order.cancelled.info', message: 'The order was cancelled.' }], links: links(order) }
              : {
                data: patchData(order, {
                  redirect: { cancelUrl: redirect.cancelUrl, failureUrl: redirect.failureUrl, redirectUrl, successUrl: redirect.successUrl },
                  status: 'STOPPED',
                  stopAction: { redirectUrl, type: 'Redirect' },
                }),
                infos: [{ code: 'order.creation_stopped.info', message: 'The order process is not yet finished.' }],
                links: links(order),
              };
        return send(known.last);
      }
      if (request.method === 'GET' && known && path.startsWith(`/orders/${order}/payments`)) {
        return send({
          data: [
            {
              baseAmount: { gross: { currency: 'USD', value: 628.34 } },
              id: 'open-tender',
              paymentCosts: { gross: { currency: 'USD', value: 0 }, net: { currency: 'USD', value: 0 }, tax: { currency: 'USD', value: 0 } },
              paymentInstrument: 'ISH_ONLINEPAY',
              paymentMethod: 'ISH_ONLINEPAY',
              totalAmount: { gross: { currency: 'USD', value: 628.34 } },
            },
          ],
          included: {
            paymentMethod: { ISH_ONLINEPAY: { default: false, description: 'Online pay', displayName: 'ISH Demo Online Pay', id: 'ISH_ONLINEPAY', paymentInstruments: ['ISH_ONLINEPAY'], restricted: false, saveAllowed: true } },
            paymentInstrument: { ISH_ONLINEPAY: { id: 'ISH_ONLINEPAY' } },
          },
        });
      }
      if (request.method === 'GET' && known) return send(known.last);
      send({ errors: [{ code: 'not.found', message: 'No such resource.', status: '404', causes: [] }] }, 404);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('Intershop adapter against an ICM that answers with the seed\'s own documents (§2.2, §3.2.3, §3.2.4, §3.1), ids changed', () => {
  const s = {} as { env: TestEnvironment; icm: Awaited<ReturnType<typeof startSeedLiteralIcm>>; gateway: Gateway; shop: string; backOffice: string };
  beforeAll(async () => {
    s.env = await startTestEnvironment('memory');
    s.icm = await startSeedLiteralIcm();
    s.gateway = await s.env.startGateway({ intershop: { url: s.icm.url, authToken: 'seed-literal' }, reconcileIntervalMs: 100 });
    s.shop = await tokenFor('orders:create', 'shop-icm-independent-7-literal');
    s.backOffice = await tokenFor('orders:read orders:manage', 'back-office-icm-independent-7-literal');
  });
  afterAll(async () => {
    await s.icm?.close();
    await s.env?.close();
  });

  it('create, return URLs, SUCCESS: the figures stay the order\'s at every step (628.34 USD, one payment), never captured; one redirect result sent', async () => {
    const input = { provider: 'INTERSHOP', intershop: { basketId: 'nNQKAB2_tMYAAAFuc9BdhmPm', termsAndConditionsAccepted: true } };
    const created = (await gqlOk<{ createOrder: OrderView }>(s.gateway.url, CREATE_ORDER, { input }, s.shop)).createOrder;
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '628.34', currency: 'USD' }, creation: { stopAction: { reason: 'redirect_urls_required' } } });
    expect(created.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount])).toEqual([['PENDING', '628.34', '0.00']]);
    const cont = async (variables: Record<string, unknown>) => (await gqlOk<{ continueOrderCreation: OrderView }>(s.gateway.url, CONTINUE_ORDER, { input: { orderId: created.id, ...variables } }, s.shop)).continueOrderCreation;
    const redirected = await cont({ returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '628.34' }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(redirected.creation.stopAction!.redirectUrl).toContain('ISHPayRedirect-OnlinePay');
    expect(redirected.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount])).toEqual([['PENDING', '628.34', '0.00']]);
    const parameters = [{ name: 'transactionID', value: 'id from provider' }];
    const paid = await cont({ redirectResult: { status: 'SUCCESS', parameters } });
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: '628.34' }, creation: { status: 'COMPLETED' } });
    expect(paid.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount])).toEqual([['AUTHORIZED', '628.34', '0.00']]);
    const read = (await gqlOk<{ order: OrderView }>(s.gateway.url, GET_ORDER, { id: created.id }, s.backOffice)).order;
    expect([read.status, read.total.amount, read.payments.length]).toEqual(['AUTHORIZED', '628.34', 1]);
    expect(s.icm.calls.filter((call) => call.method === 'PATCH' && call.body.includes('"parameters"'))).toHaveLength(1);
  });

  it('the buyer\'s CANCEL (§3.2.5\'s ROLLED_BACK row), sent twice with a read between: CANCELLED, the one payment VOIDED, nothing captured; the second is refused', async () => {
    const input = { provider: 'INTERSHOP', intershop: { basketId: 'nNQKAB2_tMYAAAFuc9BdhmPn', termsAndConditionsAccepted: true }, returnUrls: RETURN_URLS };
    const created = (await gqlOk<{ createOrder: OrderView }>(s.gateway.url, CREATE_ORDER, { input }, s.shop)).createOrder;
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const step = { input: { orderId: created.id, redirectResult: { status: 'CANCEL', parameters: [{ name: 'transactionID', value: 'id from provider' }] } } };
    const cancelled = (await gqlOk<{ continueOrderCreation: OrderView }>(s.gateway.url, CONTINUE_ORDER, step, s.shop)).continueOrderCreation;
    const read = (await gqlOk<{ order: OrderView }>(s.gateway.url, GET_ORDER, { id: created.id }, s.backOffice)).order;
    const again = await gql<{ continueOrderCreation: OrderView }>(s.gateway.url, CONTINUE_ORDER, step, s.shop);
    expect(again.errors?.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    for (const one of [cancelled, read]) {
      expect(one).toMatchObject({ status: 'CANCELLED', total: { amount: '628.34' }, creation: { status: 'ROLLED_BACK' } });
      expect(one.payments.map((payment) => [payment.status, payment.amount.amount, payment.capturedAmount.amount])).toEqual([['VOIDED', '628.34', '0.00']]);
    }
  });
});

describe.each([
  ['PATCH answers of `orderCreation` alone', { patchAnswer: 'thin' as const }],
  ['reads lagging by 300 ms, PATCH answers without included', { readLagMs: 300, includeOnPatch: false }],
  ['every open tender named `open-tender`, reads carrying the last answered chain', { openTenderId: true, readsKeepLastChain: true }],
  ['the payments resource naming the open tender `open-tender`, nothing included on PATCH, amounts as strings', { resourceOpenTenderId: true, includeOnPatch: false, valuesAsStrings: true }],
  ['payment words capitalised, nulls for what a state lacks, doubles', { paymentWords: 'capitalised' as const, nulls: true, doubleAmounts: true }],
  ['no openTender flag, reads without the chain, statusCode PENDING after COMPLETED', { openTenderFlag: false, readsCarryCreation: false, completedStatusCode: 'PENDING' as const }],
])('Intershop adapter against an independent ICM with %s: a KWD basket with a gift card, the figures at every step', (_name, options) => {
  const t = harness(options);

  it('the PSP captures: CAPTURED, 5.000 + 15.555 captured, the total 20.555; a read and a listing agree', async () => {
    const order = await t.atPsp(20.555, 'KWD', { giftCard: 5, capture: true });
    agrees(t.h.icm, order, 3);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    agrees(t.h.icm, paid, 3);
    const settled = await t.readUntil(order.id, 'CAPTURED');
    expect(settled).toMatchObject({ total: { amount: '20.555' } });
    expect(figures(settled)).toEqual([
      ['CAPTURED', '5.000', '5.000'],
      ['CAPTURED', '15.555', '15.555'],
    ]);
    agrees(t.h.icm, settled, 3);
    const listed = (await t.list()).find((one) => one.id === order.id)!;
    expect([listed.status, listed.total.amount, figures(listed)]).toEqual(['CAPTURED', '20.555', figures(settled)]);
  });

  it('the PSP authorizes: never more captured than the gift card; the buyer cancels another: nothing captured', async () => {
    const order = await t.atPsp(20.556, 'KWD', { giftCard: 5 });
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    agrees(t.h.icm, paid, 3);
    const settled = await t.readUntil(order.id, 'AUTHORIZED');
    expect(settled.payments.map((payment) => payment.amount.amount)).toEqual(['5.000', '15.556']);
    agrees(t.h.icm, settled, 3);
    const other = await t.atPsp(9.999, 'KWD', { giftCard: 0.999 });
    const cancelled = await t.continueOk(t.back(other, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', total: { amount: '9.999' } });
    expect(cancelled.payments.map((payment) => payment.capturedAmount.amount)).toEqual(['0.000', '0.000']);
  });
});

describe('Intershop adapter against an independent ICM whose reads carry the last answered chain and keep statusCode PENDING after a rollback: a basket restored by the PSP\'s no, then ordered again', () => {
  const t = harness({ readsKeepLastChain: true, rolledBackStatusCode: 'PENDING' });

  it('the new order\'s answer is lost: the retry finds it, not the order the PSP declined (its list entry still shows the PSP page beside AUTHORIZATIONVOIDED); one POST each', async () => {
    const basketId = t.h.icm.addBasket(96);
    const first = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(first).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    t.h.icm.pspNotifies(first.providerOrderId!, 'failed');
    const variables = t.input(basketId, { idempotencyKey: `again-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '96.00' } });
    expect(retried.data!.createOrder.providerOrderId).not.toBe(first.providerOrderId);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(2);
  });
});

describe('Intershop adapter against an independent ICM whose reads lag by 300 ms and that refuses (409) a CONTINUE not answering the current stop: two tabs, the first answer lost', () => {
  const t = harness({ readLagMs: 300, strictContinue: true });

  it('the CANCEL\'s answer is lost, the other tab\'s SUCCESS follows: ICM rolled back, so CANCELLED for both, no money moved twice', async () => {
    const order = await t.atPsp(97, 'USD', { capture: true });
    const [yes, no] = [t.back(order, 'SUCCESS'), t.back(order, 'CANCEL')];
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(no)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const second = await t.cont(yes);
    if (second.errors) expect(second.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(second.data!.continueOrderCreation).toMatchObject({ status: 'CANCELLED' });
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('rolled_back');
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(cancelled.payments.map((payment) => payment.capturedAmount.amount)).toEqual(['0.00']);
  });

  it('the SUCCESS\'s answer is lost, the other tab\'s SUCCESS follows at once: CAPTURED, one money move', async () => {
    const order = await t.atPsp(98, 'USD', { capture: true });
    const yes = t.back(order, 'SUCCESS');
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(yes)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const second = await t.cont(yes);
    if (second.errors) expect(second.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(second.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED' });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ payments: [{ capturedAmount: { amount: '98.00' } }] });
  });
});

describe('Intershop adapter against an independent ICM whose POST answer names the open tender by its id and every later answer `open-tender` (as the seed\'s §2.2 and §3.2.3 do)', () => {
  const t = harness({ openTenderIdAfterPost: true });

  it('a PSP that captures: CAPTURED with one payment, captured once; a read agrees (before: a second payment of the full amount beside the first, PENDING for good)', async () => {
    const order = await t.atPsp(99, 'USD', { capture: true });
    expect(figures(order)).toEqual([['PENDING', '99.00', '0.00']]);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    expect(paid).toMatchObject({ status: 'CAPTURED' });
    expect(figures(paid)).toEqual([['CAPTURED', '99.00', '99.00']]);
    expect(figures(await t.read(order.id))).toEqual([['CAPTURED', '99.00', '99.00']]);
  });

  it('a gift card beside it: two payments, not three, at every step; the listing too', async () => {
    const order = await t.atPsp(101, 'USD', { capture: true, giftCard: 21 });
    expect(figures(order)).toEqual([
      ['PENDING', '21.00', '0.00'],
      ['PENDING', '80.00', '0.00'],
    ]);
    const paid = await t.continueOk(t.back(order, 'SUCCESS'));
    const both = [
      ['CAPTURED', '21.00', '21.00'],
      ['CAPTURED', '80.00', '80.00'],
    ];
    expect(figures(paid)).toEqual(both);
    expect(figures(await t.read(order.id))).toEqual(both);
    expect(figures((await t.list()).find((one) => one.id === order.id)!)).toEqual(both);
  });

  it('a listing after the create shows the order with its one payment, captured once (before: the listed `open-tender` merged in as a second payment, 200.00 captured of a 100.00 order, which the money check caught)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(100, 'USD', { payment: 'direct', capture: true })));
    expect(figures(order)).toEqual([['CAPTURED', '100.00', '100.00']]);
    const listed = (await t.list()).find((one) => one.id === order.id)!;
    expect(figures(listed)).toEqual([['CAPTURED', '100.00', '100.00']]);
  });
});
