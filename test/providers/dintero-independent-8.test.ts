/**
 * Round eight against the independent Dintero (test/support/independent/dintero-server.ts).
 *
 * Callbacks that come late and out of order across two tries in one session. The seed never says
 * a session takes one attempt only (round two), nor in what order, or when, Dintero delivers a
 * callback it had to retry (holdCallbacks):
 * - a declined try whose callback comes after the paid try's (the order AUTHORIZED by then). Found:
 *   its fact put the declined transaction in the order's providerData `transactionId` (the domain
 *   merges providerData whatever the status does), so every capture went to the declined
 *   transaction and was refused (PROVIDER_REJECTED), and a re-read would take the decline for a
 *   lapse (CANCELLED) with the buyer's money reserved. Fixed: a FAILED / DECLINED transaction is
 *   kept as `declinedTransactionId`, and one in a word nobody can place (a decline written
 *   `REJECTED`) as `unplacedTransactionId`, never as the order's transaction (provider-data.ts);
 * - both tries' callbacks retried in order after the gateway was away. Found: the decline made the
 *   order FAILED (final), and the paid try, found next, was voided: the buyer paid and the gateway
 *   undid it. Fixed: a declined transaction's callback reads its session (CONTRACT §8), and where
 *   the session names a later transaction, the order is re-read through its session instead
 *   (webhook.ts supersededInItsSession). Left: against a Dintero without the session read the
 *   decline still ends the order first, and the later payment is voided (round two's behaviour).
 *
 * Request bodies held to the seed's examples (refuseUnknownFields): the seed shows the draft, the
 * session and the marks whole, and the gateway adds to each (the draft's `merchant_reference`, the
 * session's `merchant_reference_2` and order-level `vat_amount`, a mark's `id`). Found: every
 * createOrder was PROVIDER_REJECTED, and every mark would have failed. Fixed: a body refused as
 * invalid (400/422) naming one of those fields (a JSON or text body) is sent once more as the seed
 * shows it, and that shape first from then on (client.ts seedShapedAfterRefusal). Left (an
 * it.fails): such a Dintero refusing with an empty body, which says nothing of what it refused; and
 * its marks carry no `id`, so a mark resent after its answer was lost is recorded twice (README's
 * known limitation for Orders APIs that do not deduplicate).
 *
 * A payment on hold at the callback (the seed: "make sure that the status is AUTHORIZED"), decided
 * later with or without a callback of its own: PENDING, then AUTHORIZED (marked, captured) or FAILED.
 * Nothing broke; the tests stay as guards. Left (an it.fails): a held try authorized after a second
 * try on the same page was: both authorizations stay on the order (996.00 authorized on 498.00),
 * its money calls go to the one whose callback came last, and the other stays reserved at Dintero
 * with no void and no Info.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

/** The poller's interval here, which is also the hint lease: a second callback for one order within it is answered 429. */
const INTERVAL_MS = 1_000;
const PAST_HINT_LEASE_MS = 1_300;

