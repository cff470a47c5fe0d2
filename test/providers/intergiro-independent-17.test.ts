/**
 * Round seventeen against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for round sixteen's two leftovers on HTTP the seed leaves to the platform, and round fifteen's on a
 * lost creation's search:
 * - "It is highly recommended to use the date queries when listing orders, to optimize behaviour":
 *   the seed shows no limit, and round sixteen's Intergiro turns a request away before doing
 *   anything (429 with its Error and `Retry-After`). Here on the reads (a GET or verify takes
 *   nothing and moves no money): the listing a lost creation's retry searches, the listing a
 *   capture is read back in, the verify a callback is checked through (no callback secret), with
 *   `Retry-After` as seconds, as an HTTP date (RFC 9110 allows both), and one too far off to wait
 *   for (`throttleRetryAfter`);
 * - "You should get a 200 response with the same changes you requested in the body": round
 *   sixteen's Intergiro echoing only the changes it carried out (`echoCarriedOutOnly`), here
 *   asking what became of the order left out of the echo;
 * - "<Status of order>" left out of a listed order (the seed's customer-order answer shows no
 *   `status`; round one's `listWithoutStatus`) while it waits for its 3-D Secure step, its answer
 *   lost (round fifteen's `verificationCallback`), with its event list shown empty, or null.
 * Broke, fixed in src/providers/intergiro:
 * - a throttled read was PROVIDER_UNAVAILABLE at once, though it said when to come back: the retry
 *   of a lost creation (a card Intergiro authorized, its answer reset) whose search was throttled
 *   was PROVIDER_UNAVAILABLE again, the shop left without the order Intergiro held; a capture of an
 *   order cancelled at Intergiro whose read back was throttled stood on its echo: CAPTURED with
 *   20.00, nothing charged at Intergiro (the read failing was taken as a read that shows nothing);
 *   a genuine callback checked through a throttled verify (no callback secret) was answered 503,
 *   left to Intergiro's retry. A read (a GET, or verify) turned away with a `Retry-After` of at most
 *   2 s, as seconds or an HTTP date (set against the answer's own `Date`), is now asked once more
 *   when it says (retry-after.ts, client.ts `read`); one that says later, or nothing, is
 *   PROVIDER_UNAVAILABLE as before (the controls). A write is never sent again by the adapter
 *   (round sixteen: the client's retry under its key does that).
 * - an order left out of an echo of only the changes carried out was PROVIDER_UNAVAILABLE, its
 *   intent pending up to the pending bound though Intergiro had refused the change and recorded so
 *   on the order: a capture of an order cancelled at Intergiro, a refund of more than its back office
 *   had left, a cancel of an order it had charged. Such an order (no element names it, and the echo
 *   names another order of the request) is now read back as an echoed change is
 *   (order-changes.ts leftOutOf, echo-read-back.ts): a read that shows it refused (the order ended
 *   uncharged, a failed Event, a failed refund dated since the PATCH) answers PROVIDER_REJECTED, one
 *   that shows it done answers it done, one that shows neither (or no read) stays
 *   PROVIDER_UNAVAILABLE: being left out is never "done"; several refunds of one order left out stay
 *   PROVIDER_UNAVAILABLE (which of them failed is not told; read back since round eighteen,
 *   intergiro-independent-18.test.ts).
 * - a card order waiting for its step, its "verification required" lost and the order listed
 *   without a word of its own, was adopted PENDING (round fifteen's Left): the retry answered the
 *   shop PENDING, the buyer was never shown the step and the order never moved. Where the listing
 *   shows its event list and it is empty (nothing happened to it: no `order`, no `pend`), it now
 *   stops for the step as one listed `pending` does (index.ts showsNoEvents, waitsForItsStep), and
 *   the resubmission authorizes it under its id. One whose list is written null or "" (or left out)
 *   says less and is PENDING as before (the control).
 * Left: a throttled read whose `Retry-After` is more than 2 s away, or absent, is not waited for (a
 * GraphQL call or a callback is not held that long; since round eighteen a change whose read back is
 * so turned away is unknown, not the echo's answer, intergiro-independent-18.test.ts); a read turned
 * away twice is not asked a third time. The capture read back when its throttled read came back on time passed before as well (the
 * echo stood, and was right): a control. Earlier rounds' it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-17', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_visa', browser: INTERGIRO_TEST_BROWSER };
const THREE_DS = { paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER };
const RETURN_URLS = { success: 'https://shop.example/ok' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

describe.each([
  ['in seconds', {}],
  ['as an HTTP date', { throttleRetryAfter: { date: 1 } }],
] as [string, IntergiroVariation][])('Intergiro, round seventeen: a read turned away (429) with a Retry-After %s', (_name, variation) => {
  const { context, create, createOk, apply, read } = useIndependentIntergiro({ callbacks: 'none', ...variation });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
  const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;

  it("a lost creation's retry whose listing is throttled waits as told and finds the order made: one order, AUTHORIZED", async () => {
    const idempotencyKey = `throttled-search-${Date.now()}-${Math.random()}`;
    const before = posts();
    context.server.loseNext('POST', 'reset', '/v1/order');
    const first = await create(CARD, { idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const throttledBefore = context.server.throttled.length;
    context.server.throttleNext('GET', '/v1/order');
    const retried = await create(CARD, { idempotencyKey });
    expect(context.server.throttled.length - throttledBefore).toBe(1);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder.status).toBe('AUTHORIZED');
    expect(posts() - before).toBe(1);
  }, 20_000);

  it('a capture whose read back is throttled is answered from the read made when told: CAPTURED, one PATCH', async () => {
    const order = await createOk(CARD);
    const before = patches();
    context.server.throttleNext('GET', '/v1/order');
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(patches() - before).toBe(1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
    expect((await read(order.id)).status).toBe('CAPTURED');
  }, 20_000);

  it('a capture of an order cancelled at Intergiro whose read back is throttled is PROVIDER_REJECTED, nothing charged', async () => {
    const order = await createOk(CARD);
    context.server.cancelBehind(order.providerOrderId!);
    const before = patches();
    context.server.throttleNext('GET', '/v1/order');
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const shown = await read(order.id);
    expect(shown.status).not.toBe('CAPTURED');
    expect(shown.payments[0]!.capturedAmount.amount).toBe('0.00');
    // The refused capture may be tried once more under the other capture word (capture-word.ts), never more.
    expect(patches() - before).toBeLessThanOrEqual(2);
  }, 20_000);
});

/** A callback checked through verify (no callback secret at the gateway), verify throttled once. */
describe('Intergiro, round seventeen: verify turned away (429, Retry-After: 1) under a callback', () => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ gatewayWithoutSecret: true });

  it('a payment link paid: each callback is verified when told and taken (2xx, none 503); the order is CAPTURED', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    context.server.throttleNext('POST', '/v1/worker-order/order/verify');
    await context.server.payLink(order.providerOrderId!);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect(context.server.throttled.at(-1)).toMatchObject({ path: '/v1/worker-order/order/verify' });
    const sent = await eventually(async () => {
      const all = context.server.callbacksSent.filter((callback) => callback.orderId === order.providerOrderId);
      return all.length > 0 ? all : undefined;
    }, 4000);
    expect(sent.map((callback) => callback.status).filter((status) => status !== 200)).toEqual([]);
  }, 20_000);
});

