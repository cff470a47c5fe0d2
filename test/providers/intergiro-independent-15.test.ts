/**
 * Round fifteen against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for the seed's first two paragraphs on the paths the first fourteen rounds took only in their
 * default shape:
 * - "Whenever a verification required error is returned, 3D Secure needs to be performed.": it names
 *   no payment type. An Intergiro may stop a merchant-initiated order (`payment: {type: "customer"}`)
 *   so, as an issuer may ask for the cardholder on a saved card the merchant charges
 *   (`customerVerification`); the seed's way through is its saved-card flow, the payment method
 *   converted into a Card Payment Creatable (<intergiro-payment-update>) and the Order Creatable
 *   resubmitted with that payment and the customer, under the id the Error gave;
 * - "IMPORTANT: Include the id from the error response in the request body for all following calls
 *   to the order-create endpoint, concerning the same order": a "verification required" whose answer
 *   was lost (a reset), at an Intergiro that keeps the order waiting for its step and lists it
 *   (round four's `verificationCallback`), met by the shop's retry under the same key; with and
 *   without charge "auto".
 * Broke, fixed in src/providers/intergiro:
 * - a merchant-initiated order stopped for the step could never be continued: every
 *   continueOrderCreation was an unexpected error (INTERNAL_SERVER_ERROR), the resubmission refused
 *   by the adapter itself (mapping.ts toVerifiedCreatable took card payments only). It now
 *   resubmits the Card Payment Creatable given as the result, the customer kept, under the order's
 *   id; any other result is BAD_USER_INPUT, nothing sent (mapping.ts toVerifiedSavedCard).
 * - a lost "verification required" was found by the retry's search of the listing, and the order
 *   listed waiting (`pending`, `created`) was adopted as it read: PENDING (or CREATED) with its
 *   creation COMPLETED and no THREE_DS step, so the buyer was never shown the step and the order
 *   never moved (nothing charged). A card or customer order the search finds under its own word
 *   `pending` or `created`, listing no event yet (not a `pend`), now stops for it (index.ts waitsForItsStep,
 *   foundWaiting) without the Error's details (they went with the lost answer; the README's
 *   assumptions have the shop's Intergiro component perform a step handed out without them), and
 *   the resubmission goes under the listed order's id as the seed's IMPORTANT sentence asks, with the
 *   creation's number, items, currency and callback, its charge "auto" as the creation's intent kept
 *   it (index.ts creationLookup: a boolean, no card token) and its customer as listed
 *   (mapping.ts toResumableCreatable). The card token is not kept: only a result that carries a card
 *   (the component's Card Payment Creatable) can go; any other is BAD_USER_INPUT, nothing sent.
 * Left: an order found without a word of its own (read as `pending`) is adopted PENDING as before
 * (a listing that says less is not taken for a step; since round seventeen one whose event list is
 * shown empty stops for it, intergiro-independent-17.test.ts); a browser's `client` and a saved card's
 * `subsequent` are not sent again on such a resubmission (the intent keeps neither, and a 3-D
 * Secure result may not carry `subsequent`). Where Intergiro does not keep the waiting order, the
 * retry finds nothing and, past the settling time, the creation is made again under a new order id
 * (a new step), as before (the control below). Earlier rounds' it.fails stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer.
 */
