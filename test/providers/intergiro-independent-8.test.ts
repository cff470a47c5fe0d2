/**
 * Round eight against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for what the seed says in passing and the first seven rounds did not take at its word:
 * - the listing's range: the seed "highly recommends" the dates "to optimize behaviour" and shows a
 *   month (start=2000-01-01&end=2000-02-01, 31 days apart); an Intergiro taking no more than that
 *   (`listMaxDays`);
 * - `"charge": "auto", // optional`, and nothing of when: an Intergiro that authorizes at once and
 *   charges as a job of its own a moment later (`autoChargeDelayMs`), its callback lost;
 * - "an Error will be returned together with the id of the order" and "Include the id from the error
 *   response in the request body for all following calls to the order-create endpoint, concerning
 *   the same order": an Intergiro keeping one order per merchant `number`, refusing a creation sent
 *   again under it with 409 and the id of the order holding it, or answering that order
 *   (`numberOnce`), and keeping a declined card's order for a resubmission under its id (`declinedKept`);
 * - the Error's fields: its `status` written as a word (`"error"`), not the HTTP status (`errorStatusAs`);
 * - an event's `date` (no seed shows an event) as a JSON number, epoch milliseconds (`eventDatesAs`).
 * Broke, fixed in src/providers/intergiro: every `orders` query without `from` (or with one over a
 * month back) asked 33 days and was refused, the query failing where it named INTERGIRO (index.ts
 * listOrders); an order whose automatic charge Intergiro made after answering stayed AUTHORIZED for
 * good without its callback (index.ts needsReconciliation); a retry under the same key of a creation
 * Intergiro made and answered with its own 500, its listing lagging, was refused for its number and
 * answered PROVIDER_REJECTED, the intent dropped while Intergiro held (and had charged) the order
 * (index.ts madeBefore, mapping.ts saysNumberTaken); an Error whose `status` was a word was
 * unreadable as a whole, so a card's "verification required" was a plain refusal and the card could
 * never be paid (wire.ts IntergiroError: each field read on its own); an event dated with a number
 * made its whole order unreadable, so no card order could be created (wire.ts IntergiroEvent: a
 * numeric date read as epoch ms or s, its other unread fields tolerant).
 * Left (it.fails): a shop's second attempt under its own reference after a declined card, at an
 * Intergiro that wants the declined order's id for it (refused for good): it needs the domain, as
 * only the store knows whether the Intergiro order named is another gateway order's. A second
 * order under a paid order's reference, at an Intergiro answering the order that holds the number
 * (shown CAPTURED, no money moved), is refused since security probe 2 (create-once.ts). Not fixed: a retry under the same key of a creation under the
 * shop's own reference refused for its number (as the fixed case, but a reference may be reused, so
 * the order named may be another's) stays PROVIDER_REJECTED, as before.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long) unless a suite says
 * otherwise, so an order that moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { gql } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { intergiroSecrets, useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-8', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * An Intergiro that lists a month at most (31 days from `start` to `end`, its example's range) and
 * refuses more (400). The gateway asked 31 days before today and two after it (its `end` may be
 * excluded, its days its own zone's): 33, refused, and `orders(filter: {provider: INTERGIRO})`
 * without `from` failed as a whole (PROVIDER_REJECTED), as did any range reaching over a month back.
 */
describe('Intergiro, round eight: a listing of a month at most', () => {
  const { context } = useIndependentIntergiro({ listMaxDays: 31, callbacks: 'none' });

  /** An order the merchant made at Intergiro without the gateway (its own systems), to be adopted from the listing. */
  const madeElsewhere = async (): Promise<string> => {
    const answer = await fetch(`${context.server.url}/v1/order`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intergiroSecrets('-8').apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ number: `elsewhere-${Date.now()}`, items: 7.5, currency: 'EUR', payment: { type: 'card', card: 'tok_ok' } }),
    });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { id: string }).id;
  };
  const listed = (filter: Record<string, unknown>) =>
    gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', ...filter }, first: 100 }, context.backOffice);

  it('orders without dates answers, and adopts an order made at Intergiro today', async () => {
    const id = await madeElsewhere();
    const answer = await listed({});
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.orders.nodes.find((node) => node.providerOrderId === id)).toMatchObject({ status: 'AUTHORIZED', total: { amount: '7.50' } });
    expect(context.server.refused.filter((refusal) => refusal.method === 'GET')).toEqual([]);
  });

  it('orders from 90 days back to today answers too, Intergiro asked a month at most', async () => {
    const id = await madeElsewhere();
    const answer = await listed({ from: day(-90), to: day(0) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.orders.nodes.some((node) => node.providerOrderId === id)).toBe(true);
    expect(context.server.refused.filter((refusal) => refusal.method === 'GET')).toEqual([]);
  });
});

