/**
 * Round eighteen of the Intershop adapter against an ICM written by other people from the seed alone
 * (test/support/independent/intershop-server.ts). Readings of the seed rounds one to seventeen did
 * not try, at the HTTP level of a real platform's front tier (the seed shows where ICM's REST lives
 * only in its examples' `links.self`, `http://<server>/INTERSHOP/rest/WFS/...`, and no status code,
 * header or redirect at all):
 * - the web tier in front of ICM redirecting requests at the REST base the gateway is configured
 *   with to the same path under another one (the application's context path renamed, a site moved;
 *   the independent ICM's new `moved`): `308 Permanent Redirect` / `307 Temporary Redirect` for
 *   every call (RFC 9110 §15.4.8/9: the same method and body at `Location`; the request was not
 *   carried out where it was sent), `301` / `302` for reads, `Location` absolute on ICM's host or a
 *   path alone. The shared HTTP client follows no redirect (src/providers/http.ts: a 3xx comes back
 *   as it is), and the adapter read every such answer as unreadable: every create, continue and read
 *   PROVIDER_UNAVAILABLE, so no order could be made or paid; with reads alone moved, a payment the
 *   PSP settled later was never learned (the order PENDING while ICM had captured the money), and a
 *   create whose answer was lost stayed unknown (the list unreadable) for an order ICM had made and
 *   taken the money of;
 * - the same redirect naming another host (`Location` on another origin): the POST was not carried
 *   out, yet it was an unknown outcome, so the retry under the same key, once the web tier was set
 *   right, searched the list, found nothing and stayed PROVIDER_UNAVAILABLE (the creation's settle
 *   time) for a basket ICM had never been sent;
 * - POST/Redirect/GET written `302 Found` (a Java servlet's `sendRedirect`; round sixteen tried
 *   `303`, the independent ICM's new `seeOtherStatus`): a POST that made the order and a PATCH ICM
 *   took were unreadable answers, PROVIDER_UNAVAILABLE (the create's retry found the order by the
 *   list, where there is one; without a list it stayed unknown while ICM held the money).
 * Fixed (src/providers/intershop/front-tier-redirect.ts, now the shared src/providers/redirects.ts;
 * client.ts sendAs / createOrder / continueOrder): a 307 or 308 is the same request sent again at `Location`, any method, and a 301,
 * 302 or 303 to a read is the read there, at most three hops, only on INTERSHOP_URL's own origin
 * (scheme, host and port: the authentication-token is never sent to a host an answer names). A 307
 * or 308 to the POST /orders that is not followed (another origin, too many hops) says the POST was
 * not carried out: PROVIDER_UNAVAILABLE that sent nothing, so the retry under the same key POSTs at
 * once. A 301 or 302 to a POST or PATCH is not followed (a POST after a 301/302 is historically sent
 * again as a GET, and the seed does not say ICM acted); one whose `Location` names an order is
 * POST/Redirect/GET, read as a 303 is (the order read, the answer ICM's), any other is an unknown
 * outcome as before.
 * Guards (held): `Connection: close` on every answer (a web tier without keep-alive); the web
 * tier's `503 Service Unavailable` with `Retry-After` after ICM made the order (the retry finds it,
 * one POST) or before the buyer's return was passed on (PROVIDER_UNAVAILABLE, her retry completes
 * the order once).
 * Left: a 301 or 302 to a POST whose `Location` names no order (the web tier moving `/orders`)
 * stays an unknown outcome (PROVIDER_UNAVAILABLE, a retry searches the list), and a redirect to
 * another host is never followed: the gateway is to be configured with the address ICM answers at.
 * Round seventeen's it.fails (an ICM more than five minutes behind that sends no `Date`), the 204 or
 * 303 to the return URLs at an ICM whose reads carry no chain, and a free order whose payments
 * cannot be read stay as they were: nothing the gateway gets tells them without a guess. Every
 * suite ends with the harness's money check (no order shows more reserved or captured than ICM
 * holds).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icmHarness } from '../support/independent/intershop-harness.js';
import type { IcmServerOptions } from '../support/independent/intershop-server.js';

const RETURN_URLS = { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel', failure: 'https://shop.example/failed' };
const EVERY_CALL: ('GET' | 'POST' | 'PATCH')[] = ['GET', 'POST', 'PATCH'];

const codes = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => result.errors?.map((error) => error.extensions?.code);

describe.each<[string, Partial<IcmServerOptions>]>([
  ['`308 Permanent Redirect` for every call, `Location` on ICM\'s host', { moved: { status: 308, methods: EVERY_CALL, to: 'own' } }],
  ['`307 Temporary Redirect` for every call, `Location` a path alone', { moved: { status: 307, methods: EVERY_CALL, to: 'path' } }],
  ['`308` for every call, reads without the chain (round one), a list of `{id}` entries (round three)', { moved: { status: 308, methods: EVERY_CALL, to: 'own' }, readsCarryCreation: false, list: 'ids' }],
])('an ICM whose web tier redirects the configured REST base to another path on its host: %s', (_name, variation) => {
  const t = icmHarness('-18', variation);

  it('a create given return URLs is at the PSP page, one POST (before: PROVIDER_UNAVAILABLE, nothing made); SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(181);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '181.00' }, creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(new URL(order.creation.stopAction!.redirectUrl!).searchParams.get('successURL')).toBe(RETURN_URLS.success);
    expect(t.posts(basketId)).toHaveLength(1);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '181.00' }, creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    expect(t.h.icm.redirected.some((call) => call.startsWith('POST /orders'))).toBe(true);
  });

  it('a create paid without a redirect whose answer was lost: the retry under the same key finds the order through the redirected list, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(182, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `moved-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    const order = await t.createOk(variables);
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '182.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('a payment the PSP settles after the create (waiting_for_pending_payments) is learned by the re-reads: CAPTURED', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(183, 'USD', { payment: 'direct', async: true, capture: true })));
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: '183.00' } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ total: { amount: '183.00' } });
  });

  it('the buyer\'s CANCEL from the PSP page: CANCELLED, nothing captured', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(184), { returnUrls: RETURN_URLS }));
    const cancelled = await t.continueOk(t.back(order, 'CANCEL'));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', creation: { status: 'ROLLED_BACK' } });
    expect(cancelled.payments.every((payment) => payment.capturedAmount.amount === '0.00')).toBe(true);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['`301 Moved Permanently`, `Location` on ICM\'s host', { moved: { status: 301, methods: ['GET'], to: 'own' } }],
  ['`302 Found`, `Location` a path alone', { moved: { status: 302, methods: ['GET'], to: 'path' } }],
])('an ICM whose web tier redirects reads (GET) to another path, writes served where they are sent: %s', (_name, variation) => {
  const t = icmHarness('-18', variation);

  it('a payment the PSP settles after the create is learned by the re-reads: CAPTURED (before: PENDING for good, every read PROVIDER_UNAVAILABLE)', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(185, 'USD', { payment: 'direct', async: true, capture: true })));
    expect(order).toMatchObject({ status: 'PENDING', total: { amount: '185.00' } });
    t.h.icm.pspNotifies(order.providerOrderId!, 'paid');
    expect(await t.readUntil(order.id, 'CAPTURED')).toMatchObject({ total: { amount: '185.00' } });
  });

  it('a create paid without a redirect whose answer was lost: the retry finds it, CAPTURED, one POST (before: PROVIDER_UNAVAILABLE for good, the list unreadable)', async () => {
    const basketId = t.h.icm.addBasket(186, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `moved-reads-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '186.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe('an ICM whose web tier redirects every call to another host (`308`, `Location` on another origin)', () => {
  const t = icmHarness('-18', { moved: { status: 308, methods: EVERY_CALL, to: 'other' } });
  /** What reached the other host: never a request, never the token. */
  const reached: IncomingHttpHeaders[] = [];
  let other: Server;
  beforeAll(async () => {
    other = createServer((request, response) => {
      reached.push(request.headers);
      response.writeHead(404);
      response.end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    t.h.icm.options = { ...t.h.icm.options, movedOrigin: `http://127.0.0.1:${(other.address() as AddressInfo).port}` };
  });
  afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));

  it('the create is PROVIDER_UNAVAILABLE, nothing sent to the other host; once the web tier is set right, the retry under the same key POSTs at once (before: PROVIDER_UNAVAILABLE again, the outcome unknown); one order', async () => {
    const basketId = t.h.icm.addBasket(188, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `moved-away-${Math.random()}` });
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(reached).toEqual([]);
    expect(t.posts(basketId)).toHaveLength(0);
    t.h.icm.options = { ...t.h.icm.options, moved: null };
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '188.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['to a POST and a PATCH', { seeOther: ['POST', 'PATCH'], seeOtherStatus: 302 }],
  ['to a POST and a PATCH, at an ICM without a list (round four\'s `noList`)', { seeOther: ['POST', 'PATCH'], seeOtherStatus: 302, noList: true }],
])('an ICM that answers with the order\'s address as a servlet\'s `sendRedirect` writes it (`302 Found`, POST/Redirect/GET) %s', (_name, variation) => {
  const t = icmHarness('-18', variation);

  it('a create given return URLs is at the PSP page, one POST (before: PROVIDER_UNAVAILABLE); SUCCESS: AUTHORIZED, the money moved once', async () => {
    const basketId = t.h.icm.addBasket(189);
    const order = await t.createOk(t.input(basketId, { returnUrls: RETURN_URLS }));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', total: { amount: '189.00' }, creation: { stopAction: { type: 'REDIRECT' } } });
    expect(t.posts(basketId)).toHaveLength(1);
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });

  it('a create paid without a redirect is CAPTURED at once, one POST (before: PROVIDER_UNAVAILABLE while ICM held the money)', async () => {
    const basketId = t.h.icm.addBasket(190, 'USD', { payment: 'direct', capture: true });
    expect(await t.createOk(t.input(basketId))).toMatchObject({ status: 'CAPTURED', total: { amount: '190.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });
});

describe('guard: an ICM whose web tier redirects the POST with `301`, `Location` naming no order (the base moved)', () => {
  const t = icmHarness('-18', { moved: { status: 301, methods: ['POST'], to: 'own' } });

  it('the create is an unknown outcome (PROVIDER_UNAVAILABLE), the POST not sent on (neither as a POST nor as a GET)', async () => {
    const basketId = t.h.icm.addBasket(191, 'USD', { payment: 'direct', capture: true });
    expect(codes(await t.create(t.input(basketId)))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.posts(basketId)).toHaveLength(0);
    expect(t.h.icm.redirected.filter((call) => call.startsWith('POST'))).toHaveLength(1);
  });
});

describe.each<[string, Partial<IcmServerOptions>]>([
  ['`Connection: close` on every answer', { connectionClose: true }],
  ['`Connection: close` on every answer, behind a `308` for every call', { connectionClose: true, moved: { status: 308, methods: EVERY_CALL, to: 'own' } }],
])('guard: an ICM whose web tier keeps no connection open: %s', (_name, variation) => {
  const t = icmHarness('-18', variation);

  it('creates, the buyer\'s return and a lost answer\'s retry hold: AUTHORIZED, one POST each, the money moved once', async () => {
    const first = t.h.icm.addBasket(192);
    const order = await t.createOk(t.input(first, { returnUrls: RETURN_URLS }));
    expect(await t.continueOk(t.back(order, 'SUCCESS'))).toMatchObject({ status: 'AUTHORIZED', total: { amount: '192.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
    const second = t.h.icm.addBasket(193, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(second, { idempotencyKey: `close-lost-${Math.random()}` });
    t.h.icm.loseNextCreateAnswer();
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '193.00' } });
    expect(t.posts(first)).toHaveLength(1);
    expect(t.posts(second)).toHaveLength(1);
  });
});

describe('guard: an ICM whose web tier answers `503 Service Unavailable` with `Retry-After`', () => {
  const t = icmHarness('-18', {});

  it('after ICM made the order (its own timeout towards ICM): PROVIDER_UNAVAILABLE, the retry under the same key finds the order, CAPTURED, one POST', async () => {
    const basketId = t.h.icm.addBasket(194, 'USD', { payment: 'direct', capture: true });
    const variables = t.input(basketId, { idempotencyKey: `busy-after-${Math.random()}` });
    t.h.icm.loseNextAnswer('POST', 503);
    expect(codes(await t.create(variables))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(await t.createOk(variables)).toMatchObject({ status: 'CAPTURED', total: { amount: '194.00' } });
    expect(t.posts(basketId)).toHaveLength(1);
  });

  it('before the buyer\'s return was passed on: PROVIDER_UNAVAILABLE (not a refusal), the order still at the PSP page; her retry: AUTHORIZED, the money moved once', async () => {
    const order = await t.createOk(t.input(t.h.icm.addBasket(195), { returnUrls: RETURN_URLS }));
    const back = t.back(order, 'SUCCESS');
    t.h.icm.turnAway('PATCH', 503);
    expect(codes(await t.cont(back))).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(t.h.icm.stageOf(order.providerOrderId!)).toBe('at_psp');
    expect(await t.continueOk(back)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '195.00' } });
    expect(t.h.icm.moneyMoves.get(order.providerOrderId!)).toBe(1);
  });
});
