/**
 * The Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts), under each way that server may faithfully
 * differ (/work/tasks/intershop-seed-freedoms.md). For every variation a merchant's flows run
 * through GraphQL over real HTTP: create, continue (return URLs, then the PSP's result), read,
 * the back office's operations (which ICM's order API does not have), the PSP's notification to
 * ICM found by reconciliation, and the listing. Outcomes are the contract's (§7 status mapping,
 * §3 error codes), and the gateway calls only the routes the seed shows, always with the v1
 * Accept header and the authentication-token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CONTINUE_ORDER, CREATE_ORDER, GET_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import { ICM_V1_TYPE, SEED_DEFAULTS, startIcmServer, type IcmServer, type IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

/** Each way an implementation may differ where the seed leaves it open (the server's header says why each is faithful). */
const VARIATIONS: [string, Partial<IcmServerOptions>][] = [
  ['as the seed prints it', {}],
  ['POST answers 200, plain JSON content type, keys in another order, fields no seed shows', {
    createStatus: 200,
    contentType: 'application/json;charset=UTF-8',
    reverseKeys: true,
    extraFields: true,
  }],
  ['§3.1 amounts ({gross: {...}}), capitalised payment words, "AUTHORIZED (pending)"', {
    amounts: 'gross',
    paymentWords: 'capitalised',
    pendingPaymentWord: 'AUTHORIZED (pending)',
  }],
  ['payments without status words (as §3.1 shows them), a pending payment written PENDING', {
    paymentWords: 'absent',
    pendingPaymentWord: 'PENDING',
  }],
  ['PATCH answers `data` with only the orderCreation block (no id), no included, no stop infos, errors without a body', {
    patchAnswer: 'thin',
    includeOnPatch: false,
    stopInfos: false,
    errorBody: 'empty',
  }],
  ['reads and list entries without orderCreation (only POST and PATCH answers show it), "Unprocessed" until the PSP answers', {
    readsCarryCreation: false,
  }],
  ['COMPLETED keeps statusCode PENDING (§3.2.4\'s answer, against §3.2.5\'s NEW), a pending payment written "AUTHORIZED (pending)"', {
    completedStatusCode: 'PENDING',
    pendingPaymentWord: 'AUTHORIZED (pending)',
  }],
  ['no `included` anywhere (the amounts only in §3.1\'s payments resource), every payment named `open-tender`', {
    honourInclude: false,
    openTenderId: true,
  }],
  ['the least the seed allows at once: thin PATCH answers, no `included`, no payment words, reads without orderCreation, id-only list, no stop infos, empty errors, no Content-Type', {
    patchAnswer: 'thin',
    honourInclude: false,
    paymentWords: 'absent',
    readsCarryCreation: false,
    list: 'ids',
    stopInfos: false,
    errorBody: 'empty',
    createStatus: 200,
    contentType: '',
  }],
  ['a rolled-back order is gone (404: "the order was rolled back and the basket restored")', {
    rolledBackRead: 'not-found',
  }],
  ['upper-case stop types, the PSP URL also under redirect, include names the seed does not show refused, text errors', {
    stopTypeCase: 'upper',
    redirectUrlTwice: true,
    unknownInclude: 'reject',
    errorBody: 'text',
  }],
];

/** The routes the seed shows (relative to the REST base), by method. */
const SEED_ROUTES = [/^POST \/orders(\?|$)/, /^PATCH \/orders\/[^/?]+(\?|$)/, /^GET \/orders(\?|$)/, /^GET \/orders\/[^/?]+(\?|$)/, /^GET \/orders\/[^/?]+\/payments(\?|$)/];

