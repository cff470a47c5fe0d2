/**
 * Round twenty-three against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for HTTP the seed leaves to the platform, which the first twenty-two rounds took in one shape:
 * - "You should get a 200 response with the same changes you requested in the body": the seed shows
 *   the PATCH's answer and no refusal of a change at all (no status, no body). Round four had an
 *   Intergiro answer its creation's Errors 200 (`errorsAt200`: a framework that never sets a
 *   status); the same framework answers the PATCH's Errors 200 too, its Error as the body in place
 *   of the echo (`patchErrorsAt200`): a loop stopped at the first change it cannot carry out (round
 *   four's `stop-midway`, `{status: 400, type, error}`), the change word it does not take (round
 *   three's `capture`), and its rate limit's `{status: 429, ...}` (round sixteen's `throttleNext`);
 * - the seed shows nothing of the connection: a server (or a front) without keep-alive answers
 *   every request `Connection: close` and closes it (`connectionClose`), as an HTTP/1.0 front or a
 *   proxy configured so does; on a creation, a capture, a refund, a lost creation's search, a link
 *   paid and called back;
 * - round twenty-two's leftover: the listing's cache answers its copies without `Age`
 *   (`listCacheWithoutAge`), as a reverse proxy's cache that adds none does (nginx's proxy_cache),
 *   its stored `Date` the original's: on a lost creation's search, and on a refund's read back in a
 *   copy showing an earlier refused refund of the same amount.
 * Found (run on the adapter before the fix): every Error of the PATCH answered 200 was read as an
 * echo that could not be read, PROVIDER_UNAVAILABLE, the change's outcome unknown:
 * - a capture or refund Intergiro's rate limit turned away (nothing done) was left pending, never
 *   sent again under its key: the retry under the same key was answered from the pending intent
 *   and the order was not captured (20.00 authorized at Intergiro, none charged) until the pending
 *   bound (10 minutes), where the same throttle answered 429 is retried at once (round sixteen);
 * - a capture of an order cancelled at Intergiro, refused in so many words, was PROVIDER_UNAVAILABLE
 *   and pending, not PROVIDER_REJECTED;
 * - at an Intergiro taking only `capture` (round three), the refusal of `charge` was not read as
 *   one, so the capture was never sent under the word it takes: no capture could be made at all;
 * - a refund carried out before a loop stopped at another order's capture: both unknown, where the
 *   same 400 answers the refund done and the capture refused (refused-batch.ts, round four).
 * Fixed in src/providers/intergiro/client.ts changeOrders (errorAnsweredOk, already reading the
 * creation's): a 2xx body that is no echo and says an Error is read as that Error at its own
 * status. A "come back later" (408, 425, 429) is PROVIDER_UNAVAILABLE saying nothing was taken
 * (http.ts turnedAway, the retry under the key sends it once); a 4xx is the refusal a 4xx answer
 * is (a single change refused, several read back one by one, refused-batch.ts; a refused capture
 * word tried once under the other, capture-word.ts); anything else (a 5xx or no numeric status,
 * where the change may have been made) stays unknown, as before.
 * And: a card order Intergiro made and charged (charge "auto") and answered with its own 500 was
 * made, and charged, twice where the retry's search got a copy without `Age` made before it (an
 * earlier read back of the same days filled it): read as fresh, the order was surely absent. Worse,
 * the copy's `Date` set Intergiro's clock seconds behind (dates.ts clockAheadOf reads every
 * answer's). Fixed in src/providers/intergiro/listing-pages.ts copyWrittenBy, read by client.ts
 * listOrderPages: a listing answer without `Age` whose `Date` lies more than 3 s behind the request
 * on Intergiro's clock as its earlier answers set it (none read: not told) is a copy made by that `Date`'s second (its
 * `asOf`, so index.ts findListed and listedIn read it as round twenty-two reads a copy with `Age`:
 * unknown, never "not there"), and its `Date` is kept out of the clock reading. Nothing is read of
 * `Cache-Control` or `X-Cache` (a max-age says how long a copy may live, not how old this one is).
 * Connection: close, and the refund read back in a copy without `Age` (unknown, never refused),
 * passed before (controls): the shared transport (src/providers/http.ts) opens a connection per
 * request where the server will not keep one.
 * Left: an Error at 200 whose `status` is a word or missing (round eight's `errorStatusAs`) on a
 * PATCH says neither refused nor turned away, and stays unknown (PROVIDER_UNAVAILABLE, pending until
 * the callback or a re-read; since round twenty-four a refusal its read back shows is PROVIDER_REJECTED,
 * intergiro-independent-24.test.ts); a `{success: false}` body without words (no `error`, no `message` with
 * a `type` or 4xx status) is no Error and stays an unreadable echo. A copy without `Age` made within
 * 3 s of the request (or in the creation's own second), or before any answer of Intergiro's set its
 * clock (a gateway just started), is read as before, fresh. Earlier rounds'
 * it.fails stay; no it.fails this round.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';
import type { IntergiroServer } from '../support/independent/intergiro-server.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-23', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const RETURN_URLS = { success: 'https://shop.example/ok' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);
const patchesOf = (server: IntergiroServer) => server.requests.filter((request) => request.method === 'PATCH').length;
/** How many events of `type` all PATCHes Intergiro received named for `providerOrderId`. */
const eventsSentTo = (server: IntergiroServer, providerOrderId: string, types: string[]) =>
  server.requests
    .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
    .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((entry) => entry.id === providerOrderId))
    .flatMap((entry) => entry.event.filter((event) => types.includes(event.type))).length;

