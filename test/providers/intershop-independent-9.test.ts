/**
 * Round nine of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to eight did not
 * try:
 * - a stopAction without its `type`: §3.2.5's table, the seed's summary of every state, names the
 *   stops by "ExitReason = redirect_urls_required", "RedirectUrl available" and "ExitReason =
 *   waiting_for_pending_payments" alone, and an ICM built from it writes `{exitReason}` and
 *   `{redirectUrl}`. Such a stop was no stop to the adapter (the whole stopAction unreadable): the
 *   chain was read by its statusCode and payments, which cannot say the PSP's URL. The buyer was
 *   never sent to the PSP's page (the order kept waiting for its return URLs, or, without payment
 *   words, had no stop at all and could not be continued): no order could be paid;
 * - statusCode CREATED, the first of CONTRACT §8's order statusCodes ("CREATED, PENDING, NEW,
 *   ..."), on an order not placed yet, where the seed's examples write PENDING. It was an unknown
 *   word: against reads without the chain, an order at the PSP's page showed `provider.unknown_status`
 *   on every read, and one the PSP declined while the buyer was away, or while ICM waited for a
 *   pending payment, stayed ACTION_REQUIRED or PENDING until its watch ended (an ICM that keeps
 *   the code after a rollback says it by the voided payment alone, as round four's PENDING one
 *   does); a basket restored by such a rollback and ordered again, that answer lost, was "several
 *   orders of one basket" to every retry;
 * - a POST of a basket ICM has already ordered answered with that order (an idempotent create keyed
 *   by the basket; the seed does not say what a second POST of an ordered basket gets, and the
 *   adapter assumed a refusal): a shop's second create of one basket (a double-clicked checkout,
 *   a retry under a new key) became a second gateway order of the same ICM order, AUTHORIZED or
 *   CAPTURED beside the first (one payment counted twice), both continuing one chain;
 * - ICM's error body with its `status` a JSON number (a Java `int`; CONTRACT §8 names the fields
 *   `{code, message, status, causes}`, not their types): the whole body was unreadable, so a
 *   refusal lost ICM's code (`providerCode` was the HTTP status).
 * Breaks found and fixed (src/providers/intershop): wire.ts reads a stopAction without a type by
 * its other fields (a URL: Redirect; else an exitReason: Workflow); chain.ts reads statusCode
 * CREATED as PENDING is read (not placed: the chain from its payments' words, the raw word the
 * order's providerStatus); answered-orders.ts claims each ICM order for the gateway order its POST
 * (or a lost creation's search) was made for: a create answered with an order another holds is
 * PROVIDER_REJECTED (`basket.already_ordered`), nothing stored, and a lost creation's search that
 * finds only such an order finds nothing (it neither takes it nor sends its URLs to it); an
 * error's `status` (and `causes`, `paths`) of another type is left unread rather than the error.
 * Left: a typeless stop whose URL an ICM's reads leave out (round four's `readsOmitRedirectUrl`)
 * says nothing of which stop it is: as before for a stop unsaid, it is read by statusCode and
 * payments. A claim lives 35 days in the key-value store; an ICM order answered again after that
 * is taken for a new one. A chain word for a creation that "fails" (§2.2: "until the order
 * creation is completed successfully (or if it fails)"), no seed naming it, stays an unknown word
 * (the order keeps its status, CONTRACT §7); not tried here. Every suite with the independent
 * ICM ends with the harness's money check (no order shows more reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServer, IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
const PSP_PAGE = /^http:\/\/icm-psp\.invalid:10080\/INTERSHOP\/web\/WFS\/.*ISHPayRedirect-OnlinePay/;

function harness(options: Partial<IcmServerOptions>) {
  const parts = icmHarness('-9', options);
  const { h, input, createOk, continueOk } = parts;
  const success = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  const cancel = (order: OrderView) => ({ orderId: order.id, redirectResult: { status: 'CANCEL', parameters: h.icm.buyerReturns(order.providerOrderId!) } });
  /** An order sent to the PSP: created without URLs, then given them (§2.2 then §3.2.3). */
  const atPsp = async (value: number, how: Parameters<IcmServer['addBasket']>[2] = {}) => {
    const created = await createOk(input(h.icm.addBasket(value, 'USD', how)));
    expect(created).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await continueOk({ orderId: created.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(redirected.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    return redirected;
  };
  const codes = (order: OrderView) => order.creation.infos.map((info) => info.code);
  return { ...parts, success, cancel, atPsp, codes };
}

describe.each<[string, Partial<IcmServerOptions>]>([
  ['as §3.2.5\'s table names them (`{exitReason}`, `{redirectUrl}`)', { stopTypes: false }],
  ['and reads without the chain, payments without words, Java nulls', { stopTypes: false, readsCarryCreation: false, paymentWords: 'absent', nulls: true }],
  ['the URL in both places (§3.2.3), a Redirect stop with an exitReason of its own too, padded words', { stopTypes: false, redirectUrlTwice: true, redirectExitReason: 'redirect_required', paddedWords: true }],
  ['its strings a Java bean\'s `""` where a state has none', { stopTypes: false, emptyStrings: true }],
])('Intershop adapter against an independent ICM whose stopActions carry no `type`: %s', (_name, variation) => {
  const t = harness(variation);

  it('create stops for the URLs, the URLs send the buyer to the PSP\'s page (before: never given the URL), and SUCCESS is AUTHORIZED', async () => {
    const order = await t.atPsp(101);
    expect(t.codes(order)).not.toContain('provider.unknown_status');
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' }, total: { amount: '101.00' } });
  });

  it('the return URLs given with the create: the create answers the PSP\'s page', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(102), { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
  });

  it('URLs set with the payment (§3.2.2): the POST answers the PSP\'s page at once; the buyer cancels: CANCELLED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(103, 'USD', { payment: 'redirect-with-urls' })));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toMatch(PSP_PAGE);
    expect(await t.continueOk(t.cancel(order))).toMatchObject({ status: 'CANCELLED' });
  });

  it('a pending payment: SUCCESS waits for the PSP (PENDING, waiting_for_pending_payments); its yes reaches the gateway by reconciliation', async () => {
    const order = await t.atPsp(104, { async: true });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING', creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', reason: 'waiting_for_pending_payments' } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });

  it('the buyer closes the tab at the PSP\'s page: re-reads keep the page and its URL; the PSP\'s yes is AUTHORIZED by reconciliation', async () => {
    const order = await t.atPsp(105);
    const reread = await t.read(order.id);
    expect(reread).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: order.creation.stopAction?.redirectUrl } } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });
});