describe.each(VARIATIONS)('Intershop adapter against an independent ICM: %s', (_name, variation) => {
  let env: TestEnvironment;
  let icm: IcmServer;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    icm = await startIcmServer(variation);
    gateway = await env.startGateway({ intershop: { url: icm.url, authToken: icm.authToken }, reconcileIntervalMs: 100 });
    shop = await tokenFor('orders:create', 'shop-icm-independent');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-icm-independent');
  });
  afterAll(async () => {
    await icm?.close();
    await env?.close();
  });

  const input = (basketId: string, extra: Record<string, unknown> = {}) => ({ provider: 'INTERSHOP', intershop: { basketId, termsAndConditionsAccepted: true }, ...extra });
  const createOk = async (variables: Record<string, unknown>): Promise<OrderView> =>
    (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: variables }, shop)).createOrder;
  const continueOk = async (variables: Record<string, unknown>): Promise<OrderView> =>
    (await gqlOk<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: variables }, shop)).continueOrderCreation;
  const read = async (id: string): Promise<OrderView> => (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id }, backOffice)).order;
  const readUntil = (id: string, status: string) =>
    eventually(async () => {
      const order = await read(id);
      return order.status === status ? order : undefined;
    });
  /** An order sent to the PSP: created without URLs, then given them (§2.2 then §3.2.3). */
  const atPsp = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(icm.addBasket(value, 'USD', how)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    return redirected;
  };

  it('create -> redirect_urls_required -> return URLs -> the PSP page -> SUCCESS: AUTHORIZED with the basket\'s total', async () => {
    const created = await createOk(input(icm.addBasket(628.34)));
    expect(created).toMatchObject({
      provider: 'INTERSHOP',
      status: 'ACTION_REQUIRED',
      total: { amount: '628.34', currency: 'USD', minorUnits: 62834 },
      creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } },
    });
    expect(created.providerOrderId).toBeTruthy();

    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    // The seed's own PSP URL (another host, `;sid=` in the path, `¤cy`) reaches the buyer with the shop's return URLs in it.
    const pspUrl = new URL(redirected.creation.stopAction!.redirectUrl!);
    expect(pspUrl.pathname).toContain('ISHPayRedirect-OnlinePay');
    expect(pspUrl.searchParams.get('successURL')).toBe(RETURN_URLS.success);

    const paid = await continueOk({ orderId: created.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(created.providerOrderId!) } });
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '628.34', currency: 'USD' } });
    expect(paid.payments).toHaveLength(1);
    expect(paid.payments[0]).toMatchObject({ status: 'AUTHORIZED', amount: { amount: '628.34' } });
    expect(paid.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    expect(await read(created.id)).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });

  it('createOrder with returnUrls goes straight to the PSP page', async () => {
    const order = await createOk(input(icm.addBasket(19.9), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '19.90' }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('failURL')).toBe(RETURN_URLS.failure);
  });

  it('the buyer cancels at the PSP: ROLLED_BACK is CANCELLED, and stays so on later reads', async () => {
    const order = await atPsp(21);
    const cancelled = await continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: icm.buyerReturns(order.providerOrderId!) } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.creation.infos.map((info) => info.code)).toContain('order.cancelled.info');
    // The reconciler and readers see the same final state whatever ICM now answers for the order.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await read(order.id)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
  });

  it('a pending payment: SUCCESS answers waiting_for_pending_payments (PENDING); the PSP\'s notification to ICM is found by reconciliation', async () => {
    const order = await atPsp(22.5, { async: true });
    const waiting = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(order.providerOrderId!) } });
    expect(waiting).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { reason: 'waiting_for_pending_payments' } } });
    expect(waiting.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    icm.pspNotifies(order.providerOrderId!, 'paid');
    const settled = await readUntil(order.id, 'AUTHORIZED');
    expect(settled).toMatchObject({ creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED', amount: { amount: '22.50' } }] });
    expect(settled.events.map((event) => event.source)).toContain('RECONCILIATION');
  });

  it('a pending payment that fails at the PSP is rolled back: reconciliation makes it CANCELLED', async () => {
    const order = await atPsp(23, { async: true });
    await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(order.providerOrderId!) } });
    icm.pspNotifies(order.providerOrderId!, 'failed');
    if (variation.rolledBackRead !== 'not-found') {
      expect(await readUntil(order.id, 'CANCELLED')).toMatchObject({ status: 'CANCELLED' });
      return;
    }
    // An ICM whose rolled-back order is gone says nothing the gateway may take for a rollback (a
    // 404 is also a wrong site URL): the order stays PENDING, unharmed, until its watch ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await read(order.id)).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { reason: 'waiting_for_pending_payments' } } });
  });

  it('the PSP notifies ICM before the buyer returns: reconciliation finds it paid; the late continue is harmless', async () => {
    // A capture shows only in a payment's status word; where ICM's answers carry none (§3.1's
    // payments, or no `included`), a COMPLETED chain is AUTHORIZED (the lesser of §3.2.5's pair).
    const wordsShown = variation.paymentWords !== 'absent' && variation.honourInclude !== false;
    const order = await atPsp(24, { capture: true });
    const parameters = icm.buyerReturns(order.providerOrderId!);
    icm.pspNotifies(order.providerOrderId!, 'paid');
    const expected = wordsShown ? 'CAPTURED' : 'AUTHORIZED';
    const settled = await readUntil(order.id, expected);
    expect(settled).toMatchObject({ creation: { status: 'COMPLETED' }, total: { amount: '24.00' } });
    const late = await gql<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, redirectResult: { status: 'SUCCESS', parameters } } }, shop);
    if (late.errors) expect(late.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(late.data!.continueOrderCreation.status).toBe(expected);
    expect((await read(order.id)).status).toBe(expected);
  });

  it('the buyer leaves the PSP page and the PSP tells ICM the payment failed: reconciliation makes it CANCELLED', async () => {
    const order = await atPsp(27);
    icm.pspNotifies(order.providerOrderId!, 'failed');
    if (variation.rolledBackRead === 'not-found') return;
    expect(await readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('a basket whose payment came with its return URLs (§3.2.2) stops at the PSP page at once; SUCCESS authorizes it', async () => {
    const order = await createOk(input(icm.addBasket(28, 'USD', { payment: 'redirect-with-urls' })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    const paid = await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(order.providerOrderId!) } });
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '28.00' } });
  });

  it('a gift card (a limited tender, §3.1) pays part, the PSP the rest: the total is both, the PSP payment decides the status', async () => {
    const created = await createOk(input(icm.addBasket(50, 'USD', { giftCard: 20 })));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '50.00' }, creation: { stopAction: { reason: 'redirect_urls_required' } } });
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const paid = await continueOk({ orderId: created.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(created.providerOrderId!) } });
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '50.00' } });
    expect(paid.payments.map((one) => one.amount.amount).sort()).toEqual(['20.00', '30.00']);
    // Reads (the reconciler's, a reader's) agree.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await read(created.id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '50.00' } });
  });

  it.each([
    ['alone', 0],
    ['beside a gift card taken already (a captured limited tender is not the PSP\'s yes)', 25],
  ])('a PSP payment still at the PSP %s: the reconciler\'s reads keep the order at the PSP page, and the buyer\'s return continues it', async (_name, giftCard) => {
    const created = await createOk(input(icm.addBasket(60, 'USD', { giftCard }), { returnUrls: RETURN_URLS }));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    // A back office lists the orders at once (the gateway adopts what ICM lists), and the reconciler reads it.
    await gqlOk(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const waiting = await read(created.id);
    expect(waiting).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(waiting.creation.stopAction!.redirectUrl).toBe(created.creation.stopAction!.redirectUrl);
    const paid = await continueOk({ orderId: created.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(created.providerOrderId!) } });
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '60.00' } });
  });

  it('a basket paid without a redirect completes at once (COMPLETED on POST)', async () => {
    const order = await createOk(input(icm.addBasket(30, 'USD', { payment: 'direct' })));
    expect(order).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '30.00', currency: 'USD' } });
  });

  it('capture, refund and cancel are NOT_SUPPORTED (ICM\'s order API has none); the order is unchanged', async () => {
    const order = await atPsp(25);
    await continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(order.providerOrderId!) } });
    const answer = await gql<{ applyOrderEvents: (OrderView | null)[] }>(
      gateway.url,
      APPLY_EVENTS,
      { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }, { orderId: order.id, events: [{ type: 'CANCEL' }] }, { orderId: order.id, events: [{ type: 'REFUND', amount: '1.00' }] }] },
      backOffice,
    );
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_SUPPORTED', 'NOT_SUPPORTED', 'NOT_SUPPORTED']);
    expect((await read(order.id)).status).toBe('AUTHORIZED');
  });

  it('ICM refuses the basket: PROVIDER_REJECTED (with ICM\'s code when its body has one), no order kept', async () => {
    const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: input('no-such-basket') }, shop);
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
    if ((variation.errorBody ?? SEED_DEFAULTS.errorBody) === 'contract') expect(answer.errors?.[0]?.extensions?.['providerCode']).toBe('basket.not_found.error');
    expect(answer.raw).not.toContain(icm.authToken);
  });

  it('orders(filter: {provider: INTERSHOP}) answers, the gateway\'s own orders in it', async () => {
    const order = await atPsp(26);
    const list = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice);
    expect(list.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
  });

  it('a creation whose answer is lost: the retry with its key finds the order in the list by its basket (a list without baskets: by reading its newest entries); never a second POST', async () => {
    const basketId = icm.addBasket(33);
    const variables = input(basketId, { idempotencyKey: `lost-${Math.random()}` });
    icm.loseNextCreateAnswer();
    const lost = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: variables }, shop);
    expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: variables }, shop);
    const posts = icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId));
    // An id-only list (round three): its newest entries are read one by one (before, it found nothing).
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '33.00', currency: 'USD' } });
    // The one order, not made again (a POST whose include this ICM refuses made nothing).
    const creating = posts.filter((call) => variation.unknownInclude !== 'reject' || !call.path.includes('lineItems'));
    expect(creating).toHaveLength(1);
  });

  it('every call was to a route the seed shows, with the v1 Accept header', () => {
    expect(icm.calls.length).toBeGreaterThan(0);
    for (const call of icm.calls) {
      expect(SEED_ROUTES.some((route) => route.test(`${call.method} ${call.path}`)), `${call.method} ${call.path}`).toBe(true);
      expect(call.accept).toContain(ICM_V1_TYPE);
    }
  });
});

