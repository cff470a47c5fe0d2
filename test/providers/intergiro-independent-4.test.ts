/**
 * Round four against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for readings of the seed the first three rounds did not try:
 * - the order's status word while its payment link is unpaid: the seed shows only the payment's
 *   (`"status": "created"`) and writes the order's as "<Status of order>", so an implementer may
 *   call it `pending` (waiting for the buyer) or a word of its own;
 * - the verify endpoint where the seed's prose puts it (`/worker-order/order/verify`, no `/v1`),
 *   with the gateway checking callbacks through it (no callback secret);
 * - a PATCH answered 400 by an implementation that applies its elements in a loop and stops at
 *   the first one it cannot carry out (the elements before it applied), and the gateway's retry
 *   of a refused capture under its other word (round three);
 * - the status word after a capture written in the seed's own verb, `captured`;
 * - an Error of `POST /v1/order` answered 200 (the seed names no HTTP status for it);
 * - an order stopped for 3-D Secure called back (or listed) as `pending` while it waits for its step;
 * - `Content-Type: application/json` required on GETs, as the seed's listing request shows it;
 * - an authorized order called `authorized` (the seed speaks of "the authorization creation").
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import type { IntergiroServer, IntergiroServerOptions } from '../support/independent/intergiro-server.js';
import { INTERGIRO_TEST_BROWSER, postIntergiroCallback } from '../support/intergiro.js';
import { intergiroSecrets, useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const { callbackSecret: CALLBACK_SECRET } = intergiroSecrets('-4');
const RETURN_URLS = { success: 'https://shop.example/ok' };

type Variation = IntergiroVariation;
const useIndependentIntergiro = (variation: Variation) => useRound('-4', variation);

describe.each([['pending'], ['unpaid']])('Intergiro, round four: an unpaid payment link whose order says `%s`', (linkStatus) => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ linkStatus });

  it('the shop is handed the link (REDIRECT to payment.link), the order waits for the buyer, and the buyer paying it moves it', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    const link = `${context.server.url}/pay/${order.providerOrderId}`;
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: link } });
    expect(order.status).toBe('CREATED');
    // The order's word is shown as said; one the gateway does not know with its Info (CONTRACT §7).
    expect(order.providerStatus).toBe(linkStatus);
    if (linkStatus === 'unpaid') expect(order.creation.infos.map((info) => info.code)).toContain('provider.unknown_status');
    await context.server.payLink(order.providerOrderId!);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });
});

/**
 * The seed contradicts itself on where verify is: its prose says "use the /worker-order/order/verify
 * endpoint", its request line `POST /v1/worker-order/order/verify`. A gateway with neither callback
 * secret nor JWKS checks every callback there; an Intergiro serving the prose's path answers the
 * other 404, and every genuine callback was refused (401) as forged.
 */
describe('Intergiro, round four: verify served at the prose\'s /worker-order/order/verify (no callback secret at the gateway)', () => {
  const { context, createOk, read, settlesAt } = useIndependentIntergiro({ verifyPath: '/worker-order/order/verify', gatewayWithoutSecret: true });

  it('a payment link paid by the buyer: its callback is verified there (2xx) and the order is CAPTURED', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    await context.server.payLink(order.providerOrderId!);
    const sent = context.server.callbacksSent.filter((callback) => callback.orderId === order.providerOrderId);
    expect(sent.at(-1)?.status).toBe(200);
    expect((await settlesAt(order.id, 'CAPTURED')).payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
  });

  it('a forged token is refused (401) and changes nothing', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    const forged = await new SignJWT({ id: order.providerOrderId, status: 'charged', merchant: 'test' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode('not-the-callback-secret'));
    const answer = await postIntergiroCallback(context.gateway.url, forged);
    expect(answer.status).toBe(401);
    expect((await read(order.id)).status).toBe('CREATED');
  });
});