/**
 * charge "auto" carried out by Intergiro a moment after it answered the creation `ordered` (the
 * seed says nothing of when), its callback lost. The gateway re-read an authorized order never: it
 * stayed AUTHORIZED for good while Intergiro had charged it, and a shop waiting for CAPTURED to ship
 * waited for ever. Re-read every 200 ms here, as a waiting order is.
 */
describe('Intergiro, round eight: charge "auto" carried out after the answer, no callback', () => {
  const { context, createOk, settlesAt, apply, read, resubmit } = useRound('-8', { autoChargeDelayMs: 300, callbacks: 'none' }, { reconcileIntervalMs: 200 });

  it('a card order answered AUTHORIZED is CAPTURED once Intergiro charged it, and can be refunded', async () => {
    const order = await createOk({ ...CARD, charge: true });
    expect(order.status).toBe('AUTHORIZED');
    const charged = await settlesAt(order.id, 'CAPTURED');
    expect(charged.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }])).errors).toBeUndefined();
    expect((await read(order.id)).payments[0]).toMatchObject({ refundedAmount: { amount: '5.00' } });
  });

  it('a card order with 3-D Secure, AUTHORIZED once verified, is CAPTURED once Intergiro charged it', async () => {
    const order = await createOk({ ...CARD, cardToken: 'tok_3ds', charge: true });
    expect(order.status).toBe('ACTION_REQUIRED');
    const verified = await resubmit(order.id);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.continueOrderCreation.status).toBe('AUTHORIZED');
    await settlesAt(order.id, 'CAPTURED');
  });

  it('an order without charge "auto" is not re-read while AUTHORIZED', async () => {
    const order = await createOk(CARD);
    const reads = () => context.server.requests.filter((request) => request.method === 'GET').length;
    const before = reads();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await read(order.id)).status).toBe('AUTHORIZED');
    expect(reads()).toBe(before);
  });
});

