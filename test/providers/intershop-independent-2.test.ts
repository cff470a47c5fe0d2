/**
 * Round two of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Round one varied one freedom at a time on the
 * happy paths; this file drives:
 * - freedoms together (a Java serializer's explicit nulls, numbers as strings, status words with
 *   spaces, dates in other styles, paging, no content type, keys in another order...), through
 *   every kind of order the contract lists for ICM (redirect, URLs with the payment, direct,
 *   pending, gift card) and its endings (paid, cancelled by the buyer, declined by the PSP);
 * - answers lost at the worst moment (after ICM made the order or went on with the chain: reset,
 *   502, slower than the gateway waits), retries, two clients at once, the PSP's notification
 *   before / during the lost answer: the chain goes on to the PSP's outcome once, and the order
 *   ends where ICM's state says;
 * - a strict ICM: every request the gateway sends is one the seed shows, with the seed's types.
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServer, type IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
const SEED_ROUTES = [/^POST \/orders(\?|$)/, /^PATCH \/orders\/[^/?]+(\?|$)/, /^GET \/orders(\?|$)/, /^GET \/orders\/[^/?]+(\?|$)/, /^GET \/orders\/[^/?]+\/payments(\?|$)/];

/** A gateway in front of an independent ICM, with the helpers a merchant's flows need. */
function harness(options: Partial<IcmServerOptions>) {
  const { h, input, create, createOk, cont, continueOk, read } = icmHarness('-2', options);
  const readUntil = (id: string, check: (order: OrderView) => boolean, timeoutMs = 5000) =>
    eventually(async () => {
      const order = await read(id);
      return check(order) ? order : undefined;
    }, timeoutMs);
  const list = async () => (await gqlOk<{ orders: { nodes: OrderView[] } }>(h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, h.backOffice)).orders.nodes;
  const atPsp = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(h.icm.addBasket(value, 'USD', how)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    return redirected;
  };
  const success = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  const patches = (order: OrderView, kind: 'SUCCESS' | 'successUrl') =>
    h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.startsWith(`/orders/${encodeURIComponent(order.providerOrderId!)}`) && call.body.includes(kind)).length;
  /** Status changes the order's history records into `status`. */
  const reached = (order: OrderView, status: string) => order.events.filter((event) => event.status === status).length;
  return { h, input, create, createOk, cont, continueOk, read, readUntil, list, atPsp, success, patches, reached };
}

/** Freedoms at once (each one faithful, see the server's header). */
const COMBINATIONS: [string, Partial<IcmServerOptions>][] = [
  ['a Java serializer\'s explicit nulls for every field a state leaves out', { nulls: true }],
  [
    'nulls, reads and list entries without the chain, thin PATCH answers, no included, values as strings, padded words, no content type, 200, keys reversed, dates without the colon',
    {
      nulls: true,
      readsCarryCreation: false,
      patchAnswer: 'thin',
      includeOnPatch: false,
      valuesAsStrings: true,
      paddedWords: true,
      contentType: '',
      createStatus: 200,
      reverseKeys: true,
      dateStyle: 'no-colon',
      stopInfos: false,
    },
  ],
  [
    'capitalised and padded words, §3.1 amounts as strings, COMPLETED keeps PENDING, "AUTHORIZED (pending)", dates without a zone, upper-case stop types',
    {
      paymentWords: 'capitalised',
      paddedWords: true,
      amounts: 'gross',
      valuesAsStrings: true,
      completedStatusCode: 'PENDING',
      pendingPaymentWord: 'AUTHORIZED (pending)',
      dateStyle: 'no-zone',
      stopTypeCase: 'upper',
    },
  ],
  [
    'a strict ICM (request types, URLs, CONTINUE), a list paged 2 at a time, dates with milliseconds, nulls, PSP URL twice, unknown includes refused',
    { strictRequests: true, listPageSize: 2, dateStyle: 'millis', nulls: true, redirectUrlTwice: true, unknownInclude: 'reject' },
  ],
  [
    'empty blocks ({}) where a state has none, reads and list entries with an empty orderCreation, no included on PATCH, §3.1 amounts',
    { emptyObjects: true, readsCarryCreation: false, includeOnPatch: false, amounts: 'gross' },
  ],
];