/** How many refund events of all PATCHes Intergiro received named `providerOrderId`. */
const refundsSentTo = (server: IntergiroServer, providerOrderId: string) =>
  server.requests
    .filter((request) => request.method === 'PATCH' && Array.isArray(request.body))
    .flatMap((request) => (request.body as { id: string; event: { type: string }[] }[]).filter((entry) => entry.id === providerOrderId))
    .flatMap((entry) => entry.event.filter((event) => event.type === 'refund')).length;

/**
 * An implementation that applies a PATCH's elements in a loop and answers 400 at the first event it
 * cannot carry out, the elements before it applied (the seed shows no refusal of a change). The
 * gateway sends one PATCH for several orders of one applyOrderEvents call, and (round three) sends a
 * PATCH refused as a whole once more with the capture under its other word: the refund of the first
 * order went to Intergiro twice.
 */
describe.each([
  ['its capture word is `charge`, the capture refused by the order\'s state', { patchRefusal: 'stop-midway' }],
  ['its capture word is `capture` (the seed\'s verb)', { patchRefusal: 'stop-midway', captureWords: ['capture'] }],
] as [string, Variation][])('Intergiro, round four: a PATCH stopped midway (%s)', (_name, variation) => {
  const { context, createOk, settlesAt, apply, read } = useIndependentIntergiro(variation);
  const refundsSent = (providerOrderId: string) => refundsSentTo(context.server, providerOrderId);

  it('a refund of one order and a capture of another in one call: the refund reaches Intergiro once', async () => {
    const charged = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER, charge: true });
    await settlesAt(charged.id, 'CAPTURED');
    const authorized = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(authorized.id, 'AUTHORIZED');
    // Cancelled at Intergiro itself: its capture is refused there, whatever the word.
    if (!variation.captureWords) context.server.cancelBehind(authorized.providerOrderId!);
    await apply([
      { orderId: charged.id, events: [{ type: 'REFUND', amount: '5.00' }] },
      { orderId: authorized.id, events: [{ type: 'CAPTURE' }] },
    ]);
    expect(refundsSent(charged.providerOrderId!)).toBe(1);
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ refunded: 500 });
  });

  /**
   * Found in round four, fixed since: the PATCH's 400 cannot say which of its events were carried
   * out before it, and every element used to be answered with it (PROVIDER_REJECTED): the refund
   * Intergiro carried out was reported refused, its idempotency key released, and the retry with
   * that key refunded twice. Each order is now read back (refused-batch.ts): what the read shows
   * took effect, what it does not show gets the refusal.
   */
  it('the refund carried out before the 400 is answered as done, the capture as refused, and a retry sends neither again', async () => {
    const charged = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER, charge: true });
    await settlesAt(charged.id, 'CAPTURED');
    const authorized = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(authorized.id, 'AUTHORIZED');
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
    expect((await read(authorized.id)).status).toBe('AUTHORIZED');
    // The refund again under its key: answered from the order, not sent.
    const again = await apply([elements[0]!]);
    expect(again.errors).toBeUndefined();
    expect(refundsSent(charged.providerOrderId!)).toBe(1);
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ refunded: 500 });
  });
});

/**
 * The same loop, its orders shown without their events: a read right after the 400 cannot tell a
 * refund carried out (the word `refunded` may have been there before) from one that was not.
 * Neither is answered refused: both are unknown (PROVIDER_UNAVAILABLE), their intents stay pending,
 * and reconciliation's read settles them. The refund is counted once and never sent again.
 */
