/**
 * Round ten against the independent Dintero (test/support/independent/dintero-server.ts): what a
 * faithful server may write in a money history, say to a mark sent twice, or fail at while its
 * writes work, where the seed shows no answer at all (it shows request bodies only).
 *
 * - Refund events whose amounts are negative (refundEventSign: a ledger writes money going back to
 *   the buyer as a debit, `"amount": -5000`), as numbers, digit strings and in major units. Found:
 *   one such amount made the whole history unreadable (read as none), so every transaction with a
 *   refund was read by its status alone: a second partial refund whose answer was lost was not found
 *   by its reference (PROVIDER_UNAVAILABLE, `dintero.outcome_unknown`, never counted), and a refund
 *   the acquirer refused (its event failed under the gateway's reference) was answered done and
 *   counted: money Dintero never moved. Fixed: an event's amount is read as its size, its name says
 *   which way the money went (wire.ts eventMinor).
 * - Events whose `success` is text, `"true"` / `"false"` (eventSuccess: a serialiser that writes every
 *   scalar as a string). Found: the same, the whole history read as none: a capture the acquirer
 *   refused was answered done and counted, and a second partial capture whose answer was lost was
 *   not found. Fixed: `"true"` / `"false"` in any case are read as the booleans (wire.ts eventSuccess).
 * - An Orders API that keeps each mark's `id` and refuses a second one under it 409 "already
 *   exists" (markIds 'conflict'), the answer to the first lost on the way (loseNextMarkAnswer).
 *   Found: the resend's refusal was taken as final: the authorization (or capture) mark, recorded,
 *   was shown `dintero.recording_failed` for a person to fix. Fixed: a refusal that says the mark is
 *   already there (a duplicate, already exists / recorded) is the mark taken (recordings.ts
 *   saysAlreadyRecorded); a 409 for another reason still fails it (a guard below).
 * - Transaction reads that fail (503) while the writes work (reads served apart, their replica
 *   down). Found: a keyed capture or refund whose read before sending failed, never sent, was
 *   answered PROVIDER_UNAVAILABLE as an outcome Dintero may have carried out: its amount stayed
 *   reserved and every retry under its key was refused unsent for ten minutes. Fixed: that failure
 *   says the operation was not sent (money-change.ts readBeforeFailed), so the retry sends it, once.
 *
 * Left: a duplicate refused in words none of those (an empty or bare 409) still fails the mark
 * (round eleven: taken as recorded where the gateway sent that mark before, recordings.ts
 * wordlessConflict); a
 * capture event written negative as a reversal would be read as a capture (no seed shows one); a
 * read before sending refused 429 with Dintero's error body is answered PROVIDER_REJECTED (nothing
 * moved; the retry under its key is sent), not PROVIDER_UNAVAILABLE (round eleven: now
 * PROVIDER_UNAVAILABLE, client.ts rejection; the test below says so).
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
const RECORDING_INFOS = ['dintero.recording_pending', 'dintero.recording_failed'];

describe('Dintero adapter against an independent implementation of the seed, round ten', () => {
  const harness = independentDinteroHarness('-10');
  const { useVariation, authorized, read, apply, reaches } = harness;

  describe.each([
    ['amounts as numbers', {}],
    ['amounts as digit strings', { stringNumbers: true }],
    ['amounts in major units', { readUnits: 'major' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('refund events written with negative amounts (a ledger\'s debit), %s', (_name, variation) => {
    const setup = useVariation({ ...variation, events: true, refundEventSign: 'negative' });

    it('a second partial refund whose answer is lost is found by its reference: answered done, counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', idempotencyKey: `neg-cap-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '100.00', idempotencyKey: `neg-ref1-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] }],
      ]);
      dintero.loseNextAnswer('refund', 502);
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `neg-ref2-${order.id}` }]);
      expect(lost.errors).toBeUndefined();
      expect(lost.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '150.00' } }] });
      // A retry under the same key sends nothing more.
      const retry = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `neg-ref2-${order.id}` }]);
      expect(retry.errors).toBeUndefined();
      const after = await read(gateway, order.id);
      expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '150.00' } }] });
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 15000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 2, void: 0 });
    });

    it('a refund the acquirer refused (its event failed) is PROVIDER_REJECTED and counts nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `negf-cap-${order.id}` }])).errors).toBeUndefined();
      dintero.failNextAtAcquirer('refund');
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `negf-ref-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 0 });
    });
  });

  describe.each([
    ['with events', { events: true }],
    ['with events, amounts as digit strings', { events: true, stringNumbers: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('events whose `success` is text ("true" / "false"), %s', (_name, variation) => {
    const setup = useVariation({ ...variation, eventSuccess: 'string' });

    it('a capture the acquirer refused (its event "false") is PROVIDER_REJECTED and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `text-fail-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `text-ok-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a second partial capture whose answer is lost is found by its reference: answered done, counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `text-cap1-${order.id}` }])).errors).toBeUndefined();
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '150.00', idempotencyKey: `text-cap2-${order.id}` }]);
      expect(lost.errors).toBeUndefined();
      expect(lost.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '250.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 0, void: 0 });
    });
  });

  describe('an Orders API that refuses a mark id it already holds (409 "already exists"), no callback', () => {
    const setup = useVariation({ markIds: 'conflict', callback: NO_CALLBACK });

    it('the authorization mark whose answer was lost, resent and refused as already there, is recorded, not failed', async () => {
      const { dintero, gateway } = setup;
      dintero.loseNextMarkAnswer('authorizations', 502);
      const { order } = await authorized(setup);
      await sleep(1_500); // the poller's re-reads (200 ms) resend the pending mark
      const after = await read(gateway, order.id);
      expect(after.status).toBe('AUTHORIZED');
      expect(after.creation.infos.map((info) => info.code).filter((code) => RECORDING_INFOS.includes(code))).toEqual([]);
      const sent = dintero.received.filter((request) => request.host === 'api' && request.path.endsWith('/authorizations'));
      expect(sent.map((request) => request.status)).toEqual([502, 409]);
      // And the order goes on: its capture is marked.
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `dup-auth-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(dintero.received.filter((request) => request.path.endsWith(`/${order.providerOrderId}/captures`) && request.status! < 300)).toHaveLength(1);
    });

    it('a capture mark whose answer was lost, resent and refused as already there, is recorded, not failed', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await sleep(400); // the authorization mark
      dintero.loseNextMarkAnswer('captures', 502);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `dup-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      await sleep(1_500);
      const after = await read(gateway, order.id);
      expect(after.creation.infos.map((info) => info.code).filter((code) => RECORDING_INFOS.includes(code))).toEqual([]);
      const sent = dintero.received.filter((request) => request.host === 'api' && request.path.endsWith(`/${order.providerOrderId}/captures`));
      expect(sent.map((request) => request.status)).toEqual([502, 409]);
      // A refund's mark comes after it (the seed's order), and is taken.
      const refunded = await apply(gateway, order.id, [{ type: 'REFUND', amount: '40.00', idempotencyKey: `dup-ref-${order.id}` }]);
      expect(refunded.errors).toBeUndefined();
      await sleep(400);
      expect((await read(gateway, order.id)).creation.infos.map((info) => info.code).filter((code) => RECORDING_INFOS.includes(code))).toEqual([]);
    });

    it('a mark refused 409 for another reason (the order\'s state) still fails: nothing says it is there', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await sleep(400);
      dintero.failNext('captures', 409);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `other-409-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await reaches(gateway, order.id, 'CAPTURED');
      const after = await read(gateway, order.id);
      expect(after.creation.infos.map((info) => info.code)).toContain('dintero.recording_failed');
    });
  });

  describe.each([
    ['full transactions', {}],
    ['full transactions with events', { events: true }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('transaction reads that fail while the writes work (reads served apart, their replica down: 503), %s', (_name, variation) => {
    const setup = useVariation(variation);

    it('a keyed capture whose read before sending fails is not sent; its retry under the same key is, once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failReads(1_000, 503);
      const failed = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `reads-down-${order.id}` }]);
      dintero.failReads(0, 503);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
      const retried = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `reads-down-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      // And the rest can be captured: nothing stays reserved for the first try.
      const rest = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `reads-down-rest-${order.id}` }]);
      expect(rest.errors).toBeUndefined();
      expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 0, void: 0 });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800 });
    });

    it('a keyed refund whose read before sending fails is not sent; its retry under the same key is, once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `reads-down-cap-${order.id}` }])).errors).toBeUndefined();
      dintero.failReads(1_000, 503);
      const failed = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `reads-down-ref-${order.id}` }]);
      dintero.failReads(0, 503);
      expect(failed.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retried = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `reads-down-ref-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '50.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });
  });

  describe('transaction reads refused 429 with Dintero\'s error body (a rate limit on reads)', () => {
    const setup = useVariation({});

    // Round eleven: a 429 is "come back later" whatever its body (client.ts rejection), PROVIDER_UNAVAILABLE.
    it('a keyed capture whose read before sending is refused is PROVIDER_UNAVAILABLE, not sent; its retry under the same key is sent, once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failReads(1_000, 429);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `reads-429-${order.id}` }]);
      dintero.failReads(0, 429);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
      const retried = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `reads-429-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });
});
