/**
 * Round six against the independent Dintero (test/support/independent/dintero-server.ts): where the
 * adapter decides "money moved" or "this is over" from what a faithful server may leave out or
 * write otherwise, and what changes at Dintero between the gateway's calls:
 * - a money history whose events name what happened but not its amount (eventAmounts: omitted),
 *   listed newest first (eventsNewestFirst);
 * - amounts in reads in major units: numbers, digit strings, decimal strings (readUnits), through
 *   the gateway's own reads and through a callback;
 * - reads 400 ms behind the writes under keyed operations back to back (guards);
 * - an authorization that runs out at Dintero, written FAILED or DECLINED (outside 'lapse');
 * - a capture or refund failed at the acquirer written in the event's name, CAPTURE_FAILED with no
 *   `success` field (failedEvents: event-name), answered, read back, or its answer lost;
 * - a capture taken as pending first (CAPTURE_PENDING under its reference, pendingEvents), its
 *   answer lost, then failed at the acquirer.
 * Every order made through the harness goes through its closing money check.
 */
import { describe, expect, it } from 'vitest';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const NO_CALLBACK: IndependentDinteroOptions['callback'] = { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 };

describe('Dintero adapter against an independent implementation of the seed, round six', () => {
  const harness = independentDinteroHarness('-6');
  const { useVariation, authorized, read, apply } = harness;

  describe.each([
    ['events without amounts, newest first', { eventAmounts: 'omitted', eventsNewestFirst: true }],
  ] as const)('a money history of %s', (_name, variation) => {
    const setup = useVariation({ transaction: 'full', events: true, ...variation, callback: NO_CALLBACK });

    it('a whole capture shows 498.00 captured, and a refund of part of it goes through', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors).toBeUndefined();
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      const refund = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00' }]);
      expect(refund.errors).toBeUndefined();
      expect(refund.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] });
      await new Promise((resolve) => setTimeout(resolve, 500)); // the poller's turns (200 ms)
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });

    it('a capture in two parts: each counted as Dintero holds it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const first = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(first.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      const rest = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '398.00' }]);
      expect(rest.data?.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      expect(dintero.operationsOn(transactionId).capture).toBe(2);
    });
  });
  describe.each([
    ['with events', { readUnits: 'major', events: true }],
    ['without events', { readUnits: 'major' }],
    ['as digit strings, with events', { readUnits: 'major', stringNumbers: true, events: true }],
    ['as decimal strings ("498.00"), with events', { readUnits: 'major-decimal-string', events: true }],
  ] as const)('amounts read in major units (498 for 498.00 NOK), %s', (_name, variation) => {
    const setup = useVariation({ transaction: 'full', ...variation, callback: NO_CALLBACK });

    it('the payment is 498.00, captured 498.00 by a whole capture, and a refund of part of it goes through', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect(order.payments[0]).toMatchObject({ amount: { amount: '498.00' } });
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors).toBeUndefined();
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      const refund = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00' }]);
      expect(refund.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ amount: { amount: '498.00' }, capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });

    it('a capture in two parts (100.00, then 398.00): each counted as Dintero holds it', async () => {
      const { gateway } = setup;
      const { order } = await authorized(setup);
      const first = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(first.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      const rest = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '398.00' }]);
      expect(rest.data?.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
    });
  });
  describe.each([
    ['as numbers', { readUnits: 'major' }],
    ['as decimal strings ("498.00")', { readUnits: 'major-decimal-string' }],
  ] as const)('amounts read in major units %s, the payment reported by its callback', (_name, variation) => {
    const setup = useVariation({ transaction: 'full', events: true, ...variation });

    it('the authorized payment is 498.00, and its authorization is marked for 498.00', async () => {
      const { dintero } = setup;
      const { order } = await authorized(setup);
      expect(order.payments[0]).toMatchObject({ amount: { amount: '498.00' } });
      const marks = harness.marks(dintero, 'authorizations');
      expect(marks).toHaveLength(1);
      expect(marks[0]!.body.items.reduce((total: number, item: { amount: number }) => total + item.amount, 0)).toBe(49800);
    });
  });
  describe.each([
    ['events with their references, answered 202', { transaction: 'full', events: true, operationAnswer: 'accepted' }],
    ['bare {id, status} transactions, answered 202', { transaction: 'minimal', operationAnswer: 'accepted' }],
  ] as const)('reads 400 ms behind the writes, %s: keyed operations back to back', (_name, variation) => {
    const setup = useVariation({ readLagMs: 400, ...variation, callback: NO_CALLBACK });

    it('capture in two parts, then refund part, each right after the other: each moved once, the order as Dintero holds it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'lag-cap-1' }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: 'lag-cap-2' }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: 'lag-ref-1' }], { status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] }],
      ]);
      // A retry of each with its key sends nothing again.
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '398.00', idempotencyKey: 'lag-cap-2' }]);
      expect(again.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 49800, refunded: 5000 });
    });
  });
  describe.each([
    ['FAILED, bare {id, status} transactions', { transaction: 'minimal', declineWord: 'FAILED' }],
    ['DECLINED, full transactions with events', { transaction: 'full', events: true, declineWord: 'DECLINED' }],
  ] as const)('an authorization that ran out at Dintero, written %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('the capture is refused, and the order then shows CANCELLED, nothing captured', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'lapse');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CANCELLED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 0 });
    });

    it('the cancel Dintero refuses (nothing left to void) leaves the order CANCELLED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.outside(transactionId, 'lapse');
      const cancel = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect(cancel.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('CANCELLED');
    });
  });
  describe.each([
    ['answered with the transaction', 'transaction'],
    ['answered 202, read back', 'accepted'],
  ] as const)('a capture or refund that fails at the acquirer, written in the event\'s name (CAPTURE_FAILED, no success field), %s', (_name, operationAnswer) => {
    const setup = useVariation({ transaction: 'full', events: true, failedEvents: 'event-name', operationAnswer, callback: NO_CALLBACK });

    it('the capture is refused and not counted', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const failed = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'named-failed-capture' }]);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
    });

    it('a failed capture whose answer was lost: dropped at once, nothing counted, and a new capture goes through', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'named-failed-lost' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }], creation: { infos: [] } });
      const fresh = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'after-the-named-failure' }]);
      expect(fresh.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    });

    it('the refund is refused and not counted', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.failNextAtAcquirer('refund');
      const failed = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00' }]);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ refundedAmount: { amount: '0.00' } }] });
    });
  });
  describe('a capture taken as pending (CAPTURE_PENDING under its reference), then failed at the acquirer 600 ms later', () => {
    const setup = useVariation({ transaction: 'full', events: true, pendingEvents: true, settleAfterMs: 600, callback: NO_CALLBACK });

    it('its answer lost: the pending event is not the capture shown; once it fails, nothing is counted', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'pending-then-failed' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }], creation: { infos: [] } });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 0 });
    });
  });
});