describe('Dintero adapter against an independent implementation of the seed, round eight', () => {
  const harness = independentDinteroHarness('-8');
  const { useVariation, create, read, apply, reaches } = harness;

  describe.each([
    ['full transactions', {}],
    ['full transactions, no session read', { sessionRead: 'none' }],
    ['full transactions with events, DECLINED, no session read', { events: true, declineWord: 'DECLINED', sessionRead: 'none' }],
    ['full transactions, the decline in a word of its own (REJECTED), no session read', { wordFor: { FAILED: 'REJECTED' }, sessionRead: 'none' }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a declined try whose callback comes after the paid one\'s, %s', (_name, variation) => {
    const setup = useVariation(variation, { reconcileIntervalMs: INTERVAL_MS });

    it('the order stays AUTHORIZED on the paid transaction, which is captured and refunded once each', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      dintero.holdCallbacks(1);
      const declined = await dintero.pay(sessionId, 'decline');
      const paid = await dintero.pay(sessionId);
      await reaches(gateway, order.id, 'AUTHORIZED');
      await sleep(PAST_HINT_LEASE_MS);
      await dintero.sendHeldCallbacks(); // Dintero retries the declined try's callback only now
      expect(dintero.callbacks.at(-1)).toMatchObject({ status: 200 });
      // The late callback was read, not turned away: the declined transaction was fetched after it.
      expect(dintero.received.some((request) => request.method === 'GET' && request.path === `/v1/transactions/${declined}`)).toBe(true);
      const after = await read(gateway, order.id);
      expect(after.status).toBe('AUTHORIZED');
      expect(after.payments.find((payment) => payment.id === paid)).toMatchObject({ status: 'AUTHORIZED' });
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '498.00', idempotencyKey: `late-decline-capture-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      const refunded = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `late-decline-refund-${order.id}` }]);
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
      expect(dintero.operationsOn(paid)).toEqual({ capture: 1, refund: 1, void: 0 });
      expect(dintero.operationsOn(declined)).toEqual({ capture: 0, refund: 0, void: 0 });
      await eventually(async () => harness.marks(dintero, 'refunds').length >= 1);
    });
  });

  describe.each([
    ['full transactions', {}],
    ['full transactions with events, DECLINED', { events: true, declineWord: 'DECLINED' }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('both tries\' callbacks retried after the gateway was away, in order, %s', (_name, variation) => {
    // The poller's minute: what happens here happens through the callbacks.
    const setup = useVariation(variation);

    it('the order is AUTHORIZED on the paid try, which is not voided, and is captured once', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      dintero.holdCallbacks(2);
      const declined = await dintero.pay(sessionId, 'decline');
      const paid = await dintero.pay(sessionId);
      await dintero.sendHeldCallbacks(); // the decline's first, then the payment's
      const after = await reaches(gateway, order.id, 'AUTHORIZED');
      expect(after.payments.find((payment) => payment.id === paid)).toMatchObject({ status: 'AUTHORIZED' });
      await sleep(500);
      expect(dintero.operationsOn(paid)).toEqual({ capture: 0, refund: 0, void: 0 });
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '498.00', idempotencyKey: `retried-callbacks-capture-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(paid)).toEqual({ capture: 1, refund: 0, void: 0 });
      expect(dintero.operationsOn(declined)).toEqual({ capture: 0, refund: 0, void: 0 });
    });
  });

  /**
   * The seed shows three request bodies whole: the draft, the session and the marks. A Dintero that
   * validates each against its example with no field beyond it (refuseUnknownFields) refuses what
   * the gateway adds: the draft's `merchant_reference`, the session's `merchant_reference_2` and
   * order-level `vat_amount`, a mark's `id`.
   */
  describe.each([
    ['seed-shaped bodies only', { refuseUnknownFields: true }],
    ['seed-shaped bodies only, refused with a text body', { refuseUnknownFields: true, errorBody: 'text' }],
    ['seed-shaped bodies only, checked strictly, marks in the seed\'s order, bare transactions', { refuseUnknownFields: true, strictRequests: true, marksInOrder: true, transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a Dintero that refuses fields its seed does not show, %s', (_name, variation) => {
    const setup = useVariation(variation, { reconcileIntervalMs: INTERVAL_MS });

    it('an order is made, paid, captured in part, refunded in part, and every step is marked on its Dintero order', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      await eventually(async () => harness.marks(dintero, 'authorizations').length === 1);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '300.00', idempotencyKey: `seed-only-capture-${order.id}` }], { status: 'PARTIALLY_CAPTURED' }],
        [[{ type: 'REFUND', amount: '100.00', idempotencyKey: `seed-only-refund-${order.id}` }], { status: 'PARTIALLY_REFUNDED' }],
      ]);
      await eventually(async () => harness.marks(dintero, 'captures').length === 1 && harness.marks(dintero, 'refunds').length === 1);
      const after = await read(gateway, order.id);
      expect(after.creation.infos.map((info) => info.code)).toEqual([]);
    });

    it('an authorized order cancelled: voided, and the cancel marked', async () => {
      const { dintero, gateway } = setup;
      const refusals = () => dintero.received.filter((request) => request.status === 400).length;
      const refusedBefore = refusals();
      const made = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
      const cancelled = await apply(gateway, made.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await eventually(async () => harness.marks(dintero, 'cancel').length === 1);
      expect((await read(gateway, made.id)).creation.infos.map((info) => info.code)).toEqual([]);
      // Once Dintero took a kind of body only as the seed shows it, that shape is sent first.
      expect(refusals()).toBe(refusedBefore);
    });
  });

  /**
   * Left: the same Dintero refusing with an empty body (400, nothing said). The gateway cannot tell
   * that refusal is about the fields it added rather than the request itself, and a refusal it
   * cannot place is final (round one: a refused session is PROVIDER_REJECTED), so every createOrder
   * is PROVIDER_REJECTED there. Resending the seed's shape after any wordless 400 would pass this,
   * but would turn every wordless refusal into a second call (and round one's one-off refusal into
   * a success).
   */
  describe('a Dintero that refuses fields its seed does not show, with an empty body', () => {
    const setup = useVariation({ refuseUnknownFields: true, errorBody: 'empty' }, { reconcileIntervalMs: INTERVAL_MS });

    it.fails('an order is made and paid', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, made.id, 'AUTHORIZED');
    });
  });

  /**
   * The seed: "Poll the current status of the transaction to make sure that the status is
   * AUTHORIZED": at the callback it may not be yet. A payment Dintero holds (ON_HOLD) when it calls
   * back, decided later with no callback of its own, or with one.
   */
  describe.each([
    ['full transactions', {}],
    ['full transactions with events, no session read', { events: true, sessionRead: 'none' }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a payment on hold at the callback, decided later, %s', (_name, variation) => {
    const setup = useVariation(variation, { reconcileIntervalMs: 300 });

    it('PENDING at the callback, AUTHORIZED once Dintero authorizes it (no second callback), then marked and captured', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId(), 'hold');
      const pending = await reaches(gateway, made.id, 'PENDING');
      expect(pending.providerStatus).toBe('ON_HOLD');
      await sleep(700);
      expect(harness.marks(dintero, 'authorizations')).toHaveLength(0);
      await dintero.decideHeld(transactionId, 'authorize');
      await reaches(gateway, made.id, 'AUTHORIZED');
      await eventually(async () => harness.marks(dintero, 'authorizations').length === 1);
      const captured = await apply(gateway, made.id, [{ type: 'CAPTURE', amount: '498.00', idempotencyKey: `held-capture-${made.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });

    it('PENDING, then declined with a callback: FAILED, nothing marked or voided', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId(), 'hold');
      await reaches(gateway, made.id, 'PENDING');
      const marksBefore = dintero.received.filter((request) => request.host === 'api' && request.path.includes('/shopping/orders/')).length;
      await dintero.decideHeld(transactionId, 'decline', true);
      await reaches(gateway, made.id, 'FAILED');
      await sleep(700);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
      expect(dintero.received.filter((request) => request.host === 'api' && request.path.includes('/shopping/orders/')).length).toBe(marksBefore);
    });
  });

  /**
   * Left (an it.fails): a try Dintero held (ON_HOLD: a wallet app the buyer left), a second try on
   * the same page authorized (the order AUTHORIZED on it), and then the held one authorized too, with
   * its callback. Two authorizations for one order: the buyer's money reserved twice. The gateway
   * shows both payments AUTHORIZED (996.00 authorized on a 498.00 order), its providerData
   * `transactionId` moves to the one whose callback came last (the domain merges providerData), so
   * money calls go there, and the other stays reserved at Dintero with no void and no Info. Releasing
   * it needs the adapter to pick one transaction per order against facts the domain merges (a webhook
   * cannot see the order) and to void the other under the order's change lease, as the late
   * authorization of an ended order is (reconcile.ts): larger than this round.
   */
  describe('a held try authorized after a second try was', () => {
    const setup = useVariation({}, { reconcileIntervalMs: INTERVAL_MS });

    it.fails('one authorization stays with the order; the other is released at Dintero', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const sessionId = dintero.latestSessionId();
      const held = await dintero.pay(sessionId, 'hold');
      await reaches(gateway, made.id, 'PENDING');
      await sleep(PAST_HINT_LEASE_MS);
      const paid = await dintero.pay(sessionId);
      await reaches(gateway, made.id, 'AUTHORIZED');
      await sleep(PAST_HINT_LEASE_MS);
      await dintero.decideHeld(held, 'authorize', true);
      expect(dintero.callbacks.at(-1)).toMatchObject({ status: 200 });
      await eventually(async () => dintero.operationsOn(held).void + dintero.operationsOn(paid).void === 1, 4_000);
    });
  });
});