describe('Intershop adapter against an independent ICM whose chain stops for a reason no seed names (§2.2 "may stop for another reason")', () => {
  let env: TestEnvironment;
  let icm: IcmServer;
  let gateway: Gateway;
  let shop: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    icm = await startIcmServer({ anotherStop: 'approval_required' });
    gateway = await env.startGateway({ intershop: { url: icm.url, authToken: icm.authToken }, reconcileIntervalMs: 100 });
    shop = await tokenFor('orders:create', 'shop-icm-independent');
  });
  afterAll(async () => {
    await icm?.close();
    await env?.close();
  });

  it('the unknown stop is no error and changes no status (an Info says so); when ICM goes on by itself, a re-read finds the PSP page', async () => {
    const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: { provider: 'INTERSHOP', intershop: { basketId: icm.addBasket(31), termsAndConditionsAccepted: true } } }, shop)).createOrder;
    const stopped = (await gqlOk<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: created.id, returnUrls: RETURN_URLS } }, shop)).continueOrderCreation;
    expect(stopped.status).toBe('ACTION_REQUIRED');
    expect(stopped.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    const redirected = await eventually(async () => {
      const order = (await gqlOk<{ order: OrderView }>(gateway.url, GET_ORDER, { id: created.id }, shop)).order;
      return order.creation.stopAction?.type === 'REDIRECT' ? order : undefined;
    });
    expect(new URL(redirected.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
  });
});

