/**
 * Round eleven against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for round ten's leftover, the amounts of a status list (`{"ordered": 0, "charged": 12.34}`), at an
 * Intergiro whose reads carry no events (round one's `readsWithoutEvents`) or events without their
 * amounts (round seven's `eventsWithoutAmounts`), so the list is all an answer says of how much moved:
 * - a part of an authorized order charged at Intergiro's back office (12.34 of 20.00), seen in
 *   `orders(filter)` and the re-reads it sets off, or met by the shop's own capture (its read back);
 * - a part of a charge refunded at Intergiro's back office (5.00 of 20.00), seen in `orders(filter)`
 *   or in the callback of the shop's own next refund;
 * - a second partial refund whose answer was lost (round seven's it.fails, here beside a list);
 * - lists whose amounts are the order's, not money moved: its one word with the order's amount
 *   (`{"refunded": 20}`), each word reached with it (`statusAs` `word-amount`, `reached`);
 * and, new: "<datetime of order>" written as a JSON number, epoch ms or s (`createdFormat`
 * `epoch-ms`, `epoch-s`), as the seed quotes "<Amount of payment>", a number.
 * Broke, fixed in src/providers/intergiro: read as words only, a part charged at Intergiro itself
 * showed as the whole 20.00, and a part refunded there not at all (PARTIALLY_REFUNDED, 0.00): a
 * refund through the gateway of more than Intergiro had left was sent, refused there unseen, and
 * answered done (20.00 refunded shown where 5.00, or nothing, was). Now a list's amounts are read as
 * the money standing in each word where that reading holds (amounts.ts listFigures: two words or
 * more, exact in the currency, summing to no more than the total; captured the largest of the
 * charge words' and refunded amounts, never more than was charged under either reading; the
 * gateway's own capture stands over it), in statusFigures and beside amountless events. A capture
 * of an order charged in part at Intergiro itself was answered CAPTURED 20.00 (the read back showed
 * `charged`, no failed Event): refused now where the list shows less charged than asked and nothing
 * refunded (echo-read-back.ts chargedLess). A second refund whose answer was lost is counted from
 * the list's refunded figure. An order whose `created` was a number was unreadable: every creation
 * Intergiro made was PROVIDER_UNAVAILABLE, its retry found nothing readable, every callback was
 * refused (wire.ts IntergiroOrder.created; webhook.ts reads an expired token's numeric `created`).
 * Left: a one-word list (`{"charged": 12.34}`) is not read (it cannot be told from the order's
 * amount in its word), nor one summing to more than the total; a part charged at Intergiro itself
 * then still shows whole, as with a one-word status. Since round twelve a charge word alone below
 * the order's total is read (intergiro-independent-12.test.ts, amounts.ts oneWordFigures). Where the list moves refunded money out of
 * `charged`, a part charged and then refunded at Intergiro itself shows less captured than it was
 * (never more). Round seven's it.fails (a one-word status) and round eight's stay.
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long) unless a suite says
 * otherwise, so an order that moves moved because of an answer, a callback or a listing.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LIST_ORDERS, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER, postIntergiroCallback } from '../support/intergiro.js';
import { intergiroSecrets, useIndependentIntergiro as useRound, type IntergiroRoundOptions, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation, setup?: IntergiroRoundOptions) => useRound('-11', variation, setup);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };

/** What the gateway shows of an order's money, in minor units. */
const shown = (order: OrderView) => ({
  captured: Math.round(Number(order.payments[0]!.capturedAmount.amount) * 100),
  refunded: Math.round(Number(order.payments[0]!.refundedAmount.amount) * 100),
});
const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((error) => error.extensions?.['code']);

/**
 * A status list without events: each word with the amount standing in it. What is charged at
 * Intergiro itself shows only there; the gateway re-reads an order whose word says money moved
 * that its figures do not show (reconcileIntervalMs short here).
 */