describe('Intershop adapter against an independent ICM whose orders not placed yet have statusCode CREATED (CONTRACT §8\'s first order statusCode), whose reads carry no chain and whose rolled-back orders keep that code (their payment voided)', () => {
  const t = harness({ openStatusCode: 'CREATED', readsCarryCreation: false, rolledBackStatusCode: 'PENDING' });

  it('an order at the PSP\'s page re-read by the reconciler keeps its page and URL, without an unknown-word Info (before: `provider.unknown_status` on every read)', async () => {
    const order = await t.atPsp(111);
    // Read by the reconciler (the order at the PSP's page is watched): twice, so the first read's fact is recorded.
    const readsSince = t.h.icm.calls.length;
    const ownReads = () => t.h.icm.calls.slice(readsSince).filter((call) => call.method === 'GET' && call.path.startsWith(`/orders/${order.providerOrderId}?`));
    await eventually(async () => ownReads().length >= 2);
    const reread = await t.read(order.id);
    expect(reread).toMatchObject({ status: 'ACTION_REQUIRED', providerStatus: 'CREATED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: order.creation.stopAction?.redirectUrl } } });
    expect(t.codes(reread)).not.toContain('provider.unknown_status');
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('guard: a listing of an order the gateway sent to the PSP\'s page (its payment still Unprocessed) keeps it there with its URL', async () => {
    const order = await t.atPsp(116);
    const listed = (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice)).orders.nodes.find((one) => one.id === order.id);
    expect(listed).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: order.creation.stopAction?.redirectUrl } } });
    expect(await t.read(order.id)).toMatchObject({ creation: { stopAction: { type: 'REDIRECT' } } });
  });

  it('the buyer closes the tab and the PSP declines: CANCELLED by reconciliation, nothing captured (before: ACTION_REQUIRED with an unknown word until the watch ended)', async () => {
    const order = await t.atPsp(112);
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    const cancelled = await t.readUntil(order.id, 'CANCELLED');
    expect(cancelled).toMatchObject({ creation: { status: 'ROLLED_BACK' }, payments: [{ status: 'VOIDED', capturedAmount: { amount: '0.00' } }] });
  });

  it('a pending payment the PSP declines later: CANCELLED by reconciliation (before: PENDING until the 24 h watch ended)', async () => {
    const order = await t.atPsp(113, { async: true });
    expect(await t.continueOk(t.success(order))).toMatchObject({ status: 'PENDING' });
    t.h.icm.pspNotifies(order.providerOrderId!, 'failed');
    expect(await t.readUntil(order.id, 'CANCELLED')).toMatchObject({ creation: { status: 'ROLLED_BACK' } });
  });

  it('a pending payment the PSP approves later: AUTHORIZED by reconciliation (guard: NEW was read before)', async () => {
    const order = await t.atPsp(114, { async: true });
    await t.continueOk(t.success(order));
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'AUTHORIZED')).toMatchObject({ creation: { status: 'COMPLETED' } });
  });

  it('the buyer cancels, ICM restores the basket, the shop orders it again and that answer is lost: the retry finds the new order (before: "several orders of one basket", PROVIDER_UNAVAILABLE on every retry)', async () => {
    const basketId = t.h.icm.addBasket(115);
    const first = await t.createOk(t.input(basketId));
    await t.continueOk({ orderId: first.id, returnUrls: RETURN_URLS });
    expect(await t.continueOk(t.cancel(first))).toMatchObject({ status: 'CANCELLED' });
    const variables = t.input(basketId, { idempotencyKey: `again-created-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    t.track(retried.data?.createOrder);
    expect(retried.data!.createOrder.providerOrderId).not.toBe(first.providerOrderId);
    expect(retried.data!.createOrder).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '115.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(2);
  });
});

describe('Intershop adapter against an independent ICM whose error body writes `status` as a JSON number (a Java int)', () => {
  const t = harness({ errorBody: 'int-status' });

  it('ICM refuses the basket: PROVIDER_REJECTED with ICM\'s code and message (before: the body unreadable, coded by the HTTP status)', async () => {
    const answer = await t.create(t.input('no-such-basket'));
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
    expect(answer.errors?.[0]?.extensions?.['providerCode']).toBe('basket.not_found.error');
    expect(answer.errors?.[0]?.message).toContain('The basket does not exist.');
  });

  it('a basket ordered twice with different keys: the second is refused with ICM\'s code, the first order stands', async () => {
    const basketId = t.h.icm.addBasket(121, 'USD', { payment: 'direct' });
    const first = await t.createOk(t.input(basketId, { idempotencyKey: `twice-a-${Math.random()}` }));
    expect(first).toMatchObject({ status: 'AUTHORIZED' });
    const second = await t.create(t.input(basketId, { idempotencyKey: `twice-b-${Math.random()}` }));
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'basket.not_found.error' });
    expect((await t.read(first.id)).status).toBe('AUTHORIZED');
  });
});

describe('Intershop adapter against an independent ICM whose create is idempotent by the basket (a POST of a basket it has ordered answers that order)', () => {
  const t = harness({ basketOrderedAgain: 'existing-order' });
  const gatewayOrdersOf = async (providerOrderId: string) =>
    (await gqlOk<{ orders: { nodes: OrderView[] } }>(t.h.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERSHOP' }, first: 100 }, t.h.backOffice)).orders.nodes.filter((node) => node.providerOrderId === providerOrderId);

  it('a basket paid without a redirect created again under another key (a double-clicked checkout): PROVIDER_REJECTED, one gateway order holds ICM\'s order (before: two gateway orders AUTHORIZED on one authorization)', async () => {
    const basketId = t.h.icm.addBasket(131, 'USD', { payment: 'direct' });
    const first = await t.createOk(t.input(basketId, { idempotencyKey: `double-a-${Math.random()}` }));
    expect(first).toMatchObject({ status: 'AUTHORIZED', total: { amount: '131.00' } });
    const second = await t.create(t.input(basketId, { idempotencyKey: `double-b-${Math.random()}` }));
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'basket.already_ordered' });
    expect((await gatewayOrdersOf(first.providerOrderId!)).map((node) => node.id)).toEqual([first.id]);
    expect(t.h.icm.moneyMoves.get(first.providerOrderId!)).toBe(1);
  });

  it('a redirect basket created again with return URLs while the first waits for its URLs: refused without touching the first order\'s chain; the first is paid once (before: a second gateway order sent the first one\'s chain to the PSP)', async () => {
    const basketId = t.h.icm.addBasket(132);
    const first = await t.createOk(t.input(basketId));
    expect(first).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { reason: 'redirect_urls_required' } } });
    const second = await t.create(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(second.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
    expect(t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(first.providerOrderId!))).toHaveLength(0);
    expect(t.h.icm.stageOf(first.providerOrderId!)).toBe('urls_required');
    const redirected = await t.continueOk({ orderId: first.id, returnUrls: RETURN_URLS });
    expect(await t.continueOk(t.success(redirected))).toMatchObject({ status: 'AUTHORIZED' });
    expect((await gatewayOrdersOf(first.providerOrderId!)).map((node) => node.id)).toEqual([first.id]);
  });

  it('the second create\'s answer (the first order) is lost: its retry does not take that order nor send its return URLs to it (before: the first order\'s chain sent to the PSP with the second\'s URLs)', async () => {
    const basketId = t.h.icm.addBasket(135);
    const first = await t.createOk(t.input(basketId));
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `second-lost-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.data?.createOrder ?? null).toBeNull();
    expect(t.h.icm.calls.filter((call) => call.method === 'PATCH' && call.path.includes(first.providerOrderId!))).toHaveLength(0);
    expect(t.h.icm.stageOf(first.providerOrderId!)).toBe('urls_required');
    expect((await gatewayOrdersOf(first.providerOrderId!)).map((node) => node.id)).toEqual([first.id]);
  });

  it('two creates of one basket at once under different keys: one order, the other create PROVIDER_REJECTED', async () => {
    const basketId = t.h.icm.addBasket(133, 'USD', { payment: 'direct', capture: true });
    const answers = await Promise.all([1, 2].map((n) => t.create(t.input(basketId, { idempotencyKey: `race-${n}-${Math.random()}` }))));
    const made = answers.flatMap((answer) => (answer.data?.createOrder ? [answer.data.createOrder] : []));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ status: 'CAPTURED' });
    expect(answers.flatMap((answer) => answer.errors?.map((error) => error.extensions?.code) ?? [])).toEqual(['PROVIDER_REJECTED']);
    expect((await gatewayOrdersOf(made[0]!.providerOrderId!)).map((node) => node.id)).toEqual([made[0]!.id]);
  });

  it('guard: a creation whose answer is lost is found by its retry under the same key (one POST), and holds its own order', async () => {
    const basketId = t.h.icm.addBasket(134, 'USD', { payment: 'direct' });
    const variables = t.input(basketId, { idempotencyKey: `lost-own-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 'reset');
    expect((await t.create(variables)).errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await t.create(variables);
    expect(retried.errors).toBeUndefined();
    t.track(retried.data?.createOrder);
    expect(retried.data!.createOrder).toMatchObject({ status: 'AUTHORIZED', total: { amount: '134.00' } });
    expect(t.h.icm.calls.filter((call) => call.method === 'POST' && call.body.includes(basketId))).toHaveLength(1);
    // A later create of the basket under another key is another order's: refused.
    const again = await t.create(t.input(basketId, { idempotencyKey: `lost-other-${Math.random()}` }));
    expect(again.errors?.map((error) => error.extensions?.code)).toEqual(['PROVIDER_REJECTED']);
  });
});
