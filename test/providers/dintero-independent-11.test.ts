/**
 * Round eleven against the independent Dintero (test/support/independent/dintero-server.ts): round
 * ten's leftovers, and how a faithful server may answer a money call or write a money history,
 * where the seed shows no answer and no history at all (it shows request bodies only).
 *
 * - Calls turned away 429 (a rate limit), with Dintero's error body or an empty one. Found: with
 *   the body a 429 was PROVIDER_REJECTED, so a capture (or refund, round ten) whose read before
 *   sending was turned away was answered as refused (nothing was), a mark turned away was
 *   `dintero.recording_failed`, never resent, and the void releasing a late authorization was
 *   given up (`dintero.late_authorization_unreleased`, the buyer's money left reserved for a
 *   person to release at Dintero); without the body, a capture turned away was taken for an
 *   outcome Dintero may have carried out (`dintero.outcome_unknown`, its amount reserved). Fixed:
 *   408, 425 and 429 are "come back later" whatever their body: PROVIDER_UNAVAILABLE, nothing
 *   taken (client.ts rejection); the retry under the key is sent, once, the mark resent, the void
 *   asked again.
 * - A refusal answered 200 as the flag alone, `{success: "false" | 0 | false, message}`, no error
 *   object (refusalsAs200Body 'flag-only'). Found: the text or number flag was no refusal (round
 *   ten read text flags in events only): a refused capture or refund was read back and counted,
 *   money Dintero never moved, a refused void was answered done, a refused mark was taken as made;
 *   and the message beside the flag was lost. Fixed: one reading of the flag for events and
 *   answers, 1 / 0 too (wire.ts successFlag); the message beside it is the refusal's words.
 *   JSend's `{status: "fail", message}` (refusalsAs200Body 'jsend'): a money call held (read as a
 *   failed operation's record, below) but lost its words, and a mark so refused was taken as made.
 *   Fixed: a mark's answer whose status says it failed is a refusal (client.ts markRefused), and the
 *   message beside a failed status is the refusal's words.
 * - An Orders API that keeps each mark's id and refuses a resend 409 with an empty or a text body
 *   (round ten's leftover). Found: the mark whose first answer was lost was failed for good.
 *   Fixed: a 409 that says nothing of its own on a mark the gateway sent before is the mark
 *   already there (recordings.ts wordlessConflict, sends counted per mark id); on a first send it
 *   still fails.
 * - A capture or refund answered as a record of its own (operationAnswer 'operation', with or
 *   without an id) whose status says FAILED (the acquirer refused it). Found: the record was read
 *   past, the transaction read back (no events, or `{id, status}`) and the operation counted as
 *   Dintero's yes: money Dintero never moved. Fixed: such a record is Dintero's no,
 *   PROVIDER_REJECTED (client.ts operationRefused).
 * - Events timed in epoch seconds, named under `type`, with amounts as decimal strings, whose
 *   `success` is 1 / 0, or without amounts. Found: any of the first four made the whole history
 *   unreadable (read as none): a capture the acquirer refused was answered done and counted, a
 *   second partial refund whose answer was lost was not found; without amounts (round six), the
 *   lost refund's event under its reference was not asked for (the status decided), so it stayed
 *   `dintero.outcome_unknown`. Fixed: such a time or amount is none, `type` is read as the name,
 *   1 / 0 as the flag (wire.ts), and an event under the gateway's own reference shows its
 *   operation whatever the amounts (mapping.ts showsOperation).
 * - A capture or refund Dintero carries out later (202), its 202 lost, retried under its key
 *   before Dintero carried it out: nothing broke (the retry is answered with the order as it
 *   stands, nothing sent; counted once when the history shows it); the tests stay as guards.
 *
 * Left: a 409 without words on a mark sent before is taken as the mark there even if the conflict
 * was another (an Orders API that keeps marks in order answering its refusal with no words; the
 * gateway's marks wait for their predecessors, so only a predecessor wrongly taken could lead
 * there); a text error body's words are still not read (a 4xx text body is coded by its status);
 * an event whose `success` is other text ("yes") still makes the history unreadable; round
 * eight's two it.fails stand (a refusal with an empty body of the fields the gateway adds: fixing
 * it would resend the seed's shape after every wordless refusal; two authorizations on one
 * session: needs the domain).
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
const RECORDING_INFOS = ['dintero.recording_pending', 'dintero.recording_failed'];

describe('Dintero adapter against an independent implementation of the seed, round eleven', () => {
  const harness = independentDinteroHarness('-11');
  const { useVariation, authorized, read, apply, reaches } = harness;
  const recordingInfos = async (gateway: Parameters<typeof read>[0], id: string) =>
    (await read(gateway, id)).creation.infos.map((info) => info.code).filter((code) => RECORDING_INFOS.includes(code));

  describe.each([
    ['with Dintero\'s error body', { callback: NO_CALLBACK }],
    ['with an empty body', { errorBody: 'empty', callback: NO_CALLBACK }],
    ['with Dintero\'s error body, bare {id, status} transactions', { transaction: 'minimal', callback: NO_CALLBACK }],
    ['with an empty body, bare {id, status} transactions', { errorBody: 'empty', transaction: 'minimal', callback: NO_CALLBACK }],
  ] as [string, Partial<IndependentDinteroOptions>][])('calls turned away 429 (a rate limit: come back later), %s', (_name, variation) => {
    const setup = useVariation(variation);

    it('a keyed refund whose read before sending is refused 429 is PROVIDER_UNAVAILABLE, not sent; its retry under the same key is sent, once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `r429-cap-${order.id}` }])).errors).toBeUndefined();
      dintero.failReads(1_000, 429);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `r429-ref-${order.id}` }]);
      dintero.failReads(0, 429);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
      const retried = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `r429-ref-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '50.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });

    it('a keyed capture turned away 429 is PROVIDER_UNAVAILABLE, nothing kept reserved; its retry under the same key is sent and taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('capture', 429);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `p429-cap-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
      const after = await read(gateway, order.id);
      expect(after).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      const retried = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `p429-cap-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      // And the rest can be captured: nothing stays reserved for the first try.
      const rest = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `p429-rest-${order.id}` }]);
      expect(rest.errors).toBeUndefined();
      expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 0, void: 0 });
    });

    it('a capture mark turned away 429 is not failed: it is sent again and recorded', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)));
      dintero.failNext('captures', 429);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `m429-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await eventually(async () => harness.marks(dintero, 'captures').filter((mark) => mark.path.includes(`/${order.providerOrderId}/`)).length === 1);
      await sleep(400);
      expect(await recordingInfos(gateway, order.id)).toEqual([]);
      const sent = dintero.received.filter((request) => request.host === 'api' && request.path.endsWith(`/${order.providerOrderId}/captures`));
      expect(sent.map((request) => request.status)).toEqual([429, 201]);
    });
  });
  describe.each([
    ['the flag as text ("false"), amounts as digit strings', { eventSuccess: 'string', stringNumbers: true }],
    ['the flag as text ("false"), bare {id, status} transactions', { eventSuccess: 'string', transaction: 'minimal' }],
    ['the flag a boolean', {}],
    ['the flag as a number (0)', { eventSuccess: 'number' }],
    ['JSend\'s `{status: "fail", message}`, no flag', { refusalsAs200Body: 'jsend' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('refusals answered 200 with the flag alone (`{success, message}`, no error object), %s', (_name, variation) => {
    const setup = useVariation({ refusalsAs200Body: 'flag-only', ...variation, refusalsAs200: true, callback: NO_CALLBACK });

    it('a refused capture is PROVIDER_REJECTED in Dintero\'s words and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('capture', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `flag-cap-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(refused.errors?.[0]?.message).toContain('capture refused');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `flag-cap2-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a refused refund is PROVIDER_REJECTED and counts nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `flag-rcap-${order.id}` }])).errors).toBeUndefined();
      dintero.failNext('refund', 400);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `flag-ref-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 0 });
    });

    it('a refused void leaves the order AUTHORIZED, the money still capturable', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('void', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('AUTHORIZED');
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `flag-void-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800 });
    });

    it('a refused capture mark is `dintero.recording_failed`, not taken as made', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)));
      dintero.failNext('captures', 400);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `flag-mark-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await reaches(gateway, order.id, 'CAPTURED');
      await eventually(async () => (await recordingInfos(gateway, order.id)).includes('dintero.recording_failed'), 3_000);
    });
  });
  describe.each([
    ['an empty body', { errorBody: 'empty' }],
    ['a text body', { errorBody: 'text' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('an Orders API that refuses a mark id it already holds 409 with %s (nothing said in Dintero\'s words), no callback', (_name, variation) => {
    const setup = useVariation({ ...variation, markIds: 'conflict', callback: NO_CALLBACK });

    it('the authorization mark whose answer was lost, resent and refused 409, is recorded, not failed', async () => {
      const { dintero, gateway } = setup;
      dintero.loseNextMarkAnswer('authorizations', 502);
      const { order } = await authorized(setup);
      await sleep(1_500); // the poller's re-reads (200 ms) resend the pending mark
      expect(await recordingInfos(gateway, order.id)).toEqual([]);
      const sent = dintero.received.filter((request) => request.host === 'api' && request.path.endsWith(`/${order.providerOrderId}/authorizations`));
      expect(sent.map((request) => request.status)).toEqual([502, 409]);
      // And the order goes on: its capture is marked.
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `bare-auth-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await sleep(400);
      expect(await recordingInfos(gateway, order.id)).toEqual([]);
      expect(harness.marks(dintero, 'captures').filter((mark) => mark.path.includes(`/${order.providerOrderId}/`))).toHaveLength(1);
    });

    it('a capture mark whose answer was lost, resent and refused 409, is recorded, not failed', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)));
      dintero.loseNextMarkAnswer('captures', 502);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `bare-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await sleep(1_500);
      expect(await recordingInfos(gateway, order.id)).toEqual([]);
      const sent = dintero.received.filter((request) => request.host === 'api' && request.path.endsWith(`/${order.providerOrderId}/captures`));
      expect(sent.map((request) => request.status)).toEqual([502, 409]);
    });

    it('a mark refused 409 the first time it is sent still fails: it cannot be one already there', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)));
      dintero.failNext('captures', 409);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `bare-first-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await reaches(gateway, order.id, 'CAPTURED');
      await eventually(async () => (await recordingInfos(gateway, order.id)).includes('dintero.recording_failed'), 3_000);
    });
  });
  describe.each([
    ['events', { events: true }],
    ['events, newest first', { events: true, eventsNewestFirst: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a capture or refund taken (202) and carried out 1.5 s later, its answer lost, with %s', (_name, variation) => {
    const setup = useVariation({ ...variation, transaction: 'full', settleAfterMs: 1_500, callback: NO_CALLBACK });

    it('a keyed capture retried under its key before Dintero carried it out is not sent again; it is counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `async-cap-${order.id}` }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      // The retry under the key is answered with the order as it stands (the first try still being resolved), nothing sent.
      const retried = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `async-cap-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
      await eventually(async () => dintero.transactionById(transactionId)!.captured > 0);
      const after = await eventually(async () => {
        const read1 = await read(gateway, order.id);
        return read1.payments[0]?.capturedAmount.amount === '100.00' && read1;
      }, 3_000);
      expect(after).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `async-cap-${order.id}` }]);
      expect(again.errors).toBeUndefined();
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a keyed refund retried under its key before Dintero carried it out is not sent again; it is counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `async-rcap-${order.id}` }])).errors).toBeUndefined();
      await eventually(async () => dintero.transactionById(transactionId)!.captured === 49800, 3_000);
      dintero.loseNextAnswer('refund', 502);
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `async-ref-${order.id}` }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const retried = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `async-ref-${order.id}` }]);
      expect(retried.errors).toBeUndefined();
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
      await eventually(async () => dintero.transactionById(transactionId)!.refunded > 0, 3_000);
      await sleep(1_800);
      expect(dintero.transactionById(transactionId)).toMatchObject({ refunded: 5000 });
      expect(await read(gateway, order.id)).toMatchObject({ payments: [{ refundedAmount: { amount: '50.00' } }] });
    });
  });
  describe.each([
    ['the operation with an id of its own, full transactions without events', { operationAnswer: 'operation', transaction: 'full' }],
    ['the operation with an id of its own, bare {id, status} transactions', { operationAnswer: 'operation', transaction: 'minimal' }],
    ['the operation as a record without an id, full transactions without events, lower case', { operationAnswer: 'operation-without-id', transaction: 'full', statusCase: 'lower' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('captures and refunds answered as resources of their own, one failed at the acquirer answered with its status FAILED: %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('a capture answered FAILED is PROVIDER_REJECTED and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `opfail-cap-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `opfail-cap2-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a refund answered FAILED is PROVIDER_REJECTED and counts nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `opfail-rcap-${order.id}` }])).errors).toBeUndefined();
      dintero.failNextAtAcquirer('refund');
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `opfail-ref-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 0 });
    });
  });
  describe.each([
    ['timed in epoch seconds', { eventTimes: 'epoch-s' }],
    ['named under `type`', { eventNameField: 'type' }],
    ['named under `type`, timed in epoch seconds, newest first', { eventNameField: 'type', eventTimes: 'epoch-s', eventsNewestFirst: true }],
    ['with amounts as decimal strings ("100.00")', { readUnits: 'major-decimal-string' }],
    ['without amounts', { eventAmounts: 'omitted' }],
    ['whose `success` is 1 / 0', { eventSuccess: 'number' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('events %s', (_name, variation) => {
    const setup = useVariation({ ...variation, transaction: 'full', events: true, callback: NO_CALLBACK });

    it('a capture the acquirer refused (its event failed) is PROVIDER_REJECTED and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `ev-fail-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `ev-ok-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a second partial refund whose answer is lost is found by its reference: answered done, counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', idempotencyKey: `ev-cap-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '100.00', idempotencyKey: `ev-ref1-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] }],
      ]);
      dintero.loseNextAnswer('refund', 502);
      const lost = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `ev-ref2-${order.id}` }]);
      expect(lost.errors).toBeUndefined();
      expect(lost.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '150.00' } }] });
      const after = await read(gateway, order.id);
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 15000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 2, void: 0 });
    });
  });
  /**
   * The release of a late authorization (a second try paid on the page of an order already FAILED):
   * the gateway voids it at Dintero (reconcile.ts). A void turned away 429 is not a refusal.
   */
  describe('a late authorization whose void is turned away 429 with Dintero\'s error body', () => {
    const setup = useVariation({}, { reconcileIntervalMs: 500 });

    it('is voided on a later turn, not left for a person to release', async () => {
      const { dintero, gateway } = setup;
      const created = await harness.create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, created.id, 'FAILED');
      dintero.failNext('void', 429);
      const transactionId = await dintero.pay(sessionId);
      await eventually(async () => dintero.operationsOn(transactionId).void === 1, 6_000);
      const voids = dintero.received.filter((request) => request.path === `/v1/transactions/${transactionId}/void`).map((request) => request.status);
      expect(voids[0]).toBe(429);
      await sleep(600);
      const after = await read(gateway, created.id);
      expect(after.status).toBe('FAILED');
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.late_authorization_unreleased');
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
    });
  });
});
