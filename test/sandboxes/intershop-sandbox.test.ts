/**
 * The Intershop sandbox on its own, over HTTP: is it the ICM of the seed (paths, media types,
 * field names, status words, error shapes, the creation chain, the PSP page)? The gateway's tests
 * trust it; these make sure that trust is earned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntershopSandbox, type IntershopSandbox } from '../../src/sandboxes/intershop/index.js';
import { eventually } from '../support/gateway.js';
import { ICM_V1, buyerAtPsp, icmRest, newBasket, returnedParameters } from '../support/intershop.js';

const INCLUDES = 'include=payments,payments.paymentInstrument,payments.paymentMethod';
const URLS = { successUrl: 'http://example.com/success', cancelUrl: 'http://example.com/cancel', failureUrl: 'http://example.com/failure' };
const CONTINUE_URLS = { orderCreation: { status: 'CONTINUE', redirect: URLS } };

describe('Intershop sandbox REST API', () => {
  let sandbox: IntershopSandbox;

  beforeAll(async () => {
    sandbox = await startIntershopSandbox({ authToken: 'icm-test-token', notificationMs: 50 });
  });
  afterAll(() => sandbox.close());

  async function placeOrder(total = '10.00', paymentMethod?: 'ISH_ONLINEPAY_SALE') {
    const basket = await newBasket(sandbox, total, paymentMethod ? { paymentMethod } : {});
    const created = await icmRest(sandbox, 'POST', `/orders?${INCLUDES}`, { basket, termsAndConditionsAccepted: true });
    expect(created.status).toBe(201);
    return { basket, id: created.json.data.id as string, created };
  }

  async function atPsp(total = '10.00') {
    const placed = await placeOrder(total);
    const redirected = await icmRest(sandbox, 'PATCH', `/orders/${placed.id}`, CONTINUE_URLS);
    return { ...placed, redirectUrl: redirected.json.data.orderCreation.stopAction.redirectUrl as string };
  }

  it('lives under the site REST base and points adapters at it with its token', () => {
    expect(sandbox.url).toBe(`${sandbox.origin}/INTERSHOP/rest/WFS/inSPIRED-inTRONICS-Site/-`);
    expect(sandbox.config).toEqual({ url: sandbox.url, authToken: 'icm-test-token' });
  });

  it('needs the authentication-token; without it, or with another, ICM\'s 401 error body', async () => {
    for (const token of [null, 'wrong']) {
      const answer = await icmRest(sandbox, 'GET', '/orders', undefined, { token });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ errors: [{ code: 'authentication.token.invalid.error', message: expect.any(String), status: '401' }] });
    }
  });

  it('POST /orders (v1) answers the seed\'s document: STOPPED redirect_urls_required, the payment Unprocessed, the includes asked for', async () => {
    const { created, basket } = await placeOrder('628.34');
    expect(created.contentType).toContain(ICM_V1);
    const { data, included, infos, links } = created.json;
    expect(data).toMatchObject({
      basket,
      orderCreation: { status: 'STOPPED', stopAction: { exitReason: 'redirect_urls_required', type: 'Workflow' } },
      purchaseCurrency: 'USD',
      status: 'Pending',
      statusCode: 'PENDING',
      termsAndConditionsAccepted: true,
      totals: { grandTotal: { gross: { currency: 'USD', value: 628.34 } } },
      user: 'patricia@test.intershop.de',
    });
    expect(data.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/);
    const payment = included.payments[data.payments[0]];
    expect(payment).toMatchObject({
      baseAmount: { currency: 'USD', value: 628.34 },
      openTender: true,
      paymentInstrument: 'ISH_ONLINEPAY',
      paymentMethod: 'ISH_ONLINEPAY',
      redirectRequired: true,
      status: 'Unprocessed',
      totalAmount: { currency: 'USD', value: 628.34 },
    });
    expect(included['payments.paymentInstrument']).toEqual({ ISH_ONLINEPAY: { id: 'ISH_ONLINEPAY' } });
    expect(included['payments.paymentMethod'].ISH_ONLINEPAY).toMatchObject({ capabilities: ['RedirectAfterCheckout'], displayName: 'ISH Demo Online Pay' });
    expect(infos).toEqual([{ code: 'order.creation_stopped.info', message: expect.any(String) }]);
    expect(links.self).toBe(`${sandbox.url}/orders/${data.id}`);
    // Without include, nothing is included.
    const plain = await icmRest(sandbox, 'GET', `/orders/${data.id}`);
    expect(plain.json.included).toBeUndefined();
  });

  it('the seeded baskets exist; an ordered basket is gone, an unknown one and unaccepted terms are 422 ICM errors', async () => {
    const seeded = await icmRest(sandbox, 'POST', '/orders?include=lineItems', { basket: 'nNQKAB2_tMYAAAFuc9BdhmPm', termsAndConditionsAccepted: true });
    expect(seeded.json.data).toMatchObject({ totalProductQuantity: 25, totals: { grandTotal: { gross: { value: 628.34 } } } });
    expect(Object.values(seeded.json.included.lineItems)).toHaveLength(2);
    const again = await icmRest(sandbox, 'POST', '/orders', { basket: 'nNQKAB2_tMYAAAFuc9BdhmPm', termsAndConditionsAccepted: true });
    expect(again.status).toBe(422);
    expect(again.json.errors[0]).toMatchObject({ code: 'basket.not_found.error', status: '422', paths: ['$.basket'] });
    const terms = await icmRest(sandbox, 'POST', '/orders', { basket: 'sandbox-basket-eur', termsAndConditionsAccepted: false });
    expect(terms.json.errors[0]).toMatchObject({ code: 'order.terms_and_conditions.not_accepted.error', status: '422' });
    const missing = await icmRest(sandbox, 'POST', '/orders', { termsAndConditionsAccepted: true });
    expect(missing.status).toBe(400);
    expect((await icmRest(sandbox, 'POST', '/orders', { basket: 'sandbox-basket-eur', termsAndConditionsAccepted: true })).status).toBe(201);
  });

  it('plain application/json (or no Accept) is the legacy API: another shape, and no v1 creation chain', async () => {
    const { id } = await placeOrder();
    const legacy = await icmRest(sandbox, 'GET', `/orders/${id}`, undefined, { accept: 'application/json' });
    expect(legacy.status).toBe(200);
    expect(legacy.json).toMatchObject({ type: 'Order', id, totals: { grandTotal: { type: 'Money', currencyMnemonic: 'USD', value: 10 } } });
    expect(legacy.json.data).toBeUndefined();
    expect((await icmRest(sandbox, 'GET', '/orders', undefined, { accept: null })).json).toMatchObject({ type: 'ResourceCollection', name: 'orders' });
    expect((await icmRest(sandbox, 'PATCH', `/orders/${id}`, CONTINUE_URLS, { accept: 'application/json' })).status).toBe(405);
    expect((await icmRest(sandbox, 'GET', `/orders/${id}`)).json.data.orderCreation.stopAction.type).toBe('Workflow');
    const other = await newBasket(sandbox, '1.00');
    const legacyCreate = await icmRest(sandbox, 'POST', '/orders', { basket: other, termsAndConditionsAccepted: true }, { accept: 'application/json' });
    expect(legacyCreate.status).toBe(400);
    expect(legacyCreate.json).toBeUndefined();
    expect((await icmRest(sandbox, 'POST', '/orders', { basket: other, termsAndConditionsAccepted: true })).status).toBe(201);
  });

  it('PATCH CONTINUE with the URLs -> STOPPED Redirect to the PSP page; a CONTINUE without them stops where it was', async () => {
    const { id } = await placeOrder('628.34');
    const empty = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE' } });
    expect(empty.json.data.orderCreation.stopAction.exitReason).toBe('redirect_urls_required');
    const wrongStatus = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'COMPLETED', redirect: URLS } });
    expect(wrongStatus.status).toBe(400);
    const partial = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: { successUrl: URLS.successUrl } } });
    expect(partial.json.errors[0]).toMatchObject({ status: '400', paths: ['$.orderCreation.redirect.cancelUrl'] });

    const redirected = await icmRest(sandbox, 'PATCH', `/orders/${id}?${INCLUDES}`, CONTINUE_URLS);
    const creation = redirected.json.data.orderCreation;
    expect(creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'Redirect' }, redirect: { ...URLS, redirectUrl: creation.stopAction.redirectUrl } });
    const psp = new URL(creation.stopAction.redirectUrl);
    expect(psp.pathname).toBe('/INTERSHOP/web/WFS/inSPIRED-inTRONICS-Site/en_US/-/USD/ISHPayRedirect-OnlinePay');
    expect(Object.fromEntries(psp.searchParams)).toMatchObject({ orderID: id, amount: '62834', currency: 'USD', successURL: URLS.successUrl, failURL: URLS.failureUrl, cancelURL: URLS.cancelUrl });
    expect(redirected.json.included.payments[redirected.json.data.payments[0]].status).toBe('PENDING');
  });

  it('the PSP page: Pay sends the buyer back with its parameters, the shop\'s SUCCESS completes the order (NEW, AUTHORIZED)', async () => {
    const { id, redirectUrl } = await atPsp();
    const page = await fetch(redirectUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const outcome of ['success', 'pending_success', 'pending_failure', 'failure', 'cancel']) expect(html).toContain(`value="${outcome}"`);

    const answer = await buyerAtPsp(redirectUrl, 'success');
    const back = new URL(answer.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(URLS.successUrl);
    expect(back.searchParams.get('orderID')).toBe(id);
    expect(await fetch(redirectUrl).then((response) => response.status)).toBe(409);

    const forged = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'SUCCESS', parameters: [{ name: 'transactionID', value: 'forged' }] } } });
    expect(forged.json.errors[0].code).toBe('order.creation.redirect.not_confirmed.error');
    const done = await icmRest(sandbox, 'PATCH', `/orders/${id}?${INCLUDES}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'SUCCESS', parameters: returnedParameters(answer) } } });
    expect(done.json.data).toMatchObject({ orderCreation: { status: 'COMPLETED' }, statusCode: 'NEW' });
    expect(done.json.infos).toBeUndefined();
    expect(done.json.included.payments[done.json.data.payments[0]].status).toBe('AUTHORIZED');
  });

  it('a SUCCESS redirect before the buyer decided anything is refused', async () => {
    const { id } = await atPsp();
    const early = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'SUCCESS', parameters: [] } } });
    expect(early.status).toBe(422);
    expect((await icmRest(sandbox, 'GET', `/orders/${id}`)).json.data.orderCreation.stopAction.type).toBe('Redirect');
  });

  it('pending: waiting_for_pending_payments until the PSP notification completes it; a later CONTINUE answers the final state unchanged', async () => {
    sandbox.pauseNotifications(true);
    const { id, redirectUrl } = await atPsp();
    const answer = await buyerAtPsp(redirectUrl, 'pending_success');
    const continued = { orderCreation: { status: 'CONTINUE', redirect: { status: 'SUCCESS', parameters: returnedParameters(answer) } } };
    const waiting = await icmRest(sandbox, 'PATCH', `/orders/${id}?${INCLUDES}`, continued);
    expect(waiting.json.data).toMatchObject({ orderCreation: { status: 'STOPPED', stopAction: { type: 'Workflow', exitReason: 'waiting_for_pending_payments' } }, statusCode: 'PENDING' });
    expect(waiting.json.infos[0].code).toBe('order.creation_stopped.info');
    expect(waiting.json.included.payments[waiting.json.data.payments[0]].status).toBe('AUTHORIZED');
    sandbox.pauseNotifications(false);
    const completed = await eventually(async () => {
      const read = await icmRest(sandbox, 'GET', `/orders/${id}`);
      return read.json.data.orderCreation.status === 'COMPLETED' ? read.json : undefined;
    });
    expect(completed.data.statusCode).toBe('NEW');
    // Seed: a CONTINUE after the notification "is not harmed or restarted".
    const late = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'CANCEL', parameters: [] } } });
    expect(late.json.data).toMatchObject({ orderCreation: { status: 'COMPLETED' }, statusCode: 'NEW' });
  });

  it('a declined pending payment, a cancel and a failure roll back (order.cancelled.info, PAYMENT_CANCELLED) by notification, and restore the basket', async () => {
    for (const outcome of ['pending_failure', 'cancel', 'failure'] as const) {
      const { id, basket, redirectUrl } = await atPsp();
      const answer = await buyerAtPsp(redirectUrl, outcome);
      expect(answer.status).toBe(303);
      const rolledBack = await eventually(async () => {
        const read = await icmRest(sandbox, 'GET', `/orders/${id}?${INCLUDES}`);
        return read.json.data.orderCreation.status === 'ROLLED_BACK' ? read.json : undefined;
      });
      expect(rolledBack.data.statusCode).toBe('PAYMENT_CANCELLED');
      expect(rolledBack.infos).toEqual([{ code: 'order.cancelled.info', message: expect.any(String) }]);
      expect(rolledBack.included.payments[rolledBack.data.payments[0]].status).toBe('AUTHORIZATIONVOIDED');
      expect((await icmRest(sandbox, 'POST', '/orders', { basket, termsAndConditionsAccepted: true })).status).toBe(201);
    }
  });

  it('GET /orders/{id}/payments is seed §3.1\'s shape; GET /orders lists newest first; unknown orders are 404', async () => {
    const older = await placeOrder('3.00', 'ISH_ONLINEPAY_SALE');
    const newer = await placeOrder('4.00');
    const payments = await icmRest(sandbox, 'GET', `/orders/${older.id}/payments?include=paymentInstrument,paymentMethod`);
    expect(payments.json.data).toEqual([
      expect.objectContaining({ baseAmount: { gross: { currency: 'USD', value: 3 } }, totalAmount: { gross: { currency: 'USD', value: 3 } }, paymentMethod: 'ISH_ONLINEPAY_SALE' }),
    ]);
    expect(payments.json.included.paymentMethod.ISH_ONLINEPAY_SALE).toMatchObject({ id: 'ISH_ONLINEPAY_SALE', displayName: expect.any(String) });
    expect(payments.json.included.paymentInstrument).toEqual({ ISH_ONLINEPAY_SALE: { id: 'ISH_ONLINEPAY_SALE' } });

    const ids = (await icmRest(sandbox, 'GET', '/orders')).json.data.map((order: { id: string }) => order.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    const unknown = await icmRest(sandbox, 'GET', '/orders/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0]).toMatchObject({ status: '404' });
  });

  it('PATCH and GET of one order answer seed §3.2.3\'s shape: no creationDate, purchaseCurrency or totals (POST has them)', async () => {
    const { id, created } = await placeOrder('5.00');
    expect(created.json.data).toMatchObject({ creationDate: expect.any(String), purchaseCurrency: 'USD', totals: { grandTotal: expect.any(Object) } });
    const patched = await icmRest(sandbox, 'PATCH', `/orders/${id}?${INCLUDES}`, CONTINUE_URLS);
    const read = await icmRest(sandbox, 'GET', `/orders/${id}?${INCLUDES}`);
    for (const answer of [patched, read]) {
      expect(answer.status).toBe(200);
      expect(answer.json.data).not.toHaveProperty('creationDate');
      expect(answer.json.data).not.toHaveProperty('purchaseCurrency');
      expect(answer.json.data).not.toHaveProperty('totals');
      expect(answer.json.data).toMatchObject({ id, documentNumber: expect.any(String), statusCode: 'PENDING', payments: [expect.any(String)] });
    }
  });

  it('GET /orders pages: offset and limit (cut to the page size), info {limit, offset, total}; a bad offset is 400', async () => {
    await placeOrder('1.00');
    await placeOrder('2.00');
    const all = (await icmRest(sandbox, 'GET', '/orders?limit=1000')).json;
    expect(all.info).toEqual({ limit: 10, offset: 0, total: expect.any(Number) });
    const total = all.info.total as number;
    const first = (await icmRest(sandbox, 'GET', `/orders?${INCLUDES}&offset=0&limit=1`)).json;
    const second = (await icmRest(sandbox, 'GET', `/orders?${INCLUDES}&offset=1&limit=1`)).json;
    expect(first.info).toEqual({ limit: 1, offset: 0, total });
    expect(second.info).toEqual({ limit: 1, offset: 1, total });
    expect([...first.data, ...second.data].map((order: { id: string }) => order.id)).toEqual(all.data.slice(0, 2).map((order: { id: string }) => order.id));
    // The includes are the page's orders' only.
    expect(Object.keys(second.included.payments)).toEqual(second.data[0].payments);
    expect(second.data[0]).toMatchObject({ creationDate: expect.any(String), totals: { grandTotal: expect.any(Object) } });
    expect((await icmRest(sandbox, 'GET', '/orders?offset=-1')).status).toBe(400);
  });

  it('the PSP\'s record wins over the shop\'s redirect status: a CANCEL after Pay completes (CAPTURED for the sale method), a FAILURE after a pending payment waits', async () => {
    const sale = await placeOrder('7.00', 'ISH_ONLINEPAY_SALE');
    const redirected = await icmRest(sandbox, 'PATCH', `/orders/${sale.id}`, CONTINUE_URLS);
    const paid = await buyerAtPsp(redirected.json.data.orderCreation.stopAction.redirectUrl, 'success');
    const cancelled = await icmRest(sandbox, 'PATCH', `/orders/${sale.id}?${INCLUDES}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'CANCEL', parameters: returnedParameters(paid) } } });
    expect(cancelled.json.data).toMatchObject({ orderCreation: { status: 'COMPLETED' }, statusCode: 'NEW' });
    expect(cancelled.json.included.payments[cancelled.json.data.payments[0]].status).toBe('CAPTURED');
    expect(cancelled.json.infos).toBeUndefined();

    sandbox.pauseNotifications(true);
    try {
      const { id, redirectUrl } = await atPsp();
      const later = await buyerAtPsp(redirectUrl, 'pending_success');
      const failed = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: { status: 'FAILURE', parameters: returnedParameters(later) } } });
      expect(failed.json.data.orderCreation).toMatchObject({ status: 'STOPPED', stopAction: { exitReason: 'waiting_for_pending_payments' } });
    } finally {
      sandbox.pauseNotifications(false);
    }
  });

  it('fault("payments_http500") waits for the next payments read and answers it 500', async () => {
    const { id } = await placeOrder('3.00');
    sandbox.fault('payments_http500');
    expect((await icmRest(sandbox, 'GET', `/orders/${id}`)).status).toBe(200);
    expect((await icmRest(sandbox, 'GET', `/orders/${id}/payments`)).status).toBe(500);
    expect((await icmRest(sandbox, 'GET', `/orders/${id}/payments`)).status).toBe(200);
  });

  it('faults answer one call, which has no effect', async () => {
    sandbox.fault('http500');
    expect((await icmRest(sandbox, 'GET', '/orders')).status).toBe(500);
    sandbox.fault('malformed');
    const malformed = await icmRest(sandbox, 'GET', '/orders');
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    expect((await icmRest(sandbox, 'GET', '/orders')).json.data).toEqual(expect.any(Array));
  });
});

describe('Intershop sandbox, seed-minimal', () => {
  let sandbox: IntershopSandbox;
  beforeAll(async () => {
    sandbox = await startIntershopSandbox({ authToken: 'icm-test-token', seedMinimal: true });
  });
  afterAll(() => sandbox.close());

  it('POST and PATCH answers carry `orderCreation` (the seed shows it there); a GET of the order and list entries do not', async () => {
    const created = await icmRest(sandbox, 'POST', '/orders?include=payments', { basket: await newBasket(sandbox, '2.00'), termsAndConditionsAccepted: true });
    expect(created.json.data.orderCreation).toMatchObject({ status: 'STOPPED' });
    const id: string = created.json.data.id;
    const urls = { successUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/cancel', failureUrl: 'https://shop.example/failed' };
    const patched = await icmRest(sandbox, 'PATCH', `/orders/${id}`, { orderCreation: { status: 'CONTINUE', redirect: urls } });
    expect(patched.json.data.orderCreation).toMatchObject({ stopAction: { type: 'Redirect' } });
    const read = await icmRest(sandbox, 'GET', `/orders/${id}?include=payments`);
    expect(read.json.data).toMatchObject({ id, statusCode: 'PENDING' });
    expect(read.json.data).not.toHaveProperty('orderCreation');
    const list = await icmRest(sandbox, 'GET', '/orders');
    expect(list.json.data.length).toBeGreaterThan(0);
    for (const entry of list.json.data) expect(entry).not.toHaveProperty('orderCreation');
  });
});