describe('Intershop adapter against an independent ICM whose list entries have no orderCreation and whose payment stays "Unprocessed" at the PSP (no reconciler)', () => {
  let env: TestEnvironment;
  let icm: IcmServer;
  let gateway: Gateway;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment('memory');
    icm = await startIcmServer({ readsCarryCreation: false });
    gateway = await env.startGateway({ intershop: { url: icm.url, authToken: icm.authToken } }, { pollerDisabled: true });
    shop = await tokenFor('orders:create', 'shop-icm-independent');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office-icm-independent');
  });
  afterAll(async () => {
    await icm?.close();
    await env?.close();
  });

  it('a listing before any read of an order the gateway sent to the PSP keeps it at the PSP page; an order made elsewhere still lists as waiting for its URLs', async () => {
    const input = { provider: 'INTERSHOP', intershop: { basketId: icm.addBasket(35), termsAndConditionsAccepted: true }, returnUrls: RETURN_URLS };
    const created = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input }, shop)).createOrder;
    expect(created.creation.stopAction?.type).toBe('REDIRECT');
    // Another ICM client (the storefront) places an order the gateway has never seen.
    const elsewhere = await fetch(`${icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: icm.addBasket(36), termsAndConditionsAccepted: true }),
    });
    const elsewhereId = ((await elsewhere.json()) as { data: { id: string } }).data.id;
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, backOffice);
    expect(listed.orders.nodes.find((node) => node.id === created.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: created.creation.stopAction!.redirectUrl } } });
    expect(listed.orders.nodes.find((node) => node.providerOrderId === elsewhereId)).toMatchObject({
      status: 'ACTION_REQUIRED',
      total: { amount: '36.00' },
      creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } },
    });
    // The buyer comes back: the continue is taken (it was INVALID_STATE once the stop had turned into redirect_urls_required).
    const paid = (await gqlOk<{ continueOrderCreation: OrderView }>(gateway.url, CONTINUE_ORDER, { input: { orderId: created.id, redirectResult: { status: 'SUCCESS', parameters: icm.buyerReturns(created.providerOrderId!) } } }, shop)).continueOrderCreation;
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });
});