describe.each(COMBINATIONS)('Intershop adapter against an independent ICM, freedoms together: %s', (_name, variation) => {
  const t = harness(variation);
  const wordsShown = variation.paymentWords !== 'absent' && variation.honourInclude !== false;

  it('redirect order: create -> URLs -> PSP page -> SUCCESS is AUTHORIZED with the basket\'s total, on every later read too', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(628.34)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '628.34', currency: 'USD' }, creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(new URL(redirected.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    const paid = await t.continueOk(t.success(created));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '628.34' } });
    expect(paid.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await t.read(created.id)).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '628.34' } });
    expect(t.h.icm.moneyMoves.get(created.providerOrderId!)).toBe(1);
  });

  it('a basket paid without a redirect (captured at once) completes on POST', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(30, 'USD', { payment: 'direct', capture: true })));
    expect(order).toMatchObject({ status: wordsShown ? 'CAPTURED' : 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '30.00', currency: 'USD' } });
  });

  it('a basket whose payment came with its URLs stops at the PSP page at once; the buyer cancels: CANCELLED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(28, 'USD', { payment: 'redirect-with-urls' })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const cancelled = await t.continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: t.h.icm.buyerReturns(order.providerOrderId!) } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
  });

  it('a pending payment with a gift card: PENDING, then the PSP\'s yes reaches the gateway by reconciliation', async () => {
    const order = await t.atPsp(80, { async: true, giftCard: 30 });
    const waiting = await t.continueOk(t.success(order));
    expect(waiting).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    const settled = await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED');
    expect(settled).toMatchObject({ creation: { status: 'COMPLETED' }, total: { amount: '80.00' } });
  });

  it('a pending payment the PSP declines: CANCELLED by reconciliation', async () => {
    const order = await t.atPsp(81, { async: true });
    await t.continueOk(t.success(order));
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, (one) => one.status === 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('the listing (every page) has the gateway\'s orders, today\'s date in range', async () => {
    const orders = [await t.atPsp(41), await t.atPsp(42), await t.atPsp(43)];
    const today = new Date().toISOString().slice(0, 10);
    const listed = (
      await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: today, to: today }, first: 100 }, t.h.backOffice)
    ).orders.nodes;
    for (const order of orders) expect(listed.find((node) => node.id === order.id), order.id).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    // An order another client made (the storefront) is adopted with its total.
    const elsewhere = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(44, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    const elsewhereId = ((await elsewhere.json()) as { data: { id: string } }).data.id;
    const again = await t.list();
    expect(again.find((node) => node.providerOrderId === elsewhereId)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '44.00' } });
  });

  it('a creation whose answer is lost after ICM made the order: the retry with the key finds it, one POST', async () => {
    const basketId = t.h.icm.addBasket(33);
    const variables = t.input(basketId, { idempotencyKey: `lost-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '33.00', currency: 'USD' } });
    const posts = t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId) && !(variation.unknownInclude === 'reject' && call.path.includes('lineItems')));
    expect(posts).toHaveLength(1);
  });

  it('every call was to a route the seed shows, with the v1 Accept header and a JSON body type; a strict ICM refused none', () => {
    expect(t.h.icm.refusals).toEqual([]);
    expect(t.h.icm.calls.length).toBeGreaterThan(0);
    for (const call of t.h.icm.calls) {
      expect(SEED_ROUTES.some((route) => route.test(`${call.method} ${call.path}`)), `${call.method} ${call.path}`).toBe(true);
      expect(call.accept).toContain(ICM_V1_TYPE);
      if (call.method !== 'GET') expect(call.contentType).toMatch(/^application\/json/);
    }
  });
});

describe('Intershop adapter against an independent ICM: answers lost after ICM went on, retries, two clients at once', () => {
  const t = harness({ strictRequests: true });

  it.each([['reset' as const], [502 as const], ['slow' as const]])(
    'the PSP\'s SUCCESS is carried out and its answer lost (%s): the continue says PROVIDER_UNAVAILABLE, the retry ends AUTHORIZED; the chain went on once',
    async (how) => {
      const order = await t.atPsp(51);
      const parameters = t.success(order);
      t.h.icm.loseNextAnswer('PATCH', how);
      const lost = await t.cont(parameters);
      expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      const retried = await t.cont(parameters);
      // Either the retry is sent again (ICM answers the final state, seed §2.2's end), or the gateway already knows it.
      if (retried.errors) expect(retried.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
      else expect(retried.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
      const final = await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED');
      expect(t.reached(final, 'AUTHORIZED')).toBe(1);
      expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
      expect(t.patches(order, 'SUCCESS')).toBeLessThanOrEqual(2);
    },
  );

  it('the SUCCESS answer is lost and the buyer never comes back: reconciliation finds the order AUTHORIZED', async () => {
    const order = await t.atPsp(52);
    t.h.icm.loseNextAnswer('PATCH', 502);
    expect((await t.cont(t.success(order))).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const final = await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED');
    expect(final).toMatchObject({ creation: { status: 'COMPLETED' } });
    expect(t.reached(final, 'AUTHORIZED')).toBe(1);
  });

  it('a pending payment\'s SUCCESS answer is lost, the PSP notifies ICM meanwhile, then the buyer\'s retry: AUTHORIZED once', async () => {
    const order = await t.atPsp(53, { async: true });
    const parameters = t.success(order);
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont(parameters)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    const retried = await t.cont(parameters);
    if (retried.errors) expect(retried.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(retried.data!.continueOrderCreation.status).toBe('AUTHORIZED');
    const final = await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED');
    expect(t.reached(final, 'AUTHORIZED')).toBe(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the return URLs are taken and their answer lost: the retry (a second PATCH with them) gets the PSP page', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(54)));
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    expect((await t.cont({ orderId: created.id, returnUrls: RETURN_URLS })).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.success(created))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('two buyers\' returns (the same SUCCESS) at once: AUTHORIZED once', async () => {
    const order = await t.atPsp(55);
    const parameters = t.success(order);
    const answers = await Promise.all([t.cont(parameters), t.cont(parameters)]);
    for (const answer of answers) {
      if (answer.errors) expect(answer.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
      else expect(answer.data!.continueOrderCreation.status).toBe('AUTHORIZED');
    }
    const final = await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED');
    expect(t.reached(final, 'AUTHORIZED')).toBe(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a SUCCESS and a CANCEL at once (two tabs): the order ends where ICM says, once', async () => {
    const order = await t.atPsp(56);
    const parameters = t.h.icm.buyerReturns(order.providerOrderId!);
    await Promise.all([
      t.cont({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters } }),
      t.cont({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters } }),
    ]);
    const stage = t.h.icm.stageOf(order.providerOrderId!);
    const expected = stage === 'completed' ? 'AUTHORIZED' : 'CANCELLED';
    const final = await t.readUntil(order.id, (one) => one.status === expected);
    expect(t.reached(final, expected)).toBe(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it.each([[502 as const], ['slow' as const]])('a creation whose answer is lost (%s) after ICM made the order: the retry with the key finds it; one POST', async (how) => {
    const basketId = t.h.icm.addBasket(57);
    const variables = t.input(basketId, { idempotencyKey: `lost-${how}-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', how);
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '57.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });

  it('a creation with return URLs whose POST answer is lost: the retry with the key answers what the first would have (the PSP page)', async () => {
    const basketId = t.h.icm.addBasket(58);
    const variables = t.input(basketId, { idempotencyKey: `lost-urls-${Math.random()}`, returnUrls: RETURN_URLS });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '58.00' }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('a creation with return URLs whose URL PATCH answer is lost: the order is not left waiting for URLs it has', async () => {
    const basketId = t.h.icm.addBasket(59);
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    const created = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    // ICM took the URLs: either the answer says so, or the gateway finds it by reading.
    const atPage = created.creation.stopAction?.type === 'REDIRECT' ? created : await t.readUntil(created.id, (one) => one.creation.stopAction?.type === 'REDIRECT', 3000);
    expect(atPage.creation.stopAction!.redirectUrl).toContain('ISHPayRedirect');
    expect(await t.continueOk(t.success(created))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('two creates of one basket with the same key at once: one POST, one order', async () => {
    const basketId = t.h.icm.addBasket(60);
    const variables = t.input(basketId, { idempotencyKey: `twice-${Math.random()}` });
    const answers = await Promise.all([t.create(variables), t.create(variables)]);
    const ids = new Set(answers.flatMap((answer) => (answer.data?.createOrder ? [answer.data.createOrder.id] : [])));
    expect(ids.size).toBe(1);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });

  it('every request the gateway sent was one the strict ICM took (no 400 for its shape)', () => {
    expect(t.h.icm.calls.filter((call) => call.method === 'PATCH').length).toBeGreaterThan(5);
    expect(t.h.icm.refusals).toEqual([]);
  });
});

describe('Intershop adapter against a strict independent ICM: declines, edges of the input, empty blocks, long paged lists', () => {
  const t = harness({ strictRequests: true, emptyObjects: true, listPageSize: 25 });

  it('the PSP declines (FAILURE): ROLLED_BACK is CANCELLED, and a read agrees', async () => {
    const order = await t.atPsp(61);
    const declined = await t.continueOk({ orderId: order.id, redirectResult: { status: 'FAILURE', parameters: t.h.icm.buyerReturns(order.providerOrderId!) } });
    expect(declined).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
  });

  it('the buyer comes back without parameters (CANCEL): ICM gets a list, even an empty one', async () => {
    const order = await t.atPsp(62);
    const cancelled = await t.continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL' } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(t.h.icm.refusals).toEqual([]);
  });

  it('parameters in other scripts and with empty values reach ICM as they are', async () => {
    const order = await t.atPsp(63);
    const parameters = [...t.h.icm.buyerReturns(order.providerOrderId!), { name: 'holder', value: 'Zoë Ångström 山田 𝄞' }, { name: 'empty', value: '' }];
    expect(await t.continueOk({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters } })).toMatchObject({ status: 'AUTHORIZED' });
    const sent = t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.body.includes('holder')).map((call) => JSON.parse(call.body));
    expect(sent[0].orderCreation.redirect.parameters).toEqual(parameters);
  });

  it('a basket that costs nothing (a 100 % discount, paid without a redirect) is placed with a zero total', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(0, 'USD', { payment: 'direct' })));
    expect(order).toMatchObject({ creation: { status: 'COMPLETED' }, total: { amount: '0.00', currency: 'USD' } });
    expect(['AUTHORIZED', 'CAPTURED']).toContain(order.status);
  });

  it('a list of 120 orders, 25 a page: every one is listed once, and a lost creation among them is found', async () => {
    for (let i = 0; i < 118; i += 1) {
      const made = await fetch(`${t.h.icm.url}/orders`, {
        method: 'POST',
        headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
        body: JSON.stringify({ basket: t.h.icm.addBasket(1 + i, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
      });
      expect(made.status).toBe(201);
    }
    const basketId = t.h.icm.addBasket(64);
    const variables = t.input(basketId, { idempotencyKey: `lost-long-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    // Another order on top while the first is lost: the list shifts between pages.
    await t.createOk(t.input(t.h.icm.addBasket(65, 'USD', { payment: 'direct' })));
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ total: { amount: '64.00' } });
    const ids: (string | null)[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      type Page = { orders: { nodes: OrderView[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      const answer: Page = await gqlOk<Page>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100, ...(after ? { after } : {}) }, t.h.backOffice);
      ids.push(...answer.orders.nodes.map((node) => node.providerOrderId));
      if (!answer.orders.pageInfo.hasNextPage) break;
      after = answer.orders.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(120);
  });
});

describe('Intershop adapter against an independent ICM whose reads lag behind its PATCH answers (another node of a cluster)', () => {
  const t = harness({ staleReads: 2, includeOnPatch: false });

  it('SUCCESS answered COMPLETED (without payments) while reads still show the PSP page: AUTHORIZED, not back to the PSP page', async () => {
    const order = await t.atPsp(71);
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const final = await t.read(order.id);
    expect(final).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.reached(final, 'AUTHORIZED')).toBe(1);
  });

  it('the return URLs answered with the PSP page while reads still want the URLs: the buyer is sent on', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(72)));
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.success(created))).toMatchObject({ status: 'AUTHORIZED' });
  });
});

describe('Intershop adapter against an independent ICM whose reads lag longer (the reconciler reads the older state)', () => {
  const t = harness({ staleReads: 6, includeOnPatch: false, readsCarryCreation: true });

  it('an order at the PSP page is not sent back to wanting its URLs by lagging reads; paid, it is not sent back to the PSP page', async () => {
    const order = await t.atPsp(73);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await t.read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const final = await t.read(order.id);
    expect(final).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.reached(final, 'AUTHORIZED')).toBe(1);
  });
});

describe('Intershop adapter against an independent ICM that writes its own wall-clock time without a zone (west of UTC)', () => {
  const t = harness({ dateStyle: 'no-zone-west' });

  it('a creation whose answer is lost is still found by its basket (the date says nothing about the zone); one POST', async () => {
    const basketId = t.h.icm.addBasket(74);
    const variables = t.input(basketId, { idempotencyKey: `lost-west-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '74.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe('Intershop adapter against an independent ICM: a basket ordered again after its first order was rolled back', () => {
  const t = harness({});

  it('the buyer cancels at the PSP, ICM restores the basket, the shop orders it again and that answer is lost: the retry finds the new order, not the rolled-back one', async () => {
    const basketId = t.h.icm.addBasket(75);
    const first = await t.createOk(t.input(basketId));
    await t.continueOk({ orderId: first.id, returnUrls: RETURN_URLS });
    expect(await t.continueOk({ orderId: first.id, redirectResult: { status: 'CANCEL', parameters: t.h.icm.buyerReturns(first.providerOrderId!) } })).toMatchObject({ status: 'CANCELLED' });
    const variables = t.input(basketId, { idempotencyKey: `again-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    const again = retried.data!.createOrder;
    expect(again).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '75.00' } });
    expect(again.providerOrderId).not.toBe(first.providerOrderId);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(2);
    expect(await t.read(first.id)).toMatchObject({ status: 'CANCELLED' });
  });
});

describe('Intershop adapter against an independent ICM: the PSP\'s notification lands while the buyer\'s SUCCESS answer is on its way', () => {
  const t = harness({});

  it('the answer says waiting_for_pending_payments, the reconciler meanwhile read COMPLETED: the order stays AUTHORIZED', async () => {
    const order = await t.atPsp(76, { async: true });
    t.h.icm.loseNextAnswer('PATCH', 'late');
    const answer = t.cont(t.success(order));
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    // The reconciler (every 100 ms for an order at the PSP page) sees ICM's COMPLETED before the answer lands.
    await t.readUntil(order.id, (one) => one.status === 'AUTHORIZED', 600);
    const continued = await answer;
    if (continued.errors) expect(continued.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(continued.data!.continueOrderCreation.status).toBe('AUTHORIZED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const final = await t.read(order.id);
    expect(final).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    // The late answer is history (its word recorded), not a move back: AUTHORIZED once reached stays, ICM completed it once.
    const statuses = final.events.map((event) => event.status);
    expect(statuses.slice(statuses.indexOf('AUTHORIZED')).every((status) => status === 'AUTHORIZED')).toBe(true);
    expect(final.events.filter((event) => event.type === 'completed')).toHaveLength(1);
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});

describe('Intershop adapter against an independent ICM: a listing taken just before the buyer\'s return URLs landed', () => {
  const t = harness({ staleReads: 50 });

  it('the listing\'s older entry (wanting URLs) does not send the order at the PSP page back; the buyer\'s return continues it', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(77)));
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ creation: { stopAction: { type: 'REDIRECT' } } });
    const listed = await t.list();
    expect(listed.find((node) => node.id === created.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: redirected.creation.stopAction!.redirectUrl } } });
    expect(await t.read(created.id)).toMatchObject({ creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(t.success(created))).toMatchObject({ status: 'AUTHORIZED' });
  });
});