import { describe, expect, it } from 'vitest';
import { CONTINUE_ORDER, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-15', variation);
const THREE_DS = { paymentType: 'CARD', cardToken: 'tok_3ds', browser: INTERGIRO_TEST_BROWSER };
const CUSTOMER = { paymentType: 'CUSTOMER', customerId: 'TjbHYXXn6yEdhLgS' };
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

/**
 * A merchant-initiated order Intergiro stops with "verification required": the merchant's systems
 * get the THREE_DS step (as for a card), and the cardholder's saved-card flow gives the Card Payment
 * Creatable it is continued with. Before, every continuation was INTERNAL_SERVER_ERROR: the order
 * could never be paid.
 */
describe('Intergiro, round fifteen: a merchant-initiated order answered "verification required"', () => {
  const { context, createOk, settlesAt, apply } = useIndependentIntergiro({ customerVerification: true, callbacks: 'none' });
  const resume = (orderId: string, threeDS: Record<string, unknown>) =>
    gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId, threeDS } }, context.merchant);

  it('stops for the step, and the Card Payment Creatable of the saved-card flow completes it under its id', async () => {
    const order = await createOk(CUSTOMER, {}, 'merchant');
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const continued = await resume(order.id, { type: 'card', card: 'tok_saved_verified' });
    expect(continued.errors).toBeUndefined();
    expect(continued.data!.continueOrderCreation.status).toBe('AUTHORIZED');
    // The seed's saved-card order: the component's payment on the payment field, the customer kept, the Error's id.
    const resubmitted = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').at(-1)?.body;
    expect(resubmitted).toMatchObject({
      id: order.providerOrderId,
      customer: CUSTOMER.customerId,
      payment: { type: 'card', card: 'tok_saved_verified' },
    });
    await settlesAt(order.id, 'AUTHORIZED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
    // Its money then moves once, as any authorized order's: a capture, a partial refund.
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(captured.errors).toBeUndefined();
    const refunded = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }]);
    expect(refunded.errors).toBeUndefined();
    expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '20.00' }, refundedAmount: { amount: '5.00' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
  });

  it('a result that is no card payment is BAD_USER_INPUT, nothing resubmitted, the step kept', async () => {
    const order = await createOk(CUSTOMER, {}, 'merchant');
    expect(order.status).toBe('ACTION_REQUIRED');
    const posts = context.server.requests.filter((request) => request.method === 'POST').length;
    const continued = await resume(order.id, { type: 'challenge', threeDSServerTransID: 'tx-1', cres: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ' });
    expect(codes(continued.errors)).toEqual(['BAD_USER_INPUT']);
    expect(context.server.requests.filter((request) => request.method === 'POST').length).toBe(posts);
    const again = await resume(order.id, { type: 'card', card: 'tok_saved_verified' });
    expect(again.errors).toBeUndefined();
    expect(again.data!.continueOrderCreation.status).toBe('AUTHORIZED');
  });
});

/**
 * The same under the Error shapes earlier rounds varied for a card (round nine's nested Error
 * answered 200, round one's bare `{id, error}`, a `message` answered 402): each is the step.
 */
describe.each([
  ['nested beside the id, answered 200', { errorShape: 'nested', errorsAt200: true }],
  ['as only the id and its words', { verificationError: 'minimal' }],
  ['as a message, answered 402', { verificationError: 'message', errorStatus: 402 }],
] as [string, IntergiroVariation][])('Intergiro, round fifteen: a merchant-initiated order\'s "verification required" %s', (_name, variation) => {
  const { context, createOk, settlesAt } = useIndependentIntergiro({ customerVerification: true, callbacks: 'none', ...variation });

  it('stops for the step and is completed under its id', async () => {
    const order = await createOk(CUSTOMER, {}, 'merchant');
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const continued = await gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: { type: 'card', card: 'tok_saved_verified' } } }, context.merchant);
    expect(continued.errors).toBeUndefined();
    await settlesAt(order.id, 'AUTHORIZED');
  });
});

/**
 * The same at an Intergiro that keeps the order waiting for its step, lists it and calls it back
 * (round four's `verificationCallback`): the callback of a waiting customer order leaves its step.
 */
describe('Intergiro, round fifteen: a merchant-initiated order stopped for verification, kept `pending` and called back', () => {
  const { context, createOk, read, settlesAt } = useIndependentIntergiro({ customerVerification: true, verificationCallback: 'pending' });

  it('stays ACTION_REQUIRED with its step after the callback; the saved-card flow completes it', async () => {
    const order = await createOk(CUSTOMER, {}, 'merchant');
    expect(order.status).toBe('ACTION_REQUIRED');
    await eventually(async () => context.server.callbacksSent.some((callback) => callback.orderId === order.providerOrderId), 2000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = await read(order.id);
    expect(waiting.status).toBe('ACTION_REQUIRED');
    expect(waiting.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    const continued = await gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: { type: 'card', card: 'tok_saved_verified' } } }, context.merchant);
    expect(continued.errors).toBeUndefined();
    await settlesAt(order.id, 'AUTHORIZED');
  });
});