describe('Intergiro, round twenty-three: its rate limit turns a PATCH away, its Error answered 200', () => {
  const { context, createOk, apply } = useIndependentIntergiro({ patchErrorsAt200: true, callbacks: 'none' });
  const patches = () => patchesOf(context.server);

  it('a capture turned away is PROVIDER_UNAVAILABLE, sent once; its retry under the same key charges once', async () => {
    const order = await createOk(CARD);
    const before = patches();
    context.server.throttleNext('PATCH');
    const first = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(context.server.throttled).toHaveLength(1);
    // Only the request turned away: nothing sent again under the other capture word.
    expect(patches() - before).toBe(1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
    const retried = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
    expect(patches() - before).toBe(2);
  });

  it('a refund turned away is PROVIDER_UNAVAILABLE; its retry under the same key refunds once', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.throttleNext('PATCH');
    const refund = { orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `ref-${order.id}` }] };
    const first = await apply([refund]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
    const retried = await apply([refund]);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '5.00' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
    // The one turned away (nothing done) and the retry's: nothing sent again by the adapter itself.
    expect(eventsSentTo(context.server, order.providerOrderId!, ['refund'])).toBe(2);
  });

  it('a capture Intergiro carries out is answered by its echo (control)', async () => {
    const order = await createOk(CARD);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

describe('Intergiro, round twenty-three: a PATCH loop stopped at a change it cannot carry out, its Error answered 200', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ patchErrorsAt200: true, patchRefusal: 'stop-midway', callbacks: 'none' });

  it('a capture of an order cancelled at Intergiro is PROVIDER_REJECTED, nothing captured', async () => {
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
  });

  it('a refund carried out before the loop stopped is answered done, the capture refused, and a retry sends neither again', async () => {
    const charged = await createOk({ ...CARD, charge: true });
    const authorized = await createOk(CARD);
    context.server.cancelBehind(authorized.providerOrderId!);
    const elements = [
      { orderId: charged.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `midway-${charged.id}` }] },
      { orderId: authorized.id, events: [{ type: 'CAPTURE', idempotencyKey: `midway-${authorized.id}` }] },
    ];
    const answer = await apply(elements);
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect(answer.errors?.find((error) => error.path?.[1] === 0)).toBeUndefined();
    expect(answer.errors?.find((error) => error.path?.[1] === 1)?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    expect(await read(charged.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '5.00' } }] });
    expect((await read(authorized.id)).status).not.toBe('CAPTURED');
    const again = await apply([elements[0]!]);
    expect(again.errors).toBeUndefined();
    expect(eventsSentTo(context.server, charged.providerOrderId!, ['refund'])).toBe(1);
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ refunded: 500 });
  });
});