describe('Intergiro, round four: a PATCH stopped midway, its orders read without events', () => {
  const { context, createOk, settlesAt, apply, read } = useRound('-4', { patchRefusal: 'stop-midway', readsWithoutEvents: true }, { reconcileIntervalMs: 200 });

  it('both elements are PROVIDER_UNAVAILABLE; reconciliation counts the refund once and finds the other order cancelled', async () => {
    const charged = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER, charge: true });
    await settlesAt(charged.id, 'CAPTURED');
    const authorized = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    await settlesAt(authorized.id, 'AUTHORIZED');
    context.server.cancelBehind(authorized.providerOrderId!);
    const refund = { orderId: charged.id, events: [{ type: 'REFUND', amount: '5.00', idempotencyKey: `unshown-${charged.id}` }] };
    const answer = await apply([refund, { orderId: authorized.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors?.map((error) => [error.path?.[1], error.extensions?.['code']]).sort()).toEqual([
      [0, 'PROVIDER_UNAVAILABLE'],
      [1, 'PROVIDER_UNAVAILABLE'],
    ]);
    const refunded = await settlesAt(charged.id, 'PARTIALLY_REFUNDED');
    expect(refunded.payments[0]).toMatchObject({ refundedAmount: { amount: '5.00' } });
    await settlesAt(authorized.id, 'CANCELLED');
    expect((await apply([refund])).errors).toBeUndefined();
    expect(refundsSentTo(context.server, charged.providerOrderId!)).toBe(1);
    expect(context.server.order(charged.providerOrderId!)).toMatchObject({ refunded: 500 });
    expect((await read(charged.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '5.00' } });
  });
});

/**
 * The status after a capture in the seed's own verb: an Intergiro that takes `capture` as the event
 * (round three) may well call the order `captured` after it, as CONTRACT §8's `charge` leads to
 * `charged`. Read as a word the gateway does not know, a payment link paid with charge "auto" stayed
 * CREATED for good.
 */
