/**
 * Round fifteen against the independent Dintero (test/support/independent/dintero-server.ts): a
 * second money call after one the acquirer refused (round fourteen drove the refusal alone), and
 * round six's major units beside round fourteen's open amount. The seed shows no void, no answer,
 * no status after an operation, no event and no transaction read at all (request bodies only).
 *
 * - A cancel after a void the acquirer refused (round fourteen's failed VOID event: `success:
 *   false`, `VOID_FAILED`, its own `status: FAILED`, listed newest first), Dintero taking the second
 *   void (202) and releasing the money later (settleAfterMs). Found: a void carries no reference,
 *   so the first void's failed event in the transaction read back was taken for the second's
 *   refusal: PROVIDER_REJECTED, the order AUTHORIZED (and not re-read: nothing pending) while
 *   Dintero released the buyer's money; its 202 lost, the second void, unknown, was dropped by
 *   reconciliation at once as refused. Fixed: the transaction is read before a void, and only
 *   refusals beyond those it showed then are this void's (mapping.ts voidsBeforeOf / voidFailedIn,
 *   kept in the pending entry for reconciliation); a read that fails sends the void as before.
 * - A capture, refund or cancel after one the acquirer refused in a word of the server's own
 *   (`CAPTURE_FAILED`, `REFUND_FAILED`, `VOID_FAILED`: round fourteen), at a server that works the
 *   status out from its last settled operation, so the word stays until the next one is carried
 *   out (refusalWordKept), the next taken (202) and carried out later. Found: the read-back's word,
 *   the first one's, was read as the second one's refusal (mapping.ts refusedInWord):
 *   PROVIDER_REJECTED while Dintero captured (refunded, voided) it all the same: money the order
 *   never showed, so a merchant who asked again would have it moved twice. Fixed: a failing word
 *   the read before the call already said is not the call's refusal (mapping.ts sameWord; for a
 *   void, voidsBeforeOf): the 202 counts as any 202 does (asAccepted).
 * - A transaction whose amount is what it still holds (round fourteen's transactionAmount
 *   'remaining') written in major units (round six's readUnits 'major'), with events. Found: once
 *   money moved, its amount (398 after 100.00 of 498.00 was captured) was no longer the total in
 *   major units, so nothing of it was read as major: the capture event's 100 was 1.00, the order
 *   showed 1.00 captured and a refund of 50.00 was INVALID_STATE while Dintero held 100.00. Fixed:
 *   the units are told by the transaction's figures of the whole authorization, its amount, else
 *   its items' sum or its AUTHORIZE event's amount (binding.ts writesMajorUnits).
 *
 * Left: a second refusal said only in the same word the first one left (or, for a void, only in a
 * failed event where no new one shows) is read as Dintero's yes and counted, money Dintero never
 * moved, as a 202 refused later is (rounds five, seven, fourteen): the same word before and after
 * cannot say which call it is about. Where there is no read before the call (an unkeyed capture or
 * refund on an order that already counts money of its kind; the void releasing a late
 * authorization, sent once) or it fails, every failing word or void event is the call's, as before.
 * A transaction writing its open amount in major units with neither items nor an AUTHORIZE event
 * is read by its amount alone, in minor units once money moved (as before).
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round fifteen', () => {
  const harness = independentDinteroHarness('-15');
  const { useVariation, authorized, read, apply } = harness;

  describe.each([
    ['a failed VOID event (success: false)', { events: true }],
    ['a failed VOID event written VOID_FAILED', { events: true, failedEvents: 'event-name' }],
    ['a VOID event with its own status FAILED, listed newest first', { events: true, failedEvents: 'status-field', eventsNewestFirst: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a second cancel after a void the acquirer refused (%s), Dintero taking the second 202 and voiding later', (_name, variation) => {
    const setup = useVariation({ ...variation, settleAfterMs: 300, callback: NO_CALLBACK });

    it('is Dintero\'s yes: the order CANCELLED, the cancel marked once; Dintero voids it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextVoidAtAcquirer();
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `first-void-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED' });
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `second-void-${order.id}` }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await sleep(500);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CANCELLED' });
      await eventually(async () => harness.marks(dintero, 'cancel').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`)).length === 1, 3_000);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 2 });
    });
  });

  describe('a second cancel after a void the acquirer refused, its 202 lost (502), Dintero voiding later', () => {
    const setup = useVariation({ events: true, settleAfterMs: 1_500, callback: NO_CALLBACK });

    it('is not dropped by the old failed event: kept unknown until Dintero voids, then shown (CANCELLED)', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextVoidAtAcquirer();
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `first-void-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      dintero.loseNextAnswer('void', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `second-void-${order.id}` }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      // The poller's turns (200 ms) before Dintero carries it out: still unknown, not dropped as refused.
      await sleep(700);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZED' });
      expect((await read(gateway, order.id)).creation.infos.map((info) => info.code)).toContain('dintero.outcome_unknown');
      const settled = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.status === 'CANCELLED' && now;
      }, 3_000);
      expect(settled.payments).toMatchObject([{ status: 'VOIDED' }]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 2 });
    });
  });

  describe.each([
    ['with events', { events: true }],
    ['with events listed newest first, refunds written negative', { events: true, eventsNewestFirst: true, refundEventSign: 'negative' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a transaction whose amount is what it still holds, in major units (%s)', (_name, variation) => {
    const setup = useVariation({ ...variation, transactionAmount: 'remaining', readUnits: 'major', afterRefund: 'partially-captured-refunded', callback: NO_CALLBACK });

    it('counts each capture and refund at its own size: partial captures and refunds to REFUNDED, every figure Dintero\'s', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `first-capture-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '100.00' } }] }],
        // Before: 1.00 captured (the 100 of the event read as minor units), this refund INVALID_STATE.
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: `first-refund-${order.id}` }], { payments: [{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '50.00' } }] }],
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `second-capture-${order.id}` }], { payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] }],
        [[{ type: 'REFUND', amount: '448.00', idempotencyKey: `second-refund-${order.id}` }], { status: 'REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '498.00' } }] }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 49800 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'REFUNDED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '498.00' } }] });
    });
  });

  describe('a capture after one the acquirer refused in a word of the server\'s own (CAPTURE_FAILED), the word kept until the next is carried out (202, later)', () => {
    const setup = useVariation({ refusalWordKept: true, callback: NO_CALLBACK });

    it('is Dintero\'s yes, counted once; no second capture is needed, none is made', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture', 'CAPTURE_FAILED');
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `refused-capture-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      // From here Dintero carries operations out 300 ms after taking them (202).
      dintero.options.settleAfterMs = 300;
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `taken-capture-${order.id}` }]);
      // Before: PROVIDER_REJECTED (the read-back's CAPTURE_FAILED was the first capture's), and Dintero captured 100.00 all the same.
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await sleep(500);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'PARTIALLY_CAPTURED', captured: 10000 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await eventually(async () => harness.marks(dintero, 'captures').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`)).length === 1, 3_000);
      // Carried out once (operationsOn does not count the one the acquirer refused).
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe('a refund after one the acquirer refused in a word of the server\'s own (REFUND_FAILED), the word kept until the next is carried out (202, later)', () => {
    const setup = useVariation({ refusalWordKept: true, callback: NO_CALLBACK });

    it('is Dintero\'s yes, counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }], { status: 'CAPTURED' }]]);
      dintero.failNextAtAcquirer('refund', 'REFUND_FAILED');
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `refused-refund-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      dintero.options.settleAfterMs = 300;
      const taken = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `taken-refund-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] });
      await sleep(500);
      expect(dintero.transactionById(transactionId)).toMatchObject({ refunded: 10000 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });
  });

  describe('a cancel after a void the acquirer refused in a word of the server\'s own (VOID_FAILED), no events, the word kept until the next is carried out (202, later)', () => {
    const setup = useVariation({ refusalWordKept: true, callback: NO_CALLBACK });

    it('is Dintero\'s yes: the order CANCELLED; Dintero voids it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextVoidAtAcquirer('VOID_FAILED');
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `refused-void-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      dintero.options.settleAfterMs = 300;
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `taken-void-${order.id}` }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await sleep(500);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CANCELLED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 2 });
    });
  });
});