describe('Intergiro, round twenty-three: an Intergiro taking only `capture`, its refusal of `charge` answered 200', () => {
  const { context, createOk, apply } = useIndependentIntergiro({ patchErrorsAt200: true, patchRefusal: 'stop-midway', captureWords: ['capture'], callbacks: 'none' });

  it('a capture is sent once more under the word it takes and charges once', async () => {
    const order = await createOk(CARD);
    const before = patchesOf(context.server);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
    // The refused word, then the one it takes; the next capture goes under it at once.
    expect(patchesOf(context.server) - before).toBe(2);
    const next = await createOk(CARD);
    expect((await apply([{ orderId: next.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect(patchesOf(context.server) - before).toBe(3);
    expect(context.server.order(next.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

describe('Intergiro, round twenty-three: a server without keep-alive (Connection: close on every answer)', () => {
  const { context, create, createOk, apply, settlesAt } = useIndependentIntergiro({ connectionClose: true });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;

  it('its answers say so (the option is in force)', async () => {
    const answer = await fetch(`${context.server.url}/v1/order?start=2026-01-01&end=2026-01-02`, { headers: { accept: 'application/json' } });
    await answer.arrayBuffer();
    expect(answer.headers.get('connection')).toBe('close');
  });

  it('a card authorized, captured in part, refunded in two parts: each change once, the figures Intergiro holds', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '15.00' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1500 });
    for (const amount of ['5.00', '3.00']) expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount }] }])).errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1500, refunded: 800 });
    expect(eventsSentTo(context.server, order.providerOrderId!, ['refund'])).toBe(2);
    expect(eventsSentTo(context.server, order.providerOrderId!, ['charge', 'capture'])).toBe(1);
  });

  it('a creation made, charged and answered 500 is found by its retry, never made twice', async () => {
    const idempotencyKey = `close-lost-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 500, '/v1/order');
    expect(codes((await create({ ...CARD, charge: true }, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder).toMatchObject({ status: 'CAPTURED' });
    expect(posts()).toBe(before + 1);
  });

  it('a payment link paid is CAPTURED by its callback', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    await context.server.payLink(order.providerOrderId!);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });
});

describe('Intergiro, round twenty-three: a cache in front of the listing answers copies without Age', () => {
  const { context, create, createOk, apply, read } = useIndependentIntergiro({ listCacheMs: 60_000, listCacheWithoutAge: true, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;

  /**
   * Round twenty-two's leftover: a copy without `Age` was read as made when it was asked, the order
   * surely absent, and the retry created (and charged) it again. Its `Date` is the original's,
   * seconds older than the request on Intergiro's clock as its earlier answers set it
   * (listing-pages.ts copyWrittenBy).
   */
  it('a creation made, charged and answered 500, its retry searching a copy older than it, is never made twice', async () => {
    context.server.purgeListCache();
    // An earlier listing of the same days fills the cache: a capture's read back.
    const earlier = await createOk(CARD);
    context.server.purgeListCache();
    expect((await apply([{ orderId: earlier.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    // The copy's `Date` names a whole second: one made in the creation's own second cannot be told older.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const idempotencyKey = `no-age-lost-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 500, '/v1/order');
    expect(codes((await create({ ...CARD, charge: true }, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const retried = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(posts()).toBe(before + 1);
    expect(codes(retried.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    // The copy expires: the next retry finds the order made, charged once.
    context.server.purgeListCache();
    const later = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(later.errors).toBeUndefined();
    expect(later.data!.createOrder).toMatchObject({ status: 'CAPTURED' });
    expect(posts()).toBe(before + 1);
    expect(context.server.order(later.data!.createOrder.providerOrderId!)).toMatchObject({ charged: 2000 });
  }, 30_000);

  it('a refund Intergiro carries out, read back in a copy (its Date seconds old) showing an earlier refused refund, is never answered refused (control)', async () => {
    const order = await createOk({ ...CARD, charge: true });
    context.server.purgeListCache();
    // Declined by the acquirer; its read back fills the cache with a copy showing the failure.
    context.server.options.refundsDeclined = true;
    const refused = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    context.server.options.refundsDeclined = false;
    expect(codes(refused.errors)).toEqual(['PROVIDER_REJECTED']);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const refund = { orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `after-copy-${order.id}` }] };
    const hits = context.server.cacheHits.length;
    const answer = await apply([refund]);
    expect(context.server.cacheHits.length).toBeGreaterThan(hits);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
    // Done, or unknown until a fresh read: never refused (its key released, the retry refunding again).
    if (answer.errors) expect(codes(answer.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    // Its retry under the key, the copy gone: never a second refund at Intergiro.
    context.server.purgeListCache();
    const again = await apply([refund]);
    expect(codes(again.errors)?.every((code) => code !== 'INTERNAL_SERVER_ERROR') ?? true).toBe(true);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect(eventsSentTo(context.server, order.providerOrderId!, ['refund'])).toBe(2);
    expect(['0.00', '5.00']).toContain((await read(order.id)).payments[0]!.refundedAmount.amount);
  }, 20_000);
});