describe('Intergiro, round four: an order charged is `captured`', () => {
  const { context, createOk, settlesAt, apply } = useIndependentIntergiro({ chargedWord: 'captured', captureWords: ['capture'] });

  it('a payment link paid by the buyer with charge "auto" is CAPTURED', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS });
    await context.server.payLink(order.providerOrderId!);
    const paid = await settlesAt(order.id, 'CAPTURED');
    expect(paid.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect(paid.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
  });

  it('a card order with charge "auto" is CAPTURED at once; one captured through the gateway is too, and is refunded', async () => {
    const auto = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER, charge: true });
    expect(auto.status).toBe('CAPTURED');
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    await settlesAt(order.id, 'CAPTURED');
    // Charged for real: `charge` failed as an unknown type (an echo repeating the request, the
    // failure read back), `capture` went through, and is the word from then on.
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }])).errors).toBeUndefined();
    await settlesAt(order.id, 'REFUNDED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ refunded: 2000 });
    const second = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    const before = context.server.requests.length;
    expect((await apply([{ orderId: second.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect(context.server.requests.slice(before).filter((request) => request.method === 'PATCH').map((request) => request.body)).toMatchObject([[{ id: second.providerOrderId, event: [{ type: 'capture' }] }]]);
  });
});

/**
 * "On success, the response will be an Order, otherwise an Error will be returned together with the
 * id of the order": the seed names no HTTP status for the Error, and an implementation may answer
 * it 200 (the body says what it is). Read as an order, it was unreadable: PROVIDER_UNAVAILABLE, and
 * a card waiting for 3-D Secure was never stopped for it.
 */
describe('Intergiro, round four: Errors of POST /v1/order answered 200', () => {
  const { create, createOk, resubmit } = useIndependentIntergiro({ errorsAt200: true });

  it('"verification required" stops the order for 3-D Secure under Intergiro\'s id, and the resubmission completes it', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    expect(order.providerOrderId).toBeTruthy();
    const continued = await resubmit(order.id);
    expect(continued.errors).toBeUndefined();
    expect(continued.data!.continueOrderCreation).toMatchObject({ status: 'AUTHORIZED', providerOrderId: order.providerOrderId });
  });

  it('a declined card is PROVIDER_REJECTED with Intergiro\'s words, no order', async () => {
    const refused = await create({ paymentType: 'CARD', cardToken: 'tok_declined', browser: INTERGIRO_TEST_BROWSER });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    expect(refused.errors?.[0]?.message).toContain('card declined');
  });
});

/**
 * An order stopped for 3-D Secure exists at Intergiro (the Error carries its id), and an
 * implementation may call it back as it is (CONTRACT §8: a callback when an order is created), its
 * word `pending` (waiting for the step) or `created`, or none at all (the adapter reads a card
 * order without a word as `pending`). The callback may come before the Error's answer or after it.
 */
describe.each([
  ['`pending`, after the answer', { verificationCallback: 'pending' }],
  ['`created`, after the answer', { verificationCallback: 'created' }],
  ['`pending`, before the answer', { verificationCallback: 'pending', callbacks: 'before' }],
] as [string, Variation][])('Intergiro, round four: a card stopped for 3-D Secure, called back %s', (_name, variation) => {
  const { context, createOk, read, settlesAt, resubmit } = useIndependentIntergiro(variation);

  it('stays ACTION_REQUIRED with its THREE_DS step; the resubmission completes it', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('ACTION_REQUIRED');
    await eventually(async () => context.server.callbacksSent.some((callback) => callback.orderId === order.providerOrderId), 2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = await read(order.id);
    expect(waiting.status).toBe('ACTION_REQUIRED');
    expect(waiting.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const continued = await resubmit(order.id);
    expect(continued.errors).toBeUndefined();
    await settlesAt(order.id, 'AUTHORIZED');
  });
});

/**
 * `orders(filter)` brings the known orders it lists up to date with the listing's fact: a card order
 * Intergiro lists as `pending` while it waits for its 3-D Secure step was moved to PENDING, its
 * THREE_DS step dropped, and the shop's resubmission refused (INVALID_STATE). The adapter cannot
 * tell such a listed order from any other `pending` one; the listing now leaves an order stopped for
 * 3-D Secure alone unless it shows it past the step (src/domain/orders/list-orders.ts).
 */
describe('Intergiro, round four: a card stopped for 3-D Secure, listed as `pending` while the back office lists orders', () => {
  const { context, createOk, read, settlesAt, resubmit } = useIndependentIntergiro({ verificationCallback: 'pending', callbacks: 'none' });

  it('stays ACTION_REQUIRED with its THREE_DS step; the resubmission completes it', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('ACTION_REQUIRED');
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gqlOk<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, context.backOffice);
    expect(listed.orders.nodes.find((node) => node.id === order.id)?.status).toBe('ACTION_REQUIRED');
    const waiting = await read(order.id);
    expect(waiting.status).toBe('ACTION_REQUIRED');
    expect(waiting.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const continued = await resubmit(order.id);
    expect(continued.errors).toBeUndefined();
    await settlesAt(order.id, 'AUTHORIZED');
  });
});

/**
 * The seed's listing request (`GET /v1/order?start=...&end=...`) shows `Content-Type:
 * application/json` though it has no body, as every request of the seed but verify's. An
 * implementation that checks the header on every request refused the gateway's reads (415):
 * re-reads, lost creations and orders(filter) all failed.
 */
describe('Intergiro, round four: Content-Type: application/json required on GETs too', () => {
  const { context, createOk } = useIndependentIntergiro({ contentTypeOnGet: true, callbacks: 'none' });

  it('orders(filter) lists today\'s orders', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true }, { returnUrls: RETURN_URLS, reference: 'ct-on-get' });
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, context.backOffice);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ reference: 'ct-on-get', status: 'CREATED' });
    expect(context.server.refused).toEqual([]);
  });
});

/**
 * The seed shows no word for an order whose card is authorized and not yet charged; it speaks of
 * "the authorization creation" (3-D Secure). An implementation may call it `authorized`.
 */
describe('Intergiro, round four: an authorized order is `authorized`', () => {
  const { context, createOk, settlesAt, apply } = useIndependentIntergiro({ orderedWord: 'authorized' });

  it('a card order is AUTHORIZED and captured', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('AUTHORIZED');
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    await settlesAt(order.id, 'CAPTURED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

/**
 * "You should get a 200 response with the same changes you requested in the body": an
 * implementation that carries the change out after answering (its outcome comes with the callback)
 * may answer 202, or leave the echo out (204, or an empty 200).
 */
describe.each([[202], [204], ['empty']] as [IntergiroServerOptions['patchAnswer']][])('Intergiro, round four: a PATCH answered %s', (patchAnswer) => {
  const { context, createOk, settlesAt, apply } = useIndependentIntergiro({ patchAnswer });

  it('a capture is answered CAPTURED, charged once; a refund then REFUNDED', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }])).errors).toBeUndefined();
    await settlesAt(order.id, 'REFUNDED');
    expect(context.server.requests.filter((request) => request.method === 'PATCH').length).toBe(2);
  });
});

