/**
 * Round four of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to three did not
 * try (each `describe` names the break it found, or says it is a guard):
 * - §2.1's media-type versioning read for request bodies too (415 for `application/json`);
 * - a payment word no seed shows where the chain decides alone (`FAILED` on a rolled-back payment,
 *   `OPEN` before the PSP), and beside COMPLETED (never read as paid);
 * - a second Redirect stop (a 3-D Secure step) with a new PSP URL, after the first was read;
 * - the list as an array of ids, or of `{id}` (a lost creation found; orders made elsewhere listed);
 * - a rolled-back order that keeps statusCode PENDING (§3.2.4's way) or spells PAYMENT_CANCELED;
 * - the payments resource naming the open tender `open-tender` (§3.1) while the order names it by id;
 * - no `included` and no totals on the list (the total from the payments resource);
 * - query parameters the seed does not show refused (`offset` / `limit`), `include` refused on
 *   PATCH and the list;
 * - a CONTINUE refused (409) when it does not answer the current stop, after a lost answer;
 * - amounts as Java doubles (39.980000000000004), `RECURRING_ORDER`, a relative PSP URL;
 * - a new order's read lagging its listing after a create answered 500;
 * - a PATCH answered `"status": "CONTINUE"` while the chain goes on;
 * - declines and pending checks in the POST itself, and the new freedoms together.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUE_ORDER, LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql, gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import { ICM_V1_TYPE, type IcmServer, type IcmServerOptions } from '../support/independent/intershop-server.js';
import { sleep } from '../support/test-time.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };

/** A gateway in front of an independent ICM. */
function harness(options: Partial<IcmServerOptions>) {
  const { h, input, create, createOk, continueOk, read, readUntil } = icmHarness('-4', options);
  const success = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  /** An order sent to the PSP: created without URLs, then given them (§2.2 then §3.2.3). */
  const atPsp = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(h.icm.addBasket(value, 'USD', how)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    return redirected;
  };
  return { h, input, create, createOk, continueOk, read, readUntil, success, atPsp };
}


describe('Intershop adapter against an independent ICM that takes request bodies labelled with the v1 media type only (415 for application/json)', () => {
  const t = harness({ bodyType: 'v1', strictRequests: true });

  it('create -> URLs -> PSP page -> SUCCESS is AUTHORIZED; each refused request made nothing and was sent once more with the v1 type', async () => {
    const basketId = t.h.icm.addBasket(61.5);
    const created = await t.createOk(t.input(basketId));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '61.50', currency: 'USD' }, creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const paid = await t.continueOk(t.success(redirected));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(created.providerOrderId!)).toBe(1);
    // The one order of the basket; whatever ICM took was labelled as the v1 type.
    expect(t.h.icm.stageOf(created.providerOrderId!)).toBe('completed');
    const bodies = t.h.icm.calls.filter((call) => call.method !== 'GET');
    expect(bodies.filter((call) => call.contentType?.includes(ICM_V1_TYPE)).map((call) => call.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    expect(t.h.icm.refusals).toEqual([]);
  });

  it('a later order is sent with the v1 type at once (ICM is not asked the refused way again)', async () => {
    const before = t.h.icm.calls.length;
    await t.createOk(t.input(t.h.icm.addBasket(12)));
    const posts = t.h.icm.calls.slice(before).filter((call) => call.method === 'POST');
    expect(posts.map((call) => call.contentType)).toEqual([ICM_V1_TYPE]);
  });
});

describe('Intershop adapter against an independent ICM that writes FAILED on a rolled-back payment (no authorization to void)', () => {
  const t = harness({ paymentWordAs: { AUTHORIZATIONVOIDED: 'FAILED' } });

  it('the buyer cancels at the PSP: ROLLED_BACK is CANCELLED, the payment VOIDED (before: the order kept ACTION_REQUIRED with an unknown-word Info)', async () => {
    const order = await t.atPsp(71);
    const cancelled = await t.continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: t.h.icm.buyerReturns(order.providerOrderId!) } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.map((payment) => payment.status)).toEqual(['VOIDED']);
    // The word is shown as any unknown word is (CONTRACT §7), the status the chain's.
    expect(cancelled.creation.infos.map((info) => info.code)).toEqual(['order.cancelled.info', 'provider.unknown_status']);
    expect(cancelled.providerStatus).toBe('FAILED');
  });

  it('a pending payment the PSP declines: CANCELLED by reconciliation', async () => {
    const order = await t.atPsp(72, { async: true });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });
});

