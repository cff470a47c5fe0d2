/**
 * Round ten against the Intergiro we did not write (test/support/independent/intergiro-server.ts),
 * for what the seed writes only as placeholders:
 * - `"status": "<Status of order>"` (defer answer, verify answer): a placeholder in quotes, as
 *   `"payment": "<Card payment>"` is, and the payment is an object. An Intergiro may keep the
 *   order's status as a status list, each word the order reached with the amount standing in it
 *   (`{"ordered": 0, "charged": 12.34}`, `{"ordered": 0, "charged": 7.34, "refunded": 5}`)
 *   (`statusAs: 'list'`); here with its events, without them, in another letter case and spelling,
 *   called back, and under a lost creation's search;
 * - `"event": "<Order events>"`: an event's amount (no seed shows one) as a ledger writes it, a
 *   refund recorded as money going back (`{type: "refund", items: -5}`, `refundsRecordedNegative`),
 *   the PATCH echo still "the same changes you requested";
 * - and, found on the way, reads without events (round one's `readsWithoutEvents`) of an order its
 *   back office cancelled, before a capture the gateway sends (with a one-word status too).
 * Broke, fixed in src/providers/intergiro: read as a word only, every order so answered was
 * unreadable. A card order Intergiro authorized (or charged, charge "auto") was PROVIDER_UNAVAILABLE
 * to the shop, its retry under the same key could not find it in the listing (every entry left out)
 * and a payment link was never handed out; every callback was refused. Now the status list reads
 * as its furthest word that holds an amount (status-words.ts statusOfList, read by wire.ts); a
 * `status` of another JSON type is none (the events and payment say the state). A refund recorded
 * as -5.00 was summed as written: the callback after a partial refund of 5.00 made the order
 * REFUNDED (final, 15.00 still refundable at Intergiro), and two refunds in one call, one refused
 * by Intergiro, were PROVIDER_UNAVAILABLE (their amounts matched none listed) instead of the refused
 * one PROVIDER_REJECTED (amounts.ts eventMinor: an event counts by its size, read by movedAmounts,
 * showsNoRefundYet and refunds-read-back.ts). A capture of an order cancelled at Intergiro, read
 * back without events, showed only the word `cancelled` and no failed Event: the echo stood, the
 * order was answered CAPTURED with 20.00 captured and nothing charged (echo-read-back.ts
 * endedUncharged: a read showing the order cancelled or denied, with no charge, refuses the capture).
 * Left: the list's amounts are not read as figures (the seed names no unit for them): where the
 * reads carry no events, captured and refunded amounts come from the status word and the gateway's
 * own figures, as with a one-word status (README, Known limitations). Since round eleven they are,
 * where they can be read without overstating (intergiro-independent-11.test.ts, amounts.ts listFigures).
 * The gateway re-reads waiting orders rarely here (reconcileIntervalMs is long), so an order that
 * moves moved because of an answer or a callback.
 */
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';
import { useIndependentIntergiro as useRound, type IntergiroVariation } from '../support/independent/intergiro-harness.js';

const useIndependentIntergiro = (variation: IntergiroVariation) => useRound('-10', variation);
const CARD = { paymentType: 'CARD', cardToken: 'tok_ok', browser: INTERGIRO_TEST_BROWSER };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the gateway shows of an order's money, in minor units. */
const shown = (order: OrderView) => ({
  captured: Math.round(Number(order.payments[0]!.capturedAmount.amount) * 100),
  refunded: Math.round(Number(order.payments[0]!.refundedAmount.amount) * 100),
});

/**
 * The life of a card order whose every answer writes `status` as a status list: authorized, a
 * partial capture, two refunds that sum to it, each step's figures Intergiro's. Read as a word, the
 * creation's answer was unreadable: PROVIDER_UNAVAILABLE while Intergiro held the authorization.
 */
