/**
 * Round thirteen against the independent Dintero (test/support/independent/dintero-server.ts).
 * (header written at the end of the round)
 */
import { describe, expect, it } from 'vitest';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round thirteen', () => {
  const harness = independentDinteroHarness('-13');
  const { useVariation, authorized, read, apply } = harness;

  describe.each([
    ['VOIDED, full transactions', 'VOIDED', {}],
    ['VOIDED, bare {id, status} transactions', 'VOIDED', { transaction: 'minimal' }],
    ['CANCELLED, full transactions with events', 'CANCELLED', { events: true }],
  ] as [string, string, Partial<IndependentDinteroOptions>][])('a void whose answer is lost, the transaction then in a word nobody listed (%s)', (_name, voidedWord, variation) => {
    const setup = useVariation({ ...variation, wordFor: { AUTHORIZATION_VOIDED: voidedWord }, callback: NO_CALLBACK });

    it('found voided by the re-read: CANCELLED, the word as written, voided once, the cancel marked', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('void', 502);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `lost-void-${order.id}` }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED', providerStatus: voidedWord, payments: [{ status: 'VOIDED' }] });
      await sleep(500); // the poller's turns (200 ms), in the word nobody listed
      const now = await read(gateway, order.id);
      expect(now).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED' }] });
      expect(now.creation.infos).toEqual([]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect(harness.marks(dintero, 'cancel').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(1);
    });

    it('its re-read failing too: outcome unknown, then found voided by reconciliation (CANCELLED), voided once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('void', 502);
      dintero.failReadsAfter('void', 1_000, 503);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `lost-void-unread-${order.id}` }]);
      expect(cancelled.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', creation: { infos: [{ code: 'dintero.outcome_unknown' }] } });
      dintero.failReads(0, 503);
      const settled = await harness.reaches(gateway, order.id, 'CANCELLED', 3_000);
      expect(settled).toMatchObject({ payments: [{ status: 'VOIDED' }], creation: { infos: [] } });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect(harness.marks(dintero, 'cancel').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(1);
    });
  });
});