describe('Intershop adapter against an independent ICM that writes OPEN on a payment before the PSP answers', () => {
  const t = harness({ paymentWordAs: { UNPROCESSED: 'OPEN' } });

  it('create stops for the URLs, then at the PSP page, and SUCCESS is AUTHORIZED (before: the create kept no stop and could not be continued)', async () => {
    const order = await t.atPsp(73);
    expect(order.payments.map((payment) => payment.status)).toEqual(['PENDING']);
    expect(order.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    expect(order.providerStatus).toBe('OPEN');
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });
});

describe('Intershop adapter against an independent ICM that writes SETTLED on a placed order\'s payment (a word no seed shows)', () => {
  const t = harness({ paymentWordAs: { AUTHORIZED: 'SETTLED', CAPTURED: 'SETTLED' } });

  it('COMPLETED beside the unknown word is never taken as paid: the order keeps its status and shows the word', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(74, 'USD', { payment: 'direct' })));
    expect(['AUTHORIZED', 'CAPTURED']).not.toContain(order.status);
    expect(order.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
  });
});

describe('Intershop adapter against an independent ICM whose PSP asks for a second redirect (a 3-D Secure step) after the buyer\'s first return', () => {
  const t = harness({ secondRedirect: true });

  it('the SUCCESS answer\'s new PSP URL reaches the client, after reconciliation read the first stop (before: the same stop\'s key, so the old URL stayed)', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(75), { returnUrls: RETURN_URLS }));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    const first = created.creation.stopAction!.redirectUrl!;
    // The reconciler reads the order at the PSP page meanwhile (every 100 ms here).
    await sleep(400);
    const again = await t.continueOk(t.success(created));
    expect(again).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(again.creation.stopAction!.redirectUrl).not.toBe(first);
    expect(new URL(again.creation.stopAction!.redirectUrl!).searchParams.get('transactionID')).toMatch(/-3ds1$/);
    await sleep(300);
    expect((await t.read(created.id)).creation.stopAction!.redirectUrl).toBe(again.creation.stopAction!.redirectUrl);
    const paid = await t.continueOk(t.success(created));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(created.providerOrderId!)).toBe(1);
  });
});