describe.each([
  ['with its events', { statusAs: 'list', callbacks: 'none' }],
  ['without events', { statusAs: 'list', readsWithoutEvents: true, callbacks: 'none' }],
  ['capitalised, `Canceled`, events in the Callbacks tense, called back', { statusAs: 'list', statusCase: 'capital', cancelSpelling: 'canceled', eventsInPastTense: true, callbacks: 'after' }],
] as [string, IntergiroVariation][])('Intergiro, round ten: the order\'s status as a status list (%s)', (_name, variation) => {
  const { context, createOk, apply, read, settlesAt } = useIndependentIntergiro(variation);

  it('a card order is AUTHORIZED, captured in part and refunded in two parts, each step Intergiro\'s figures', async () => {
    const order = await createOk(CARD);
    expect(order).toMatchObject({ status: 'AUTHORIZED', creation: { status: 'COMPLETED' } });
    const id = order.providerOrderId!;
    expect(context.server.order(id)).toMatchObject({ status: 'ordered' });
    const step = async (events: Record<string, unknown>[], status: string) => {
      const answer = await apply([{ orderId: order.id, events }]);
      expect(answer.errors).toBeUndefined();
      const at = context.server.order(id)!;
      expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status });
      expect(shown(answer.data!.applyOrderEvents[0]!)).toEqual({ captured: at.charged, refunded: at.refunded });
      const after = await settlesAt(order.id, status);
      expect(shown(after)).toEqual({ captured: at.charged, refunded: at.refunded });
    };
    await step([{ type: 'CAPTURE', amount: '12.34' }], 'PARTIALLY_CAPTURED');
    expect(context.server.order(id)!.charged).toBe(1234);
    await step([{ type: 'REFUND', amount: '5.00' }], 'PARTIALLY_REFUNDED');
    await step([{ type: 'REFUND', amount: '7.34' }], 'REFUNDED');
    expect(context.server.order(id)).toMatchObject({ charged: 1234, refunded: 1234 });
  });

  it('a capture of an order Intergiro\'s back office cancelled is refused, nothing shown captured', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
  });

  it('a merchant-initiated order charged at once ("charge": "auto") is CAPTURED, the whole total', async () => {
    const order = await createOk({ paymentType: 'CUSTOMER', customerId: 'cus-round-ten', charge: true }, {}, 'merchant');
    expect(order.status).toBe('CAPTURED');
    expect(shown(order)).toEqual({ captured: context.server.order(order.providerOrderId!)!.charged, refunded: 0 });
  });

  it('a payment link is CREATED with its link to hand out; paid, it is AUTHORIZED (callback) or cancelled through the gateway', async () => {
    const order = await createOk({ paymentType: 'LINK' }, { returnUrls: { success: 'https://shop.example/paid' } });
    expect(order).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
    expect(order.creation.stopAction?.redirectUrl).toContain(`/pay/${order.providerOrderId}`);
    if (variation.callbacks === 'after') {
      await context.server.payLink(order.providerOrderId!);
      await settlesAt(order.id, 'AUTHORIZED');
      return;
    }
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CANCEL' }] }]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled' });
  });
});

/**
 * A creation Intergiro carried out whose answer was lost: the retry under the same key looks for it
 * in the listing, where every order's status is a list. Read as a word, each listed order was left
 * out as unreadable, so the retry could not find the one made.
 */
describe('Intergiro, round ten: a lost creation found in a listing whose statuses are lists', () => {
  const { context, create } = useIndependentIntergiro({ statusAs: 'list', callbacks: 'none' });

  it('the retry with the same key answers the order Intergiro made, AUTHORIZED; Intergiro has one', async () => {
    const reference = `lost-list-${Math.random().toString(36).slice(2, 8)}`;
    context.server.loseNext('POST', 'reset', '/v1/order');
    const lost = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
    expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
    const retried = await eventually(async () => {
      const result = await create(CARD, { reference, idempotencyKey: `create-${reference}` });
      return result.errors ? undefined : result.data!.createOrder;
    }, 12_000, 300);
    const made = context.server.requests.filter((request) => request.method === 'POST' && (request.body as { number?: unknown }).number === reference);
    expect(made).toHaveLength(1);
    expect(retried).toMatchObject({ status: 'AUTHORIZED' });
    expect(context.server.order(retried.providerOrderId!)?.number).toBe(reference);
  }, 20_000);
});

/**
 * Refunds recorded on the order with their amount negative (`{type: "refund", items: -5}`, money
 * going back, as a ledger writes it), charges positive; the PATCH echo is the changes as sent.
 */