describe.each([
  ['amounts as numbers', { statusAs: 'list', readsWithoutEvents: true, callbacks: 'none' }],
  ['amounts as strings, capitalised', { statusAs: 'list', readsWithoutEvents: true, amountAs: 'string', statusCase: 'capital', callbacks: 'none' }],
] as [string, IntergiroVariation][])('Intergiro, round eleven: a status list\'s amounts, reads without events (%s)', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation, { reconcileIntervalMs: 200 });
  const listToday = async () => {
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, context.backOffice);
    expect(listed.errors).toBeUndefined();
    return listed.data!.orders.nodes;
  };

  it('a part charged at Intergiro\'s back office shows as that part; a refund of more is refused before it is sent, of that part goes through', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    const id = order.providerOrderId!;
    context.server.chargeBehind(id, 1234);
    await listToday();
    // The listing, and the re-reads it sets off, settle on Intergiro's figure.
    const seen = await eventually(async () => {
      const now = await read(order.id);
      return shown(now).captured > 0 ? now : undefined;
    }, 4000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect({ status: (await read(order.id)).status, ...shown(await read(order.id)) }).toEqual({ status: 'PARTIALLY_CAPTURED', captured: 1234, refunded: 0 });
    expect(seen.status).toBe('PARTIALLY_CAPTURED');
    const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;
    const before = patches();
    const tooMuch = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.00' }] }]);
    expect(codes(tooMuch.errors)).toEqual(['INVALID_STATE']);
    expect(patches()).toBe(before);
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '12.34' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(context.server.order(id)).toMatchObject({ charged: 1234, refunded: 1234 });
    expect({ status: (await read(order.id)).status, ...shown(await read(order.id)) }).toEqual({ status: 'REFUNDED', captured: 1234, refunded: 1234 });
  });

  it('a part refunded at Intergiro\'s back office shows as refunded; a refund of the whole is refused before it is sent, of the rest goes through', async () => {
    const order = await createOk(CARD);
    const id = order.providerOrderId!;
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.refundBehind(id, 500);
    await listToday();
    const seen = await eventually(async () => {
      const now = await read(order.id);
      return now.status === 'PARTIALLY_REFUNDED' ? now : undefined;
    }, 4000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(shown(await read(order.id))).toEqual({ captured: 2000, refunded: 500 });
    expect(seen.creation.infos.map((info) => info.code)).not.toContain('intergiro.refund_uncounted');
    const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;
    const before = patches();
    const tooMuch = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '20.00' }] }]);
    expect(codes(tooMuch.errors)).toEqual(['INVALID_STATE']);
    expect(patches()).toBe(before);
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.00' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(context.server.order(id)).toMatchObject({ charged: 2000, refunded: 2000 });
    expect({ status: (await read(order.id)).status, ...shown(await read(order.id)) }).toEqual({ status: 'REFUNDED', captured: 2000, refunded: 2000 });
  });
});

/**
 * The same back-office refund, told to the gateway only by the callback of the shop's own next
 * refund: the list then says 15.00 refunded where the gateway refunded 10.00 of it.
 */
describe('Intergiro, round eleven: a status list\'s amounts in a callback, reads without events', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ statusAs: 'list', readsWithoutEvents: true, callbacks: 'after' });

  it('the callback after the shop\'s refund shows what Intergiro refunded in all; a refund of more than is left there is refused before it is sent', async () => {
    const order = await createOk(CARD);
    const id = order.providerOrderId!;
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.refundBehind(id, 500);
    const sent = context.server.callbacksSent.length;
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '10.00' }] }])).errors).toBeUndefined();
    await eventually(async () => context.server.callbacksSent.length > sent);
    const seen = await eventually(async () => {
      const now = await read(order.id);
      return shown(now).refunded === 1500 ? now : undefined;
    }, 4000);
    expect(seen.status).toBe('PARTIALLY_REFUNDED');
    const patches = () => context.server.requests.filter((request) => request.method === 'PATCH').length;
    const before = patches();
    const tooMuch = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '10.00' }] }]);
    expect(codes(tooMuch.errors)).toEqual(['INVALID_STATE']);
    expect(patches()).toBe(before);
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '5.00' }] }])).errors).toBeUndefined();
    expect(context.server.order(id)).toMatchObject({ charged: 2000, refunded: 2000 });
  });
});

/**
 * Lists whose amounts are not money that moved: the order's one word with the order's amount
 * (`{"refunded": 20}` after a refund of 5.00 at Intergiro's back office), and each word the order
 * reached with the order's amount (`{"ordered": 20, "charged": 20, "refunded": 20}`). Read as
 * figures, either made the order REFUNDED (final) with 20.00 refunded where 5.00 was; they are not
 * read (one word; more than the total in all), and the order stays as the word alone leaves it.
 */
