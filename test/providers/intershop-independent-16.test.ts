/**
 * Round sixteen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to fifteen did not
 * try, at the HTTP level of the calls that make an order and take the buyer's return (the seed shows
 * no status code but for its examples' bodies, and no error at all):
 * - a request turned away to come back later: 429 Too Many Requests before any work (a rate limit in
 *   ICM or the web tier in front of it), with the contract's error body (CONTRACT §8), its `status`
 *   a JSON number (round nine), or none (the independent ICM's new `turnAway`). With ICM's body the
 *   adapter read it as any 4xx with one, a refusal: a create turned away was PROVIDER_REJECTED (a
 *   definite "no" for a basket ICM would take a moment later), and so was the buyer's SUCCESS from
 *   the PSP's page (a shop tells her the payment failed while the PSP holds her money and ICM waits
 *   for her return). Without a body the create was PROVIDER_UNAVAILABLE as an unknown outcome, so
 *   the retry under the same key searched the list, found nothing and stayed unknown (PROVIDER_UNAVAILABLE
 *   again) until the creation's settle time: no order for a while though ICM had taken nothing.
 * - an answer that gives the order's address only: `303 See Other` with `Location` to a POST that
 *   made the order or a PATCH ICM took (POST/Redirect/GET, a JAX-RS `Response.seeOther(uri)`; the
 *   independent ICM's new `seeOther`), the address naming ICM's own host as the seed's `links.self`
 *   does (`locationHost: 'internal'`); and round twelve's `201 Created` without a body at an ICM
 *   without a list (round four's `noList`). A 303 was an unreadable answer: every create and every
 *   continue PROVIDER_UNAVAILABLE though ICM had made the order or gone on with the chain (a retry
 *   found the order by the list, where there is one); a 201's `Location` was never read, so without
 *   a list the create and every retry were PROVIDER_UNAVAILABLE for an order ICM had made and, paid
 *   without a redirect, taken the money of (round twelve left it so).
 * Fixed (src/providers/intershop): client.ts expectOk reads a come-back-later status (429, 408, 425)
 * as PROVIDER_UNAVAILABLE with or without ICM's body, and, for the POST /orders itself, as sent
 * nothing (a retry creates at once; a come-back-later on any other call leaves the outcome unknown);
 * client.ts createOrder takes a 303 as a POST answered elsewhere, as a 201 without a body, and both
 * give the order their `Location` names (order-location.ts orderIdAt: the id after `/orders/`,
 * whatever the host, read at INTERSHOP_URL, never at the host named); index.ts createOrder reads
 * that order (waiting out a node that has not seen the create) and takes it as the POST's answer
 * (claimed, sent its return URLs, a rolled-back one CANCELLED), else finds it by the list as before;
 * continueOrder takes a 303 as a 204 (the order read past the PATCH's step).
 * Guard (held): a lost create whose search meets the list turned away stays unknown, nothing POSTed
 * again, and the next retry finds the order.
 * Left: a 303 (or 204) to the return URLs at an ICM whose reads carry no chain still cannot show the
 * PSP's URL (it is in no answer), as round twelve left the 204; a `Location` that names no
 * `/orders/<id>` leaves the list as the only way to the order, and without a list the create stays
 * PROVIDER_UNAVAILABLE. Every suite ends with the harness's money check (no order shows more
 * reserved or captured than ICM holds).
 */
import { describe, expect, it } from 'vitest';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };


const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

describe.each<[string, Partial<IcmServerOptions>]>([
  ['with the contract\'s error body', {}],
  ['with the error body\'s `status` a JSON number (round nine)', { errorBody: 'int-status' }],
  ['without a body (a guard: read so before)', { errorBody: 'empty' }],
])('an ICM that turns a request away to come back later (429 Too Many Requests, before any work), %s', (_name, variation) => {
  const t = icmHarness('-16', variation);

  it('a create turned away is PROVIDER_UNAVAILABLE, not a refusal (before: PROVIDER_REJECTED with ICM\'s body); the retry under the same key makes the one order at once (before, without a body: PROVIDER_UNAVAILABLE again, the outcome unknown); SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(161);
    const variables = t.input(basketId, { returnUrls: RETURN_URLS, idempotencyKey: `turned-away-${Math.random()}` });
    t.h.icm.turnAway('POST');
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '161.00' }, creation: { stopAction: { type: 'REDIRECT' } } });
    // Turned away before any work, then taken: one order of the basket.
    expect(t.posts(basketId)).toHaveLength(2);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '161.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('the buyer\'s return turned away is PROVIDER_UNAVAILABLE (before, with ICM\'s body: PROVIDER_REJECTED, a shop would tell her the payment failed); the order stays at the PSP page, the retry is AUTHORIZED, the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(162), { returnUrls: RETURN_URLS }));
    const back = t.back(order, 'SUCCESS');
    t.h.icm.turnAway('PATCH');
    expect(codes(await t.cont(back))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    expect(await t.read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
    expect(await t.continueOk(back)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '162.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('guard: a lost create whose search finds the list turned away stays unknown (nothing POSTed again); the next retry finds the order, one POST', async () => {
    const basketId = t.h.icm.addBasket(163, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `lost-turned-away-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    t.h.icm.turnAway('list');
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '163.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['`303 See Other` to a POST and a PATCH (POST/Redirect/GET)', { seeOther: ['POST', 'PATCH'] }],
  ['`303 See Other` to a POST naming ICM\'s own host (as the seed\'s `links.self`), reads without the chain (round one)', { seeOther: ['POST'], locationHost: 'internal', readsCarryCreation: false }],
  ['`303 See Other`, at an ICM without a list (round four\'s `noList`)', { seeOther: ['POST', 'PATCH'], noList: true }],
  ['`201 Created` without a body (round twelve), at an ICM without a list (round four\'s `noList`)', { createNoContent: true, noList: true }],
  ['`201 Created` without a body naming ICM\'s own host, at an ICM without a list', { createNoContent: true, noList: true, locationHost: 'internal' }],
])('an ICM that answers with the order\'s address only (`Location`, no body): %s', (_name, variation) => {
  const t = icmHarness('-16', variation);

  it('a create given return URLs is at the PSP page, one POST (before: PROVIDER_UNAVAILABLE for an order ICM had made); SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(164);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '164.00' }, creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(t.posts(basketId)).toHaveLength(1);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '164.00' }, creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create paid without a redirect is CAPTURED at once, one POST (before: PROVIDER_UNAVAILABLE while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(165, 'USD', { payment: 'direct', capture: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '165.00' }, creation: { status: 'COMPLETED' } });
    expect(order.payments.map((payment) => payment.capturedAmount.amount)).toEqual(['165.00']);
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('a create whose direct payment the PSP declines in the POST is CANCELLED, the restored basket never POSTed again', async () => {
    const basketId = t.h.icm.addBasket(166, 'USD', { payment: 'direct', declined: true });
    const order = await t.createOk(t.input(basketId));
    expect(order).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('the buyer\'s CANCEL from the PSP page: CANCELLED, nothing captured', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(167), { returnUrls: RETURN_URLS }));
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.every((payment) => payment.capturedAmount.amount === '0.00')).toBe(true);
  });

  it('a create without return URLs waits for them; the client\'s URLs reach the PSP page', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(168)));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', reason: 'redirect_urls_required' } } });
    const redirected = await t.continueOk({ orderId: order.id, returnUrls: RETURN_URLS });
    expect(redirected).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT' } } });
  });
});
