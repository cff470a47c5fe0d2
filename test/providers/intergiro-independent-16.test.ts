/**
 * Round sixteen against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for two things of HTTP the seed leaves to the platform and the first fifteen rounds took in one shape:
 * - "otherwise an Error will be returned": the seed names no HTTP status for an Error and shows no
 *   limit on its requests, but "highly recommends" the listing's dates "to optimize behaviour". A
 *   platform that guards its resources turns requests away before doing anything (429 with
 *   `Retry-After`, or 408 / 425), and answers that as every other Error, in its own shape
 *   (`{status: 429, type, error}`; with round four's `errorsAt200`, a creation's 200), or an API
 *   gateway's in front of it answers `{message: "Too Many Requests"}` (`throttleNext`,
 *   `throttleAnswer`): on a card creation, a 3-D Secure resubmission, a capture, a refund;
 * - "You should get a 200 response with the same changes you requested in the body": an
 *   implementer may echo the changes it made, leaving out an element whose changes it could not
 *   carry out (their failure recorded on the order, round five) (`echoCarriedOutOnly`): two
 *   orders changed in one call, one of them refused.
 * Broke, fixed in src/providers/intergiro:
 * - a request turned away with Intergiro's Error body (or any JSON body) was PROVIDER_REJECTED, a
 *   refusal for good: a card creation throttled told the shop the payment was refused; a 3-D Secure
 *   resubmission throttled, after the buyer's step, the same; a capture throttled was sent again at
 *   once under the other capture word (a PATCH the rate limit had just turned away; at an
 *   Intergiro that takes only `charge` a failed `capture` event recorded on the order) and then
 *   answered refused; a refund throttled was refused. A "come back later" (408, 425, 429, also as
 *   the status of an Error answered 200) is now PROVIDER_UNAVAILABLE that says nothing was taken,
 *   whatever its body (since the round, http.ts turnedAway, read by client.ts): nothing refused for good, nothing
 *   sent again by the adapter, and the client's retry under the same key sends it once.
 * - an echo without the element of a refused order: that order was answered from the element in
 *   its place, the other order's echo (order-changes.ts echoOf), and the order whose change went
 *   through from none: a capture Intergiro carried out answered PROVIDER_UNAVAILABLE (the intent
 *   left pending, the order AUTHORIZED with 20.00 charged at Intergiro). An element standing in for
 *   an order it does not name is now taken only where it names no order of the request.
 * Left: the order whose element is left out of the echo is PROVIDER_UNAVAILABLE (its outcome
 * unknown, pending until a read shows it), not PROVIDER_REJECTED: the echo no longer says which
 * change went and the failure shows only on the order. A throttled read (the listing) is not
 * retried within the call, though it said when to come back (`Retry-After`). Both read since round
 * seventeen (intergiro-independent-17.test.ts: the order left out read back; a read asked once more
 * when its `Retry-After` is at most 2 s away). Earlier rounds'
 * it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUE_ORDER, type OrderView } from '../support/documents.js';
import { gql } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-16', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_visa', browser: INTERGIRO_TEST_BROWSER };
const THREE_DS = { paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

describe('Intergiro, round sixteen: a request its rate limit turns away, with its own Error (429)', () => {
  const { context, create, createOk, settlesAt, apply } = useIndependentIntergiro({ callbacks: 'none' });
  const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;

  it('a card creation turned away is PROVIDER_UNAVAILABLE, not a refusal; the retry under its key makes one order', async () => {
    const reference = `throttled-${Date.now()}`;
    context.server.throttleNext('POST', '/v1/order');
    const first = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder.status).toBe('AUTHORIZED');
    const made = [...context.server.requests].filter((request) => request.method === 'POST' && (request.body as { number?: string }).number === reference);
    expect(made).toHaveLength(2);
    expect(context.server.throttled).toHaveLength(1);
    expect(context.server.order(retried.data!.createOrder.providerOrderId!)).toMatchObject({ status: 'ordered' });
  });

  it('a 3-D Secure resubmission turned away keeps the step; resubmitted again it completes', async () => {
    const order = await createOk(THREE_DS);
    expect(order.status).toBe('ACTION_REQUIRED');
    context.server.throttleNext('POST', '/v1/order');
    const resubmit = () => gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: { type: 'card', card: 'tok_3ds_done' } } }, context.shop);
    const first = await resubmit();
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const waiting = await settlesAt(order.id, 'ACTION_REQUIRED');
    expect(waiting.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const again = await resubmit();
    expect(again.errors).toBeUndefined();
    expect(again.data!.continueOrderCreation.status).toBe('AUTHORIZED');
  });

  it('a capture turned away is PROVIDER_UNAVAILABLE and not sent again at once; its retry under the same key charges once', async () => {
    const order = await createOk(CARD);
    const before = patches();
    context.server.throttleNext('PATCH');
    const first = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    // Only the request turned away: no second PATCH under the other capture word, nothing recorded on the order.
    expect(patches() - before).toBe(1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
    expect(context.server.order(order.providerOrderId!)!.event.filter((event) => event['type'] === 'fail')).toHaveLength(0);
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
    const first = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `ref-${order.id}` }] }]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 0 });
    const retried = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `ref-${order.id}` }] }]);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '5.00' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
  });
});

/** The same turned away in the other shapes: an API gateway's body, an Error answered 200, 408 and 425. */
describe.each([
  ["an API gateway's message", { throttleAnswer: 'message' }],
  ['its Error answered 200 (round four)', { errorsAt200: true }],
  ['408 with its Error', { throttleAnswer: 408 }],
  ['425 with its Error', { throttleAnswer: 425 }],
] as [string, IntergiroVariation][])('Intergiro, round sixteen: a request turned away as %s', (_name, variation) => {
  const { context, create, createOk, apply } = useIndependentIntergiro({ callbacks: 'none', ...variation });

  it('a card creation turned away is PROVIDER_UNAVAILABLE; the retry under its key makes one order', async () => {
    const reference = `turned-away-${Date.now()}`;
    context.server.throttleNext('POST', '/v1/order');
    const first = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.createOrder.status).toBe('AUTHORIZED');
  });

  it('a capture turned away is PROVIDER_UNAVAILABLE, sent once; its retry charges once', async () => {
    const order = await createOk(CARD);
    const before = context.server.requests.filter((request) => request.method === 'PATCH').length;
    context.server.throttleNext('PATCH');
    const first = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(context.server.requests.filter((request) => request.method === 'PATCH').length - before).toBe(1);
    const retried = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', idempotencyKey: `cap-${order.id}` }] }]);
    expect(retried.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
  });
});