/**
 * A card's "verification required" carried out at Intergiro and its answer lost (a reset), at an
 * Intergiro that keeps the order waiting for its step and lists it. The shop's retry under the same
 * key finds it in the listing; adopted as listed it was PENDING (or CREATED), its creation
 * COMPLETED, no step to show the buyer, and the order never moved. It stops for the step now
 * (without the Error's details, which went with the lost answer), and the shop's resubmission goes
 * under the listed order's id, with the creation's number, items, callback and charge.
 */
describe.each([
  ['`pending`', { verificationCallback: 'pending', callbacks: 'none' }, false],
  ['`created`', { verificationCallback: 'created', callbacks: 'none' }, false],
  ['`pending`, charge "auto"', { verificationCallback: 'pending', callbacks: 'none' }, true],
] as [string, IntergiroVariation, boolean][])('Intergiro, round fifteen: a 3-D Secure step whose answer was lost, the order listed %s while it waits', (_name, variation, charge) => {
  const { context, create, settlesAt, resubmit } = useIndependentIntergiro(variation);
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order');

  it('the retry under the same key hands out the THREE_DS step, and the resubmission completes the order under its id', async () => {
    const idempotencyKey = `lost-3ds-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    const first = await create({ ...THREE_DS, charge }, { idempotencyKey });
    expect(codes(first.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await create({ ...THREE_DS, charge }, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    // Nothing was charged, and no second order made: the one Intergiro keeps is the order.
    expect(posts()).toHaveLength(1);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 0 });
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation).toMatchObject({ status: 'STOPPED', stopAction: { type: 'THREE_DS' } });
    // A result that carries no card cannot go: the card token was not kept.
    const bare = await gql<{ continueOrderCreation: OrderView }>(context.gateway.url, CONTINUE_ORDER, { input: { orderId: order.id, threeDS: { cres: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ' } } }, context.shop);
    expect(codes(bare.errors)).toEqual(['BAD_USER_INPUT']);
    expect(posts()).toHaveLength(1);
    expect((await resubmit(order.id)).errors).toBeUndefined();
    expect(posts().at(-1)?.body).toMatchObject({
      id: order.providerOrderId,
      number: order.id,
      items: 20,
      currency: 'EUR',
      callback: expect.stringMatching(/\/webhooks\/intergiro$/),
      payment: { type: 'card', card: 'tok_3ds_done' },
      ...(charge ? { charge: 'auto' } : {}),
    });
    await settlesAt(order.id, charge ? 'CAPTURED' : 'AUTHORIZED');
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: charge ? 2000 : 0 });
  }, 20_000);
});

/**
 * The control: an Intergiro that keeps no order for a step not taken (the default) lists nothing;
 * the retry is told to come back while the first call may still be settling, and past that makes
 * the creation again, its step handed out, one order authorized.
 */
describe('Intergiro, round fifteen: a 3-D Secure step whose answer was lost, the order not kept while it waits', () => {
  const { context, create, settlesAt, resubmit } = useIndependentIntergiro({ callbacks: 'none' });

  it('the retry past the settling time hands out a step, and the resubmission completes the order once', async () => {
    const idempotencyKey = `lost-3ds-unkept-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    expect(codes((await create(THREE_DS, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(codes((await create(THREE_DS, { idempotencyKey })).errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const retried = await create(THREE_DS, { idempotencyKey });
    expect(retried.errors).toBeUndefined();
    const order = retried.data!.createOrder;
    expect(order.status).toBe('ACTION_REQUIRED');
    expect(order.creation.stopAction).toMatchObject({ type: 'THREE_DS' });
    expect((await resubmit(order.id)).errors).toBeUndefined();
    await settlesAt(order.id, 'AUTHORIZED');
    // Three creations (the lost one; the one past settling, under the order's new id; its resubmission), one order authorized.
    const posts = context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').map((request) => request.body as { number?: string; id?: string });
    expect(posts).toHaveLength(3);
    expect(posts.slice(1)).toMatchObject([{ number: order.id }, { number: order.id, id: order.providerOrderId }]);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'ordered', charged: 0 });
  }, 20_000);
});