describe.each([
  ['amounts as numbers', { refundsRecordedNegative: true, callbacks: 'none' }],
  ['amounts as strings', { refundsRecordedNegative: true, amountAs: 'string', callbacks: 'none' }],
  ['called back', { refundsRecordedNegative: true, callbacks: 'after' }],
] as [string, IntergiroVariation][])('Intergiro, round ten: refunds recorded with negative amounts (%s)', (_name, variation) => {
  const { context, createOk, apply, read, settlesAt } = useIndependentIntergiro(variation);

  it('a capture refunded in two parts shows Intergiro\'s figures at each step, PARTIALLY_REFUNDED then REFUNDED', async () => {
    const order = await createOk(CARD);
    const id = order.providerOrderId!;
    const step = async (events: Record<string, unknown>[], status: string) => {
      const answer = await apply([{ orderId: order.id, events }]);
      expect(answer.errors).toBeUndefined();
      const at = context.server.order(id)!;
      expect(answer.data!.applyOrderEvents[0]).toMatchObject({ status });
      expect(shown(answer.data!.applyOrderEvents[0]!)).toEqual({ captured: at.charged, refunded: at.refunded });
      const after = await settlesAt(order.id, status);
      expect(shown(after)).toEqual({ captured: at.charged, refunded: at.refunded });
    };
    await step([{ type: 'CAPTURE' }], 'CAPTURED');
    await step([{ type: 'REFUND', amount: '5.00' }], 'PARTIALLY_REFUNDED');
    expect(context.server.order(id)!.event.at(-1)).toMatchObject({ type: 'refund' });
    expect(Number(context.server.order(id)!.event.at(-1)!['items'])).toBe(-5);
    await step([{ type: 'REFUND', amount: '15.00' }], 'REFUNDED');
    expect(context.server.order(id)).toMatchObject({ charged: 2000, refunded: 2000 });
  });

  it('two refunds in one call after a back-office refund, the second more than is left: it is refused, the order shows what Intergiro refunded', async () => {
    const order = await createOk(CARD);
    expect((await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }])).errors).toBeUndefined();
    context.server.refundBehind(order.providerOrderId!, 1500);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'REFUND', amount: '2.00' }, { type: 'REFUND', amount: '4.00' }] }]);
    const at = context.server.order(order.providerOrderId!)!;
    expect(at.refunded).toBe(1700);
    expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    expect(shown(await read(order.id))).toEqual({ captured: 2000, refunded: 1700 });
    const rest = await apply([{ orderId: order.id, events: [{ type: 'REFUND' }] }]);
    expect(rest.errors).toBeUndefined();
    expect(context.server.order(order.providerOrderId!)!.refunded).toBe(2000);
    expect({ ...shown(await read(order.id)), status: (await read(order.id)).status }).toEqual({ captured: 2000, refunded: 2000, status: 'REFUNDED' });
  });
});

/**
 * A capture of an order Intergiro's back office cancelled, at an Intergiro whose reads carry no
 * events (a one-word status): the read back shows the word `cancelled` and no failed Event. The
 * echo stood before: the order was answered CAPTURED, 20.00 shown captured, nothing charged.
 */
describe.each([
  ['a one-word status', { readsWithoutEvents: true, callbacks: 'none' }],
  ['`Canceled`, capitalised', { readsWithoutEvents: true, statusCase: 'capital', cancelSpelling: 'canceled', callbacks: 'none' }],
  ['its reads lagging 300 ms', { readsWithoutEvents: true, readLagMs: 300, callbacks: 'none' }],
] as [string, IntergiroVariation][])('Intergiro, round ten: reads without events, a capture of an order cancelled at Intergiro (%s)', (_name, variation) => {
  const { context, createOk, apply, read } = useIndependentIntergiro(variation);

  it('is refused (PROVIDER_REJECTED), nothing shown captured; a capture of an order left as it was still goes through', async () => {
    const order = await createOk(CARD);
    expect(order.status).toBe('AUTHORIZED');
    // Made a while before (past a lagging read's 300 ms), cancelled at Intergiro just before the capture.
    await pause(400);
    context.server.cancelBehind(order.providerOrderId!);
    const answer = await apply([{ orderId: order.id, events: [{ type: 'CAPTURE' }] }]);
    expect(answer.errors?.map((error) => error.extensions?.['code'])).toEqual(['PROVIDER_REJECTED']);
    const after = await read(order.id);
    expect(after.status).not.toBe('CAPTURED');
    expect(after.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
    expect(context.server.order(order.providerOrderId!)).toMatchObject({ status: 'cancelled', charged: 0 });
    const other = await createOk(CARD);
    const captured = await apply([{ orderId: other.id, events: [{ type: 'CAPTURE', amount: '12.34' }] }]);
    expect(captured.errors).toBeUndefined();
    expect(shown(await read(other.id))).toEqual({ captured: 1234, refunded: 0 });
    expect(context.server.order(other.providerOrderId!)).toMatchObject({ charged: 1234 });
  });
});