/**
 * Two orders changed in one call, the echo holding only the element of the change Intergiro carried
 * out: the other order's element is not this order's answer.
 */
describe('Intergiro, round sixteen: a PATCH echo of only the changes carried out', () => {
  const { context, createOk, read, apply } = useIndependentIntergiro({ callbacks: 'none', echoCarriedOutOnly: true });

  it('captures of two orders, one cancelled at Intergiro: the other is CAPTURED from its own echo; the cancelled one is not captured', async () => {
    const cancelled = await createOk(CARD);
    const open = await createOk(CARD);
    context.server.cancelBehind(cancelled.providerOrderId!);
    const answer = await apply([
      { orderId: cancelled.id, events: [{ type: 'CAPTURE' }] },
      { orderId: open.id, events: [{ type: 'CAPTURE' }] },
    ]);
    expect(answer.errors?.map((error) => error.path?.at(-1))).toEqual([0]);
    expect(answer.data!.applyOrderEvents[1]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(context.server.order(open.providerOrderId!)).toMatchObject({ status: 'charged', charged: 2000 });
    expect(context.server.order(cancelled.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    expect((await read(cancelled.id)).payments[0]!.capturedAmount.amount).toBe('0.00');
  });

  it('refunds of two orders, one with less left at Intergiro: the other is refunded from its own echo; the refused one is not', async () => {
    const short = await createOk({ ...CARD, charge: true });
    const full = await createOk({ ...CARD, charge: true });
    context.server.refundBehind(short.providerOrderId!, 1800);
    const answer = await apply([
      { orderId: short.id, events: [{ type: 'REFUND', amount: '5.00' }] },
      { orderId: full.id, events: [{ type: 'REFUND', amount: '5.00' }] },
    ]);
    expect(answer.errors?.map((error) => error.path?.at(-1))).toEqual([0]);
    expect(answer.data!.applyOrderEvents[1]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '5.00' } }] });
    expect(context.server.order(full.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect(context.server.order(short.providerOrderId!)).toMatchObject({ refunded: 1800 });
    expect((await read(short.id)).payments[0]!.refundedAmount.amount).not.toBe('5.00');
  });
});