describe('Intershop adapter against an independent ICM whose list is an array of order ids (as the seed writes lineItems, payments, buckets)', () => {
  const t = harness({ list: 'id-strings' });

  it('a creation whose answer is lost is found by reading the newest orders; one POST (before: every entry unreadable, the order never found)', async () => {
    const basketId = t.h.icm.addBasket(76);
    const variables = t.input(basketId, { idempotencyKey: `lost-id-strings-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '76.00', currency: 'USD' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe('Intershop adapter against an independent ICM whose reads carry no chain and whose rolled-back order keeps statusCode PENDING (as §3.2.4\'s completed one does)', () => {
  const t = harness({ readsCarryCreation: false, rolledBackStatusCode: 'PENDING' });

  it('the buyer leaves the PSP page and the PSP tells ICM the payment failed: reconciliation makes it CANCELLED by the voided payment (before: ACTION_REQUIRED until the watch ended)', async () => {
    const order = await t.atPsp(77);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(cancelled).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.map((payment) => payment.status)).toEqual(['VOIDED']);
  });

  it('a pending payment the PSP declines: CANCELLED by reconciliation', async () => {
    const order = await t.atPsp(78, { async: true });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('a pending payment the PSP approves (statusCode NEW): AUTHORIZED by reconciliation', async () => {
    const order = await t.atPsp(79, { async: true });
    await t.continueOk(t.success(order));
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    await sleep(300);
    expect(await t.read(order.id)).toMatchObject({ status: 'AUTHORIZED' });
  });
});

describe('Intershop adapter against an independent ICM that includes nothing and whose payments resource names the open tender `open-tender` (§3.1) while the order names it by its id (§2.2)', () => {
  const t = harness({ honourInclude: false, resourceOpenTenderId: true });

  it('create -> URLs -> PSP page -> SUCCESS is AUTHORIZED with the basket\'s total and one payment (before: no total, every create PROVIDER_UNAVAILABLE)', async () => {
    const order = await t.atPsp(80.25);
    expect(order).toMatchObject({ total: { amount: '80.25', currency: 'USD' } });
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', total: { amount: '80.25' } });
    expect(paid.payments).toHaveLength(1);
    expect(paid.payments[0]).toMatchObject({ id: order.payments[0]!.id, status: 'AUTHORIZED', amount: { amount: '80.25' } });
  });

  it('a gift card beside the open tender: the total is both', async () => {
    const order = await t.atPsp(90, { giftCard: 20 });
    expect(order).toMatchObject({ total: { amount: '90.00' } });
    expect(order.payments.map((payment) => payment.amount.amount).sort()).toEqual(['20.00', '70.00']);
  });
});

describe('Intershop adapter against an independent ICM whose payments resource names the open tender `open-tender` (§3.1) while the order\'s includes name it by its id (§2.2)', () => {
  const t = harness({ resourceOpenTenderId: true });

  it('one payment per tender, with the resource\'s amount, and the total the basket\'s', async () => {
    const order = await t.atPsp(91, { giftCard: 21 });
    expect(order).toMatchObject({ total: { amount: '91.00' } });
    expect(order.payments.map((payment) => payment.amount.amount).sort()).toEqual(['21.00', '70.00']);
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED' });
    expect(paid.payments).toHaveLength(2);
  });
});

describe('Intershop adapter against an independent ICM that includes nothing anywhere and elides totals (the amounts only in §3.1\'s payments resource)', () => {
  const t = harness({ honourInclude: false });

  it('an order placed at ICM by another client is listed with its total (before: every entry skipped as having no total)', async () => {
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(45.5, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '45.50', currency: 'USD' } });
  });
});

describe('Intershop adapter against an independent ICM that refuses query parameters the seed does not show (400 for offset / limit: §2.3 shows no paging)', () => {
  const t = harness({ strictQuery: true });

  it('the list is asked without paging: a lost creation is found (one POST), and an order made elsewhere is listed (before: both PROVIDER_REJECTED)', async () => {
    const basketId = t.h.icm.addBasket(81);
    const variables = t.input(basketId, { idempotencyKey: `lost-strict-query-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '81.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(82, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '82.00' } });
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['as the seed prints it', {}],
  ['with reads without the chain, payments without words, thin PATCH answers', { readsCarryCreation: false, paymentWords: 'absent', patchAnswer: 'thin', includeOnPatch: false }],
])('Intershop adapter against an independent ICM whose chain ends or waits in the POST itself (%s)', (_name, variation) => {
  const t = harness(variation);

  it('a payment without a redirect that the PSP declines at once: the create answers CANCELLED (ROLLED_BACK), and the basket can be ordered again', async () => {
    const basketId = t.h.icm.addBasket(83, 'USD', { payment: 'direct', declined: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' }, total: { amount: '83.00' } });
    await sleep(250);
    expect(await t.read(order.id)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a payment without a redirect that the PSP checks later: PENDING (waiting_for_pending_payments), then AUTHORIZED by reconciliation', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(84, 'USD', { payment: 'direct', async: true })));
    expect(order).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    // The reconciler reads it meanwhile: still waiting.
    await sleep(350);
    expect(await t.read(order.id)).toMatchObject({ status: 'PENDING', creation: { stopAction: { reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });
});

describe('Intershop adapter against an independent ICM that writes CONTRACT §8\'s exitReason recurring.order as a Java enum constant (RECURRING_ORDER)', () => {
  const t = harness({ anotherStop: 'RECURRING_ORDER' });

  it('the stop is recurring.order: CREATED, nothing to continue (before: an unknown word, the order left waiting for its URLs)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(85), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'recurring.order' } } });
    expect(order.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
  });
});

describe('Intershop adapter against an independent ICM that keeps amounts as doubles (59.97 - 19.99 = 39.980000000000004)', () => {
  const t = harness({ doubleAmounts: true });

  it('the open tender beside a gift card is 39.98, the total 59.97, and SUCCESS authorizes it (before: every answer unreadable, the create PROVIDER_UNAVAILABLE after ICM made the order)', async () => {
    const order = await t.atPsp(59.97, { giftCard: 19.99 });
    expect(order).toMatchObject({ total: { amount: '59.97' } });
    expect(order.payments.map((payment) => payment.amount.amount).sort()).toEqual(['19.99', '39.98']);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });
});

describe('Intershop adapter against an independent ICM that refuses `include` where the seed shows none (PATCH, the list: 400)', () => {
  const t = harness({ refuseIncludeOn: ['PATCH', 'list'] });

  it('create -> URLs -> PSP page -> SUCCESS is AUTHORIZED, each PATCH taken once (before: every continue PROVIDER_REJECTED)', async () => {
    const order = await t.atPsp(86);
    const paid = await t.continueOk(t.success(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, payments: [{ status: 'AUTHORIZED' }] });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a lost creation is found in the list (one POST), and an order made elsewhere is listed with its total', async () => {
    const basketId = t.h.icm.addBasket(87);
    const variables = t.input(basketId, { idempotencyKey: `lost-list-include-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '87.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(88, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '88.00' } });
  });
});

describe('Intershop adapter against an independent ICM that refuses (409) a CONTINUE not answering the current stop (only a CONTINUE after the chain ended is harmless, §2.2)', () => {
  const t = harness({ strictContinue: true });

  it('createOrder with returnUrls whose URL PATCH answer is lost: the order is at the PSP page, not waiting for URLs it has (before: redirect_urls_required, and every continue PROVIDER_REJECTED)', async () => {
    const basketId = t.h.icm.addBasket(89);
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('the client\'s return URLs taken, their answer lost, the client sends them again: the PSP page', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(90)));
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    const lost = await gql<{ continueOrderCreation: OrderView }>(t.h.gateway.url, CONTINUE_ORDER, { input: { orderId: created.id, returnUrls: RETURN_URLS } }, t.h.shop);
    expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const again = await t.read(created.id);
    // Whether the gateway has seen the PSP page yet or not, continuing with the URLs lands there.
    const redirected = again.creation.stopAction?.type === 'REDIRECT' ? again : await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
  });

  it('a pending payment\'s SUCCESS answer is lost, the buyer\'s return is sent again while ICM waits for the PSP: PENDING (waiting_for_pending_payments), not an error', async () => {
    const order = await t.atPsp(91, { async: true });
    t.h.icm.loseNextAnswer('PATCH', 'reset');
    const lost = await gql<{ continueOrderCreation: OrderView }>(t.h.gateway.url, CONTINUE_ORDER, { input: t.success(order) }, t.h.shop);
    expect(lost.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The buyer's return sent again. The gateway's own re-read (the order at the PSP's page is
    // watched) may have learned ICM's wait before or while it goes out: then the order is PENDING
    // already and the retry is INVALID_STATE ("waiting on ICM"). Which of the two comes first is a
    // race (it once failed under load); the outcome is the same either way and is what is asserted.
    const retried = await gql<{ continueOrderCreation: OrderView }>(
      t.h.gateway.url,
      CONTINUE_ORDER,
      { input: { orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [{ name: 'transactionID', value: `psp-${order.providerOrderId}` }] } } },
      t.h.shop,
    );
    if (retried.errors) expect(retried.errors.map((error) => error.extensions?.code)).toEqual(['INVALID_STATE']);
    else expect(retried.data?.continueOrderCreation).toMatchObject({ status: 'PENDING', creation: { stopAction: { reason: 'waiting_for_pending_payments' } } });
    expect(await t.read(order.id)).toMatchObject({ status: 'PENDING', creation: { stopAction: { reason: 'waiting_for_pending_payments' } } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!) ?? 0).toBe(0);
  });
});

describe('Intershop adapter against an independent ICM whose reads carry no chain and spell the rolled-back statusCode PAYMENT_CANCELED (as §3.2.5\'s note spells "canceled")', () => {
  const t = harness({ readsCarryCreation: false, rolledBackStatusCode: 'PAYMENT_CANCELED' });

  it('the PSP tells ICM the payment failed while the buyer is away: CANCELLED by reconciliation (before: an unknown word, ACTION_REQUIRED until the watch ended)', async () => {
    const order = await t.atPsp(92);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' }, providerStatus: 'PAYMENT_CANCELED' });
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['entries with their id alone', { list: 'ids' }],
  ['order ids', { list: 'id-strings' }],
])('Intershop adapter against an independent ICM whose list is %s (§2.3 shows no entry)', (_name, variation) => {
  const t = harness(variation);

  it('an order placed at ICM by another client is listed, read itself, with its status, total and date (before: every entry skipped for want of a creationDate)', async () => {
    const at = Date.now();
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(93, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP', from: today, to: today }, first: 100 }, t.h.backOffice);
    const found = listed.orders.nodes.find((node) => node.providerOrderId === id);
    expect(found).toMatchObject({ status: 'AUTHORIZED', total: { amount: '93.00', currency: 'USD' } });
    expect(Math.abs(Date.parse(found!.createdAt) - at)).toBeLessThan(5 * 60 * 1000);
  });
});

describe('Intershop adapter against an independent ICM without the chain on reads, whose rolled-back order keeps statusCode PENDING: a basket ordered again', () => {
  const t = harness({ readsCarryCreation: false, rolledBackStatusCode: 'PENDING' });

  it('the buyer cancels, ICM restores the basket, the shop orders it again and that answer is lost: the retry finds the new order, not the rolled-back one (before: the voided order of the basket counted too)', async () => {
    const basketId = t.h.icm.addBasket(94);
    const first = await t.createOk(t.input(basketId));
    await t.continueOk({ orderId: first.id, returnUrls: RETURN_URLS });
    expect(await t.continueOk({ orderId: first.id, redirectResult: { status: 'CANCEL', parameters: t.h.icm.buyerReturns(first.providerOrderId!) } })).toMatchObject({ status: 'CANCELLED' });
    const variables = t.input(basketId, { idempotencyKey: `again-voided-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder.providerOrderId).not.toBe(first.providerOrderId);
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '94.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(2);
  });
});

describe('Intershop adapter against an independent ICM that writes the PSP page\'s URL without scheme and host (/INTERSHOP/web/WFS/...)', () => {
  const t = harness({ relativeRedirectUrl: true, redirectUrlTwice: true });

  it('the client gets an absolute URL on ICM\'s host (the contract\'s URL is absolute; before: the path alone)', async () => {
    const order = await t.atPsp(95);
    const url = new URL(order.creation.stopAction!.redirectUrl!);
    expect(url.origin).toBe(new URL(t.h.icm.url).origin);
    expect(url.pathname).toMatch(/^\/INTERSHOP\/web\/WFS\/inSPIRED-inTRONICS-Site\/en_US\/-\/USD\/ISHPayRedirect-OnlinePay;pgid=/);
    expect(url.searchParams.get('successURL')).toBe(RETURN_URLS.success);
    await sleep(250);
    expect((await t.read(order.id)).creation.stopAction!.redirectUrl).toBe(order.creation.stopAction!.redirectUrl);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });
});

describe('Intershop adapter against an independent ICM whose reads of a new order lag its list (a node that has not seen the create yet)', () => {
  const t = harness({ readsLagCreate: 1 });

  it('a create ICM carried out but answered 500: the retry finds the order in the list though reading it says 404; never a second POST (before: "absent", the basket POSTed again and refused)', async () => {
    const basketId = t.h.icm.addBasket(96);
    const variables = t.input(basketId, { idempotencyKey: `lost-lagging-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 500);
    const first = await t.create(variables);
    expect(first.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The first retry may meet the lagging read: it cannot tell yet, and says so.
    let retried = await t.create(variables);
    if (retried.errors) {
      expect(retried.errors.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
      retried = await t.create(variables);
    }
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '96.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  [
    'the strictest and least at once: v1 bodies only, no query but include, include only on POST and GET, ids as the list, no included anywhere, `open-tender` in the payments resource, no payment words, thin PATCH answers, reads without the chain, CONTINUE refused off its stop',
    {
      bodyType: 'v1',
      strictQuery: true,
      refuseIncludeOn: ['PATCH', 'list'],
      list: 'id-strings',
      honourInclude: false,
      resourceOpenTenderId: true,
      paymentWords: 'absent',
      patchAnswer: 'thin',
      includeOnPatch: false,
      readsCarryCreation: false,
      strictContinue: true,
      strictRequests: true,
    },
  ],
  [
    'Java-flavoured: doubles for amounts, nulls, enum constants in capitals, PAYMENT_CANCELED, FAILED on a voided payment, a relative PSP URL, epoch-millis dates',
    {
      doubleAmounts: true,
      nulls: true,
      stopTypeCase: 'upper',
      rolledBackStatusCode: 'PAYMENT_CANCELED',
      paymentWordAs: { AUTHORIZATIONVOIDED: 'FAILED' },
      relativeRedirectUrl: true,
      dateStyle: 'epoch-millis',
      readsCarryCreation: false,
    },
  ],
])('Intershop adapter against an independent ICM, round four\'s freedoms together: %s', (_name, variation) => {
  const t = harness(variation);
  const elsewhere = async (value: number) => {
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': variation.bodyType === 'v1' ? ICM_V1_TYPE : 'application/json' },
      body: JSON.stringify({ basket: t.h.icm.addBasket(value, 'USD', { payment: 'direct' }), termsAndConditionsAccepted: true }),
    });
    return ((await made.json()) as { data: { id: string } }).data.id;
  };

  it('redirect order with a gift card: create -> URLs -> PSP page -> SUCCESS is AUTHORIZED with the basket\'s total', async () => {
    const order = await t.atPsp(59.97, { giftCard: 19.99 });
    expect(order).toMatchObject({ total: { amount: '59.97' } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '59.97' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the buyer cancels: CANCELLED; a pending payment the PSP declines while nobody asks: CANCELLED by reconciliation', async () => {
    const order = await t.atPsp(97);
    expect(await t.continueOk({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: [] } })).toMatchObject({ status: 'CANCELLED' });
    const pending = await t.atPsp(98, { async: true });
    expect(await t.continueOk(t.success(pending))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(pending.providerOrderId!, 'failed');
    expect(await t.readUntil(pending.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('a lost creation is found, one POST; an order made elsewhere is listed with its total', async () => {
    const basketId = t.h.icm.addBasket(99);
    const variables = t.input(basketId, { idempotencyKey: `lost-together-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '99.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    const id = await elsewhere(100.1);
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '100.10' } });
  });

  it('a strict ICM refused nothing it was finally sent', () => {
    expect(t.h.icm.refusals).toEqual([]);
  });
});

describe('Intershop adapter against an independent ICM that answers a POST or PATCH while its chain goes on ("orderCreation": {"status": "CONTINUE"})', () => {
  const t = harness({ patchAnswersContinue: true, postAnswersContinue: true });

  it('each continue answers where the chain stopped, read at once: the PSP page, then AUTHORIZED (before: the stop before, with an unknown-word Info, until the poller read it)', async () => {
    const created = await t.createOk(t.input(t.h.icm.addBasket(101)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(redirected.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    expect(await t.continueOk(t.success(redirected))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
  });

  it('createOrder with returnUrls answers the PSP page', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(102), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
  });
});

describe('Intershop adapter against an independent ICM whose reads carry the chain but not the PSP URL (made for the PATCH that asks for it), PATCH answers without included', () => {
  const t = harness({ readsOmitRedirectUrl: true, includeOnPatch: false, stopTypeCase: 'upper' });

  it('the return URLs answer the PSP page with its URL; reads at the PSP page change nothing; SUCCESS is AUTHORIZED (before: PROVIDER_UNAVAILABLE after ICM went on)', async () => {
    const order = await t.atPsp(103);
    const url = order.creation.stopAction!.redirectUrl!;
    expect(new URL(url).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    await sleep(300);
    expect(await t.read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: url } } });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('createOrder with returnUrls answers the PSP page with its URL', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(104), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction!.redirectUrl).toContain('ISHPayRedirect-OnlinePay');
  });

  it('an order at the PSP page made elsewhere is listed (as waiting on the shop) rather than skipped', async () => {
    const basket = t.h.icm.addBasket(105, 'USD', { payment: 'redirect-with-urls' });
    const made = await fetch(`${t.h.icm.url}/orders`, {
      method: 'POST',
      headers: { accept: ICM_V1_TYPE, 'authentication-token': t.h.icm.authToken, 'content-type': 'application/json' },
      body: JSON.stringify({ basket, termsAndConditionsAccepted: true }),
    });
    const id = ((await made.json()) as { data: { id: string } }).data.id;
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '105.00' } });
  });
});

describe('Intershop adapter against an independent ICM without GET /orders (405; §2.3 describes the list in prose only)', () => {
  const t = harness({ noList: true });

  it('orders for INTERSHOP answers the gateway\'s own orders (before: the whole query failed); a lost creation stays unknown, never POSTed again', async () => {
    const order = await t.atPsp(106);
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    const basketId = t.h.icm.addBasket(107);
    const variables = t.input(basketId, { idempotencyKey: `lost-no-list-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 500);
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
  });
});