/**
 * The seed's merchant-initiated and verify answers write `"payment": "<Card payment>"`, in quotes,
 * like the order's id: an implementation may answer a card or customer order's payment as a string
 * (its id). Read as an unreadable order, the creation's answer was PROVIDER_UNAVAILABLE though the
 * order was made, and the listing could not show it either.
 */
describe('Intergiro, round four: a card or customer payment answered as a string', () => {
  const { context, createOk, settlesAt, apply } = useIndependentIntergiro({ cardPaymentAs: 'id' });

  it('a merchant-initiated order is AUTHORIZED, captured once, its payment\'s reference shown', async () => {
    const order = await createOk({ paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' }, {}, 'merchant');
    expect(order.status).toBe('AUTHORIZED');
    expect(order.payments[0]).toMatchObject({ providerReference: `pay_${order.providerOrderId}` });
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    await settlesAt(order.id, 'CAPTURED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

/**
 * The shopper's browser sends the 3-D Secure result twice at once (a double click, a retry of a
 * slow answer): the seed's resubmission is a POST under the same id, which an Intergiro may carry
 * out twice (two authorizations) if both reach it.
 */
describe('Intergiro, round four: the 3-D Secure result resubmitted twice at once', () => {
  const { context, createOk, settlesAt, resubmit } = useIndependentIntergiro({});

  it('Intergiro is sent one resubmission; both callers get the order', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('ACTION_REQUIRED');
    const answers = await Promise.all([resubmit(order.id), resubmit(order.id)]);
    const resubmissions = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order' && (request.body as { id?: string }).id === order.providerOrderId);
    expect(resubmissions.length).toBe(1);
    expect(answers.filter((answer) => answer.data?.continueOrderCreation?.status === 'AUTHORIZED').length).toBeGreaterThanOrEqual(1);
    await settlesAt(order.id, 'AUTHORIZED');
  });
});

/**
 * Found in round four, fixed since: the only status word the seed shows is `created` (the payment
 * link's payment), and an implementation may keep a card order `created` once its card is
 * authorized, its `order` event listed, until it is charged. Read by its word alone the order was
 * CREATED (CONTRACT §7: nobody has paid), so the gateway refused to capture it (INVALID_STATE) and
 * the back office never could. A first word beside events that went further is now read by the
 * events (amounts.ts, statusWordOf); under CONTRACT §8 the two never disagree.
 */
describe('Intergiro, round four: an authorized card order left `created`', () => {
  const { createOk, apply, read } = useIndependentIntergiro({ orderedWord: 'created' });

  it('a card order it answers `created` can be captured through the gateway', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER });
    expect(order.status).toBe('AUTHORIZED');
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect((await read(order.id)).status).toBe('CAPTURED');
  });
});

/**
 * The same order called back with a genuine token past its `exp` (a callback retried after an
 * outage): refused (401), and the order it names read from Intergiro now, which lists it `pending`
 * while it waits for its step. Taken as it was read, that read dropped the step as the callback did.
 */
describe('Intergiro, round four: a card stopped for 3-D Secure, called back late with an expired token', () => {
  const { context, createOk, read } = useIndependentIntergiro({ verificationCallback: 'pending', callbacks: 'none' });

  it('the callback is 401 and the order stays ACTION_REQUIRED with its THREE_DS step', async () => {
    const order = await createOk({ paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER });
    const past = Math.floor(Date.now() / 1000) - 3600;
    const created = context.server.order(order.providerOrderId!)!.created;
    const token = await new SignJWT({ id: order.providerOrderId, created, merchant: 'test', status: 'pending' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(new TextEncoder().encode(CALLBACK_SECRET));
    const answer = await postIntergiroCallback(context.gateway.url, token);
    expect(answer.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const waiting = await read(order.id);
    expect(waiting.status).toBe('ACTION_REQUIRED');
    expect(waiting.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
  });
});