/** Controls: a Retry-After too far off to hold a call for, or none, is not waited for (as before). */
describe.each([
  ['two minutes off', { throttleRetryAfter: '120' }],
  ['absent', { throttleRetryAfter: null }],
] as [string, IntergiroVariation][])('Intergiro, round seventeen: a read turned away with a Retry-After %s', (_name, variation) => {
  const { context, create } = useIndependentIntergiro({ callbacks: 'none', ...variation });

  it("a lost creation's retry whose listing is throttled is PROVIDER_UNAVAILABLE at once, never a second order", async () => {
    const idempotencyKey = `throttled-long-${Date.now()}-${Math.random()}`;
    const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;
    const before = posts();
    context.server.loseNext('POST', 'reset', '/v1/order');
    expect(codes((await create(CARD, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    context.server.throttleNext('GET', '/v1/order');
    const started = Date.now();
    const retried = await create(CARD, { idempotencyKey });
    expect(codes(retried.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(posts() - before).toBe(1);
    // The next retry, not throttled, finds it.
    const again = await create(CARD, { idempotencyKey });
    expect(again.errors).toBeUndefined();
    expect(again.data!.createOrder.status).toBe('AUTHORIZED');
    expect(posts() - before).toBe(1);
  }, 20_000);
});

/**
 * Two orders changed in one call, the echo holding only the element of the change Intergiro carried
 * out (round sixteen): the order left out is read back, and its refusal told.
 */
describe('Intergiro, round seventeen: the order left out of an echo of only the changes carried out', () => {
  const { context, createOk, read, apply } = useIndependentIntergiro({ callbacks: 'none', echoCarriedOutOnly: true });
  const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;

  it('a capture of an order cancelled at Intergiro, left out of the echo, is PROVIDER_REJECTED; the other CAPTURED; one PATCH', async () => {
    const cancelled = await createOk(CARD);
    const open = await createOk(CARD);
    context.server.cancelBehind(cancelled.providerOrderId!);
    const before = patches();
    const answer = await apply([
      { orderId: cancelled.id, events: [{ type: 'CAPTURE' }] },
      { orderId: open.id, events: [{ type: 'CAPTURE' }] },
    ]);
    expect(answer.errors?.map((error) => error.path?.at(-1))).toEqual([0]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(answer.data!.applyOrderEvents[1]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(patches() - before).toBe(1);
    expect(context.server.order(cancelled.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    expect((await read(cancelled.id)).payments[0]!.capturedAmount.amount).toBe('0.00');
  });

  it('a refund of more than Intergiro had left, left out of the echo, is PROVIDER_REJECTED; the other refunded once', async () => {
    const short = await createOk({ ...CARD, charge: true });
    const full = await createOk({ ...CARD, charge: true });
    context.server.refundBehind(short.providerOrderId!, 1800);
    const answer = await apply([
      { orderId: short.id, events: [{ type: 'REFUND', amount: '5.00' }] },
      { orderId: full.id, events: [{ type: 'REFUND', amount: '5.00' }] },
    ]);
    expect(answer.errors?.map((error) => error.path?.at(-1))).toEqual([0]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(answer.data!.applyOrderEvents[1]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '5.00' } }] });
    expect(context.server.order(full.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect(context.server.order(short.providerOrderId!)).toMatchObject({ refunded: 1800 });
    expect((await read(short.id)).payments[0]!.refundedAmount.amount).not.toBe('5.00');
  });

  it('a cancel of an order charged at Intergiro, left out of the echo, is PROVIDER_REJECTED, not CANCELLED', async () => {
    const charged = await createOk(CARD);
    const open = await createOk(CARD);
    context.server.chargeBehind(charged.providerOrderId!);
    const answer = await apply([
      { orderId: charged.id, events: [{ type: 'CANCEL' }] },
      { orderId: open.id, events: [{ type: 'CANCEL' }] },
    ]);
    expect(answer.errors?.map((error) => error.path?.at(-1))).toEqual([0]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(answer.data!.applyOrderEvents[1]).toMatchObject({ status: 'CANCELLED' });
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
    expect((await read(charged.id)).status).not.toBe('CANCELLED');
  });
});

/**
 * Round sixteen's engineer's leftover (round fifteen's Left): a 3-D Secure step whose answer was
 * lost, the order kept waiting and listed without a word of its own (`listWithoutStatus`, as the
 * seed's customer-order answer shows none). Where the listing shows its event list and it is empty,
 * nothing has happened to the order (an authorization is an `order` event, CONTRACT §8; the
 * acquirer holding it a `pend`): it waits for its step as one listed `pending` does.
 */
describe('Intergiro, round seventeen: a 3-D Secure step whose answer was lost, listed without a word, its event list empty', () => {
  const { context, create, settlesAt, resubmit } = useIndependentIntergiro({ verificationCallback: 'pending', listWithoutStatus: true, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order');

  it('the retry under the same key hands out the THREE_DS step (not PENDING), and the resubmission completes the order under its id', async () => {
    const idempotencyKey = `lost-3ds-wordless-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    expect(codes((await create(THREE_DS, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create(THREE_DS, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    expect(posts()).toHaveLength(1);
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'THREE_DS' } });
    expect((await resubmit(order.id)).errors).toBeUndefined();
    expect(posts().at(-1)?.body).toMatchObject({ id: order.providerOrderId, payment: { type: 'card', card: 'tok_3ds_done' } });
    await settlesAt(order.id, 'AUTHORIZED');
    expect(posts()).toHaveLength(2);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
  }, 20_000);
});

/** The control: a listing that says less (no word, its event list written null) is not taken for a step: PENDING, as before. */
describe('Intergiro, round seventeen: a 3-D Secure step whose answer was lost, listed without a word, its event list null', () => {
  const { context, create } = useIndependentIntergiro({ verificationCallback: 'pending', listWithoutStatus: true, unsetAs: 'null', callbacks: 'none' });

  it('the retry under the same key adopts the order PENDING, one order made', async () => {
    const idempotencyKey = `lost-3ds-wordless-null-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    expect(codes((await create(THREE_DS, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create(THREE_DS, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder.status).toBe('PENDING');
    expect(context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order')).toHaveLength(1);
  }, 20_000);
});