/** The same for a payment link with charge "auto": paid by its buyer, authorized, and charged 1.5 s later. */
describe('Intergiro, round eight: a payment link\'s charge "auto" carried out after the buyer paid, no callback', () => {
  const { context, createOk, settlesAt } = useRound('-8', { autoChargeDelayMs: 1500, callbacks: 'none' }, { reconcileIntervalMs: 200 });

  it('the link paid is AUTHORIZED, then CAPTURED once Intergiro charged it', async () => {
    const order = await createOk({ paymentType: 'LINK', charge: true });
    expect(order.status).toBe('CREATED');
    await context.server.payLink(order.providerOrderId!);
    await settlesAt(order.id, 'AUTHORIZED', 1400);
    const charged = await settlesAt(order.id, 'CAPTURED');
    expect(charged.payments[0]).toMatchObject({ capturedAmount: { amount: '20.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

/**
 * One order per merchant `number`, behind a listing that lags its writes by 2.2 s (more than the
 * 1.5 s a lost creation's search waits for). The creation Intergiro made and charged (charge "auto")
 * answered its own 500; the retry under the same key found nothing listed, took the creation as
 * surely absent and sent it again under the same number (the gateway's order id): Intergiro refused
 * it, 409, naming the order it had made. Answered PROVIDER_REJECTED, the creation's intent was
 * dropped: 20.00 charged at Intergiro and no order at the gateway, and a new key would charge again.
 */
describe('Intergiro, round eight: one order per number, a creation answered 500 after it was made, its listing lagging 2.2 s', () => {
  const { context, create } = useIndependentIntergiro({ numberOnce: true, readLagMs: 2200, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;

  it('the retry refused for its number answers the order Intergiro made, charged once', async () => {
    const idempotencyKey = `number-once-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 500, '/v1/order');
    const first = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(first.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_UNAVAILABLE']);
    const again = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(again.errors).toBeUndefined();
    const made = again.data!.createOrder;
    expect(made).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(posts()).toBe(before + 2);
    expect(context.server.order(made.providerOrderId!)).toMatchObject({ charged: 2000, number: made.id });
    // A repeat answers the same order, sending nothing.
    const repeat = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(repeat.data?.createOrder.id).toBe(made.id);
    expect(posts()).toBe(before + 2);
  });

  it('a declined card is still refused (PROVIDER_REJECTED): its Error names its own order, not a number taken', async () => {
    const answer = await create({ ...CARD, cardToken: 'tok_declined' });
    expect(answer.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
  });
});

/**
 * The same, its listing lagging 4.5 s: the order the 409 names cannot be read yet (read twice, 1.5 s
 * apart). Its outcome is unknown, not refused: the creation's intent stays, and the next retry
 * under the key finds the order once Intergiro lists it, sending nothing again.
 */
describe('Intergiro, round eight: one order per number, its listing lagging 4.5 s', () => {
  const { context, create } = useIndependentIntergiro({ numberOnce: true, readLagMs: 4500, callbacks: 'none' });
  const posts = () => context.server.requests.filter((request) => request.method === 'POST' && request.path === '/v1/order').length;

  it('the retry refused for its number is PROVIDER_UNAVAILABLE; the next one answers the order made', async () => {
    const idempotencyKey = `number-once-unread-${Date.now()}`;
    const before = posts();
    context.server.loseNext('POST', 500, '/v1/order');
    const started = Date.now();
    const first = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(first.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_UNAVAILABLE']);
    const again = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(again.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_UNAVAILABLE']);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 5000 - Date.now())));
    const found = await create({ ...CARD, charge: true }, { idempotencyKey });
    expect(found.errors).toBeUndefined();
    expect(found.data!.createOrder).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
    expect(posts()).toBe(before + 2);
    expect(context.server.order(found.data!.createOrder.providerOrderId!)).toMatchObject({ charged: 2000 });
  }, 20_000);
});

/**
 * Errors whose `status` is a word (`"error"`), not the HTTP status: the seed shows no Error body
 * ("an Error will be returned together with the id of the order"). One field of another type than
 * CONTRACT §8's example made the whole Error unreadable: its words and its id were lost, so a card
 * needing 3-D Secure was refused (PROVIDER_REJECTED coded "400") and could never be paid, or (an
 * Error answered 200) the creation was PROVIDER_UNAVAILABLE; a decline lost its words.
 */
describe.each([
  ['answered 400', {}],
  ['answered 200', { errorsAt200: true }],
] as [string, IntergiroVariation][])('Intergiro, round eight: Errors whose `status` is a word, %s', (_name, variation) => {
  const { createOk, create, resubmit } = useIndependentIntergiro({ errorStatusAs: 'word', callbacks: 'none', ...variation });

  it('a card needing 3-D Secure stops for it, and is AUTHORIZED once verified', async () => {
    const order = await createOk({ ...CARD, cardToken: 'tok_3ds' });
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    const verified = await resubmit(order.id);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.continueOrderCreation.status).toBe('AUTHORIZED');
  });

  it('a declined card is PROVIDER_REJECTED in Intergiro\'s words', async () => {
    const answer = await create({ ...CARD, cardToken: 'tok_declined' });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'malformed content' });
    expect(answer.errors?.[0]?.message).toContain('card declined');
  });
});

/**
 * Events dated in epoch milliseconds (`"date": 1765000000000`): the seed shows no event, so not
 * how one is dated. An event's `date` read only as a string made the whole order unreadable: a card
 * order Intergiro made and authorized was PROVIDER_UNAVAILABLE at its creation, then unreadable in
 * every listing (its lost creation never found), so no card order could be taken at all.
 */
describe.each([
  ['answered', { callbacks: 'none' }],
  ['answered and called back', { callbacks: 'after' }],
] as [string, IntergiroVariation][])('Intergiro, round eight: events dated in epoch milliseconds, %s', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ eventDatesAs: 'epoch-ms', ...variation });

  it('a card order is AUTHORIZED, captured in part and refunded in part, the figures Intergiro\'s', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '12.34' }] }])).errors).toBeUndefined();
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.34' }] }])).errors).toBeUndefined();
    const after = await read(order.id);
    expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '12.34' }, refundedAmount: { amount: '2.34' } }] });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1234, refunded: 234 });
  });

  it('a card order with charge "auto" is CAPTURED at once', async () => {
    const order = await createOk({ ...CARD, charge: true });
    expect(order).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '20.00' } }] });
  });
});

/**
 * The seed's "following calls ... concerning the same order": the shop's buyer, declined, tries
 * another card under the shop's own reference. Intergiro keeps the declined order and one order per
 * number: a creation under that number without the declined order's id is refused (409, with the
 * id). The gateway sends a new order's creatable without the id and answers PROVIDER_REJECTED, so
 * the buyer can never pay for that reference through the gateway.
 */
describe('Intergiro, round eight: a second card under the shop\'s reference after a decline', () => {
  const { create } = useIndependentIntergiro({ numberOnce: true, declinedKept: true, callbacks: 'none' });

  /**
   * Fails: the adapter could resubmit under the id the 409 names (its order read `denied`), but the
   * declined attempt may be a gateway order of its own (a FAILED one, where Intergiro answers a
   * decline as an order `denied`; or one stopped at its 3-D Secure step, whose order the new one
   * would take over): two gateway orders would then name one Intergiro order, and the store keeps
   * one order per provider order id. Telling the new order to continue the earlier one is the
   * domain's to decide (createOrder knows nothing of earlier orders under a reference), so it is left.
   */
  it.fails('the second attempt is AUTHORIZED, under the declined order\'s id (fails: PROVIDER_REJECTED, the number taken)', async () => {
    const reference = `second-card-${Date.now()}`;
    const declined = await create({ ...CARD, cardToken: 'tok_declined' }, { reference });
    expect(declined.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
    const second = await create(CARD, { reference });
    expect(second.errors).toBeUndefined();
    expect(second.data!.createOrder.status).toBe('AUTHORIZED');
  });
});

/**
 * An Intergiro whose creation is idempotent by its `number`: a creation under a number an order
 * already carries is answered with that order, as it stands. A shop that creates a second order
 * under the reference of one already paid is answered the paid one: the gateway stored a second
 * order CAPTURED, under the first one's Intergiro id, for which no money moved. Fixed in the
 * domain (security probe 2, create-once.ts): an answer naming a provider order another gateway
 * order holds is refused (PROVIDER_REJECTED, field `reference`), for every provider.
 */
describe('Intergiro, round eight: one order per number, the order holding it answered', () => {
  const { create, createOk } = useIndependentIntergiro({ numberOnce: 'answer', callbacks: 'none' });

  /**
   * Nothing in the answer tells it from a new order but its `created` (before the call), and
   * Intergiro's clock, or a `created` written without its zone (round six), may be off by hours.
   * What does tell is that the Intergiro order answered is already another gateway order's, which
   * only the store knows: the domain's creation (create-once.ts) refuses it.
   */
  it('a second order under a paid order\'s reference is not shown CAPTURED', async () => {
    const reference = `paid-ref-${Date.now()}`;
    const first = await createOk({ ...CARD, charge: true }, { reference });
    expect(first.status).toBe('CAPTURED');
    const second = await create({ ...CARD, charge: true }, { reference });
    expect(second.data?.createOrder?.providerOrderId).not.toBe(first.providerOrderId);
    expect(second.data?.createOrder?.status).not.toBe('CAPTURED');
    expect(second.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
  });
});
