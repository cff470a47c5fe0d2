/**
 * Round fourteen against the independent Dintero (test/support/independent/dintero-server.ts): the
 * void, the less travelled money call, refused where earlier rounds refused only captures and
 * refunds; a refusal said only in the answer's status word; what a transaction's `amount` says once
 * money moved; and the real reference's word for
 * a refund while part of the authorization is not captured, with captures after it. The seed
 * shows no void, no answer, no event and no transaction read at all (request bodies only).
 *
 * - A void Dintero takes (2xx) and the acquirer refuses (failNextVoidAtAcquirer): the transaction
 *   still AUTHORIZED, its history with a failed VOID event (`success: false`, `VOID_FAILED`, its own
 *   `status: FAILED`), answered at once or read back after a 202; or, without events, the
 *   transaction in a word of the server's own, `VOID_FAILED`. Found: the void was read as done
 *   (mapping.ts asAccepted): the order CANCELLED, final, its payment VOIDED, while the buyer's money
 *   stayed reserved at Dintero and nothing could capture it or void it again (INVALID_STATE); a
 *   late authorization so refused was shown released (`dintero.late_authorization_voided`) with the
 *   money reserved; and a void whose answer was lost, re-read with the failed event, stayed
 *   `dintero.outcome_unknown` for ten minutes. Fixed: such a transaction shows the void refused
 *   (mapping.ts failedIn / voidFailedIn): the cancel is PROVIDER_REJECTED, the order AUTHORIZED and
 *   capturable; the late authorization is `dintero.late_authorization_unreleased` (reconcile.ts);
 *   the lost one is dropped by reconciliation at once. Round thirteen's guard (`VOID_FAILED` on a
 *   lost void's re-read shows nothing) stands.
 * - A capture or refund Dintero takes (2xx) and the acquirer refuses, said only in the status word
 *   of the transaction it answers with (no money history): a word of the server's own
 *   (`CAPTURE_FAILED`, `RefundDeclined`), or FAILED / DECLINED, as a server that writes the last
 *   operation's outcome in the transaction's status does. Found: round nine's reading of a word
 *   nobody listed after Dintero's yes (asAccepted) took it for done: the capture or refund was
 *   counted, money Dintero never moved (the closing money check caught every such order). Fixed: an
 *   answer whose word says failed, with no event under the operation's reference done, is a
 *   refusal, PROVIDER_REJECTED, nothing counted or marked (mapping.ts refusedInWord). A capture so
 *   answered FAILED / DECLINED is then re-read as round six reads those words on an authorized
 *   order with nothing captured: the authorization ended (CANCELLED).
 * - A transaction whose `amount` is what it still holds (transactionAmount 'remaining': authorized
 *   less captured), as an implementer who reads a transaction's amount as its open amount writes
 *   it. Found: after a first partial capture of 100.00 on 498.00 the order's payment showed 398.00
 *   authorized, so the rest could not be captured (INVALID_STATE, "298.00 authorized and not yet
 *   captured") while Dintero held it reserved; through a late callback as well. Fixed: a transaction
 *   of the order that money moved on (its status, a word nobody listed, a capture event) whose
 *   amount is below the order's total is read at the total, also from a callback (binding.ts
 *   authorizedAtTotal; the session the gateway made is for the total, and the seed shows no partial
 *   authorization).
 * - PARTIALLY_CAPTURED_REFUNDED after a refund while part is not captured, captures after it
 *   (afterRefund), with events, without, and on bare `{id, status}` transactions: nothing broke;
 *   the tests stay as guards.
 *
 * Left: a capture or refund whose answer is lost, re-read in such a word, is still looked for until
 * the ten-minute bound (a later re-read's word may speak of another operation, so only the answer's
 * is read); a void taken (202) and refused by the acquirer only later is still counted done (a void is
 * never watched after Dintero's yes, as a capture is: the order is CANCELLED, final, at once, and
 * the domain has no way back from it); a void answered in a failing word that does not name the
 * void (`REJECTED`) is still read as done (round nine's asAccepted; FAILED / DECLINED after the
 * gateway's void stay round thirteen's voided). After money was captured, an authorization
 * whose rest Dintero releases (its back office) keeps the order PARTIALLY_CAPTURED /
 * PARTIALLY_REFUNDED, never REFUNDED: the domain reads the rest as still there.
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round fourteen', () => {
  const harness = independentDinteroHarness('-14');
  const { useVariation, authorized, read, apply, reaches } = harness;

  describe.each([
    ['a failed VOID event (success: false), answered at once', { events: true }, undefined],
    ['a failed VOID event written VOID_FAILED', { events: true, failedEvents: 'event-name' }, undefined],
    ['a VOID event with its own status FAILED', { events: true, failedEvents: 'status-field' }, undefined],
    ['a failed VOID event, the void answered 202 and read back', { events: true, operationAnswer: 'accepted' }, undefined],
    ['no events, the transaction written VOID_FAILED', {}, 'VOID_FAILED'],
    ['bare {id, status} transactions written VOID_FAILED', { transaction: 'minimal' }, 'VOID_FAILED'],
  ] as [string, Partial<IndependentDinteroOptions>, string | undefined][])('a void Dintero takes and the acquirer refuses (%s)', (_name, variation, word) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('is a refusal: PROVIDER_REJECTED, the order AUTHORIZED, no cancel marked; the money can still be captured', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextVoidAtAcquirer(word);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `void-refused-${order.id}` }]);
      expect(cancelled.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZED' });
      await sleep(300);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ status: 'AUTHORIZED', capturedAmount: { amount: '0.00' } }] });
      expect(harness.marks(dintero, 'cancel').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(0);
      // The buyer's money is still reserved: it can be captured (before: INVALID_STATE, the order CANCELLED).
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `after-refused-void-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 1 });
    });
  });

  describe('a void whose answer is lost (502), Dintero having taken it and the acquirer refused it (a failed VOID event)', () => {
    const setup = useVariation({ events: true, callback: NO_CALLBACK });

    it('is not left unknown for ten minutes: reconciliation drops it at once, the order AUTHORIZED and capturable', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextVoidAtAcquirer();
      dintero.loseNextAnswer('void', 502);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `lost-refused-void-${order.id}` }]);
      expect(cancelled.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      // The poller's next turns (200 ms) read the failed event: no outcome left unknown.
      const settled = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.creation.infos.length === 0 && now;
      }, 3_000);
      expect(settled).toMatchObject({ status: 'AUTHORIZED', payments: [{ status: 'AUTHORIZED' }] });
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `after-lost-refused-void-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 1 });
    });
  });

  describe('a late authorization (paid on a second try after the order FAILED) whose void the acquirer refuses', () => {
    const setup = useVariation({ events: true }, { reconcileIntervalMs: 300 });

    it('is shown for a person to release (dintero.late_authorization_unreleased), not as released; not voided again', async () => {
      const { dintero, gateway } = setup;
      const created = await harness.create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, created.id, 'FAILED');
      dintero.failNextVoidAtAcquirer();
      const transactionId = await dintero.pay(sessionId);
      const shown = await eventually(async () => {
        const order = await read(gateway, created.id);
        return order.creation.infos.some((info) => info.code.startsWith('dintero.late_authorization')) && order;
      }, 5_000);
      expect(shown.status).toBe('FAILED');
      expect(shown.creation.infos.map((info) => info.code)).toContain('dintero.late_authorization_unreleased');
      expect(shown.creation.infos.map((info) => info.code)).not.toContain('dintero.late_authorization_voided');
      expect(shown.payments).toContainEqual(expect.objectContaining({ id: transactionId, status: 'AUTHORIZED' }));
      await sleep(900);
      expect(dintero.operationsOn(transactionId).void).toBe(1);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZED' });
    });
  });

  describe.each([
    ['CAPTURE_FAILED / REFUND_FAILED, full transactions without events', {}, 'CAPTURE_FAILED', 'REFUND_FAILED'],
    ['CAPTURE_FAILED / REFUND_FAILED, bare {id, status} transactions', { transaction: 'minimal' }, 'CAPTURE_FAILED', 'REFUND_FAILED'],
    ['CaptureDeclined / RefundDeclined, bare {id, status} transactions', { transaction: 'minimal' }, 'CaptureDeclined', 'RefundDeclined'],
    ['FAILED, full transactions without events', {}, 'FAILED', 'FAILED'],
    ['DECLINED, bare {id, status} transactions', { transaction: 'minimal' }, 'DECLINED', 'DECLINED'],
  ] as [string, Partial<IndependentDinteroOptions>, string, string][])('a capture or refund Dintero answers 2xx with the transaction in a word that says it failed (%s)', (_name, variation, captureWord, refundWord) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('a capture so answered is a refusal: PROVIDER_REJECTED, nothing counted; the next capture is counted once (FAILED / DECLINED: CANCELLED, round six)', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture', captureWord);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `word-cap-refused-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 0 });
      expect(await read(gateway, order.id)).toMatchObject({ payments: [{ capturedAmount: { amount: '0.00' } }] });
      // FAILED / DECLINED on an authorized transaction with nothing captured is also round six's
      // authorization that ended (lapsedAsVoided): the refusal's re-read makes the order CANCELLED.
      if (['FAILED', 'DECLINED'].includes(captureWord)) return void expect((await read(gateway, order.id)).status).toBe('CANCELLED');
      expect((await read(gateway, order.id)).status).toBe('AUTHORIZED');
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `word-cap-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }]]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
      expect(harness.marks(dintero, 'captures').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(1);
    });

    it('a refund so answered is a refusal: PROVIDER_REJECTED, nothing counted refunded', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', amount: '200.00', idempotencyKey: `word-ref-cap-${order.id}` }], { status: 'PARTIALLY_CAPTURED' }]]);
      dintero.failNextAtAcquirer('refund', refundWord);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `word-ref-refused-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 20000, refunded: 0 });
      expect(await read(gateway, order.id)).toMatchObject({ payments: [{ capturedAmount: { amount: '200.00' }, refundedAmount: { amount: '0.00' } }] });
      expect(harness.marks(dintero, 'refunds').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(0);
    });
  });

  describe.each([
    ['full transactions with events', { events: true }],
    ['full transactions without events', {}],
  ] as [string, Partial<IndependentDinteroOptions>][])('a transaction whose amount is what it still holds (%s)', (_name, variation) => {
    const setup = useVariation({ ...variation, transactionAmount: 'remaining', callback: NO_CALLBACK });

    it('keeps the order\'s payment at what was authorized: the rest is captured after a first partial capture, then refunded whole', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `open-cap-1-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '100.00' } }] }],
        // Before: INVALID_STATE, "Capture of 398.00 exceeds the 298.00 authorized and not yet captured".
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `open-cap-2-${order.id}` }], { status: 'CAPTURED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '498.00', idempotencyKey: `open-ref-${order.id}` }], { status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }], creation: { infos: [] } }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 49800 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });

  describe('a transaction whose amount is what it still holds, read through a late callback', () => {
    // The payment's callback is held back (holdCallbacks); the poller finds the payment first.
    const setup = useVariation({ events: true, transactionAmount: 'remaining' }, { reconcileIntervalMs: 200 });

    it('the callback after a partial capture does not lower what the order shows authorized', async () => {
      const { dintero, gateway } = setup;
      dintero.holdCallbacks(1);
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `late-cb-cap-1-${order.id}` }], { status: 'PARTIALLY_CAPTURED' }]]);
      await dintero.sendHeldCallbacks();
      expect(dintero.callbacks.at(-1)?.status).toBeLessThan(300);
      await sleep(300);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '100.00' } }] });
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `late-cb-cap-2-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }]]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['full transactions with events', { events: true }],
    ['full transactions without events', {}],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
    ['events, marks in the seed\'s order', { events: true, marksInOrder: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('PARTIALLY_CAPTURED_REFUNDED after a refund while part is not captured, captures after it (%s)', (_name, variation) => {
    const setup = useVariation({ ...variation, afterRefund: 'partially-captured-refunded', callback: NO_CALLBACK });

    it('a partial capture refunded whole stays open, the rest is captured and refunded: REFUNDED, every figure Dintero\'s', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `pcr-cap-1-${order.id}` }], { status: 'PARTIALLY_CAPTURED' }],
        [[{ type: 'REFUND', amount: '100.00', idempotencyKey: `pcr-ref-1-${order.id}` }], { status: 'PARTIALLY_REFUNDED', providerStatus: 'PARTIALLY_CAPTURED_REFUNDED', payments: [{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `pcr-cap-2-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '100.00' } }] }],
        [[{ type: 'REFUND', amount: '398.00', idempotencyKey: `pcr-ref-2-${order.id}` }], { status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }], creation: { infos: [] } }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'REFUNDED', captured: 49800, refunded: 49800 });
      if (variation.marksInOrder) {
        for (const kind of ['captures', 'refunds']) expect(harness.marks(dintero, kind).filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(2);
      }
    });
  });
});