describe.each([
  ['the order\'s word with its amount', { statusAs: 'word-amount', readsWithoutEvents: true, callbacks: 'none' }],
  ['each word reached with the order\'s amount', { statusAs: 'reached', readsWithoutEvents: true, callbacks: 'none' }],
] as [string, IntergiroVariation][])('Intergiro, round eleven: a status list whose amounts are the order\'s (%s)', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation, { reconcileIntervalMs: 200 });

  it('a part refunded at Intergiro\'s back office is not read as the whole: the order is not REFUNDED, its refund uncounted', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    const id = order.providerOrderId!;
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(shown(captured.data!.applyOrderEvents[0]!)).toEqual({ captured: 2000, refunded: 0 });
    context.server.refundBehind(id, 500);
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, context.backOffice);
    expect(listed.errors).toBeUndefined();
    const uncounted = await eventually(async () => {
      const now = await read(order.id);
      return now.creation.infos.some((info) => info.code === 'intergiro.refund_uncounted') ? now : undefined;
    }, 4000);
    expect({ status: uncounted.status, ...shown(uncounted) }).toEqual({ status: 'PARTIALLY_REFUNDED', captured: 2000, refunded: 0 });
    expect(context.server.order(id)).toMatchObject({ charged: 2000, refunded: 500 });
  });
});

/**
 * A capture through the gateway of an order its back office already charged in part (12.34 of
 * 20.00), at an Intergiro whose reads carry no events: Intergiro refuses the second charge (one
 * per order) as a failed Event the reads do not show, and echoes the PATCH. The read back shows
 * the word `charged` and, in its list, 12.34 charged: not the 20.00 asked, nothing refunded.
 */
describe.each([
  ['the status list', { statusAs: 'list', readsWithoutEvents: true, callbacks: 'none' }],
  ['the status list, its reads lagging 300 ms', { statusAs: 'list', readsWithoutEvents: true, readLagMs: 300, callbacks: 'none' }],
] as [string, IntergiroVariation][])('Intergiro, round eleven: a capture of an order charged in part at Intergiro itself, reads without events (%s)', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation);

  it('is refused, and the order shows the 12.34 Intergiro charged; a capture of an order left as it was goes through', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    await new Promise((resolve) => setTimeout(resolve, 400));
    context.server.chargeBehind(order.providerOrderId!, 1234);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(codes(answer.errors)).toEqual(['PROVIDER_REJECTED']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 1234 });
    const after = await read(order.id);
    expect({ status: after.status, ...shown(after) }).toEqual({ status: 'PARTIALLY_CAPTURED', captured: 1234, refunded: 0 });
    const other = await createOk(CARD);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const captured = await apply([{ orderId: other.id, events: [{ type: 'CAPTURE' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(shown(await read(other.id))).toEqual({ captured: 2000, refunded: 0 });
    expect(context.server.order(other.providerOrderId!)).toMatchObject({ charged: 2000 });
  });
});

/**
 * Round seven's leftover at an Intergiro that writes its status as a list: events recorded without
 * their amounts, a second partial refund whose answer was lost (a reset), the order re-read
 * (reconciliation every 150 ms). The events say a second refund happened, not how much; the list
 * says 5.00 refunded in all. Read by the events and the gateway's figures alone, the lost 3.00 was
 * never counted (and, dropped after the pending bound, open to a second send under its key).
 */
describe('Intergiro, round eleven: events without amounts beside a status list, a second refund\'s answer lost', () => {
  const { context, createOk, apply, read } = useIndependentIntergiro({ eventsWithoutAmounts: true, statusAs: 'list', callbacks: 'none' }, { reconcileIntervalMs: 150 });

  it('the lost refund is counted from the list: 5.00 refunded, as Intergiro holds', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    expect((await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }] }])).errors).toBeUndefined();
    context.server.loseNext('PATCH', 'reset');
    const lost = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '3.00' }] }]);
    expect(codes(lost.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 500 });
    const counted = await eventually(async () => {
      const now = await read(order.id);
      return shown(now).refunded === 500 ? now : undefined;
    }, 3000);
    expect({ status: counted.status, ...shown(counted) }).toEqual({ status: 'PARTIALLY_REFUNDED', captured: 2000, refunded: 500 });
    // The rest goes through once; a retry of the lost one under a new key is refused before it is sent.
    const patches = context.server.requests.filter((request) => request.method === 'PATCH').length;
    const tooMuch = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.01' }] }]);
    expect(codes(tooMuch.errors)).toEqual(['INVALID_STATE']);
    expect(context.server.requests.filter((request) => request.method === 'PATCH').length).toBe(patches);
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '15.00' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ charged: 2000, refunded: 2000 });
    const after = await read(order.id);
    expect({ status: after.status, ...shown(after) }).toEqual({ status: 'REFUNDED', captured: 2000, refunded: 2000 });
  });
});

/**
 * "<datetime of order>" written as a JSON number, as `Date.now()` (milliseconds) or a Unix time
 * (seconds) writes it: the seed quotes it as it quotes "<Amount of payment>", which is a number.
 */
describe.each([
  ['epoch milliseconds', { createdFormat: 'epoch-ms', callbacks: 'after' }],
  ['epoch seconds', { createdFormat: 'epoch-s', callbacks: 'after' }],
] as [string, IntergiroVariation][])('Intergiro, round eleven: the order\'s `created` as a number (%s)', (_name, variation) => {
  const { context, create, createOk, apply, read, settlesAt } = useIndependentIntergiro(variation);

  it('a card order is AUTHORIZED and captured, its callback read; orders(filter) lists it made today', async () => {
    const order = await createOk(CARD, { reference: `epoch-${Math.random().toString(36).slice(2, 8)}` });
    expect(order).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    expect(Math.abs(Date.parse(order.createdAt) - Date.now())).toBeLessThan(60_000);
    const sent = context.server.callbacksSent.length;
    const captured = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '12.34' }] }]);
    expect(captured.errors).toBeUndefined();
    await eventually(async () => context.server.callbacksSent.length > sent);
    expect(context.server.callbacksSent.at(-1)!.status).toBeLessThan(300);
    const after = await settlesAt(order.id, 'PARTIALLY_CAPTURED');
    expect(shown(after)).toEqual({ captured: 1234, refunded: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const listed = await gql<{ orders: { nodes: OrderView[] } }>(context.gateway.url, LIST_ORDERS, { filter: { provider: 'INTERGIRO', from: today, to: today }, first: 100 }, context.backOffice);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.orders.nodes.find((node) => node.id === order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
    expect((await read(order.id)).status).toBe('PARTIALLY_CAPTURED');
  });

  it('a creation whose answer was lost is found by the retry under the same key; Intergiro has one order', async () => {
    const reference = `epoch-lost-${Math.random().toString(36).slice(2, 8)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    const lost = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(codes(lost.errors)).toEqual(['PROVIDER_UNAVAILABLE']);
    const retried = await eventually(async () => {
      const result = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
      return result.errors ? undefined : result.data!.createOrder;
    }, 12_000, 300);
    const made = context.server.requests.filter((request) => request.method === 'POST' && (request.body as { number?: unknown }).number === reference);
    expect(made).toHaveLength(1);
    expect(retried).toMatchObject({ status: 'AUTHORIZED' });
  }, 20_000);

  it('a genuine callback past its token\'s `exp`, `created` a number: refused (401), the order read from Intergiro now (charged there)', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    const id = order.providerOrderId!;
    context.server.chargeBehind(id);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const stored = context.server.order(id)!.created;
    const created = variation.createdFormat === 'epoch-s' ? Math.floor(Date.parse(stored) / 1000) : Date.parse(stored);
    const token = await new SignJWT({ id, created, merchant: 'test', status: 'charged' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(new TextEncoder().encode(intergiroSecrets('-11').callbackSecret));
    expect((await postIntergiroCallback(context.gateway.url, token)).status).toBe(401);
    const after = await settlesAt(order.id, 'CAPTURED', 4000);
    expect(shown(after)).toEqual({ captured: 2000, refunded: 0 });
  });

  it('a payment link is CREATED with its link; paid, its callback makes it AUTHORIZED', async () => {
    const order = await createOk({ paymentType: 'LINK' }, { returnUrls: { success: 'https://shop.example/paid' } });
    expect(order).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    await context.server.payLink(order.providerOrderId!);
    await settlesAt(order.id, 'AUTHORIZED');
  });
});
