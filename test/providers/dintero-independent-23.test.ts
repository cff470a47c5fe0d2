/**
 * Round twenty-three against the independent Dintero (test/support/independent/dintero-server.ts):
 * a session's times written by a stack's own `ToString` rather than an ISO serialiser, a session
 * archived or deleted while the gateway still waits on it, and refusals answered 200 in standard
 * error shapes. The seed shows no session read at all, no time in any form, nothing of how long
 * Dintero keeps a session, and no answer or HTTP status at all; CONTRACT §8 names `cancelled_at`
 * "once cancelled" and `expires_at` without a form.
 *
 * - A session read writing its unset `cancelled_at` as .NET's `DateTime.MinValue.ToString()` in the
 *   invariant culture (`01/01/0001 00:00:00`), in nb-NO (`01.01.0001 00:00:00`: Dintero is
 *   Norwegian), in en-US (`1/1/0001 12:00:00 AM`), or as Go's `time.Time{}.String()`
 *   (`0001-01-01 00:00:00 +0000 UTC`), as a template, a view model or a DTO of strings writes a
 *   time (unsetTimes; round nineteen wrote the ISO forms, and left `01/01/0001 00:00:00`). Found:
 *   no ISO reading takes these, so the zero value was "a value", a cancel: the poller's first read
 *   of a waiting order's session made it CANCELLED, final, while the buyer was still on the page
 *   (and a payment then would be voided as a late one: the sale lost). Fixed: a time text whose
 *   year, its one group of four digits, is 0000 or 0001 names no time (dates.ts unsetTime); a real
 *   cancel's time still ends the order (a guard below).
 * - A session read writing its `expires_at` as Go's `time.Time.String()` does, in Oslo's winter
 *   time (`2026-12-07 13:00:00.123456789 +0100 CET`; sessionExpiry 'go-string'). Found: no ISO
 *   reading took the trailing zone abbreviation, so the expiry was none: a session that ran out
 *   never made its order EXPIRED (CREATED for good). Fixed: the abbreviation after a numeric
 *   offset is dropped, the offset deciding (dates.ts goTimeString); an abbreviation alone decides
 *   nothing (not read, as before).
 * - A session archived or deleted after the gateway read it (purgeSession: 404, or 410 Gone), as a
 *   Checkout sweeping sessions past their expiry does, before the gateway's grace after the expiry
 *   ran out, no callback. Found: a 404 was read as "no session read offered" (round twenty-one), so
 *   the order, nobody having paid, stayed CREATED for good; a 410 was an error on every poller turn,
 *   the same. Fixed: a 410 is a session not there, as a 404 is (client.ts getSession), and the
 *   expiry a session read showed is kept (session-expiries.ts, a day past it); a session gone once
 *   that expiry and its grace have passed, with no transaction a callback named, makes the order
 *   EXPIRED as its read would have (reconcile.ts). A session gone whose expiry no read showed
 *   still leaves the order waiting: nothing is guessed (a guard below).
 * - A refusal answered 200 in a standard error shape with neither `success` nor `error` (round nine
 *   and eleven drove `{success: false, error}`, the flag alone and JSend): a list of errors and
 *   nothing else, `{errors: [{code, message}]}` (JSON:API's error document; GraphQL's, always with
 *   a 200), or RFC 9457 problem details whose own `status` is the refusal's, `{type, title, status:
 *   400, detail}` (ASP.NET's `Ok(problem)`, a filter writing ProblemDetails that leaves the 200)
 *   (refusalsAs200Body 'errors-array', 'problem'). Found: the answer was no transaction and said no
 *   refusal the adapter read, so the transaction was read back, unchanged, and Dintero's no taken for
 *   a yes: a refused capture or refund was counted (money Dintero never moved: the closing money
 *   check caught every such order), a refused void made the order CANCELLED, final, with the
 *   buyer's money reserved, a refused mark was taken as made, and a refused session made createOrder
 *   PROVIDER_UNAVAILABLE. Fixed: such a body is a refusal, PROVIDER_REJECTED in its words
 *   (refusal-bodies.ts, read by client.ts refusalIn2xx); a problem whose status is a 5xx or a "come
 *   back later" (408, 425, 429), and a list of errors beside an answer (`data`, an `id`), are not.
 *
 * Left: a 200 carrying problem details with a 5xx status (the work may or may not have been done)
 * is still read as before, the transaction read back and Dintero's yes taken where it does not show
 * the operation (as an empty 202 is); reading it as a lost answer needs the money paths' "outcome
 * unknown" from a 2xx, which they do not take. An `expires_at` written in a culture's own form with
 * a real date (`07.12.2026 13:00:00`) names no zone, so it is still none (the session is not expired by the gateway): reading it in
 * Oslo's or UTC's clock would be a guess. A leap second (`23:59:60`) in an `expires_at` is still
 * none (none is due before leap seconds end in 2035). The leftovers the brief named stand: a void
 * taken (202) and refused by the acquirer later is counted done (the seed shows no void and no event
 * for one, and the domain has no way back from CANCELLED); a callback naming a bare `{id, status}`
 * transaction, its query unencoded, at a Dintero without the session read, is still not believed
 * (nothing ties such a transaction to its order: round twenty-two).
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
/** The gateway's grace after a session's expiry (reconcile.ts EXPIRY_GRACE_MS), ten minutes. */
const GRACE_MS = 10 * 60_000;

describe('Dintero adapter against an independent implementation of the seed, round twenty-three', () => {
  const harness = independentDinteroHarness('-23');
  const { useVariation, create, read, apply, reaches, authorized } = harness;

  describe.each([
    ['.NET\'s DateTime.MinValue.ToString() in the invariant culture, 01/01/0001 00:00:00', { unsetTimes: 'dotnet-invariant' }],
    ['.NET\'s DateTime.MinValue.ToString() in nb-NO, 01.01.0001 00:00:00', { unsetTimes: 'dotnet-nb' }],
    ['.NET\'s DateTime.MinValue.ToString() in en-US, 1/1/0001 12:00:00 AM', { unsetTimes: 'dotnet-en-us' }],
    ['Go\'s time.Time{}.String(), 0001-01-01 00:00:00 +0000 UTC', { unsetTimes: 'go-string' }],
    ['the nb-NO form, the session naming its transaction as a try listed', { unsetTimes: 'dotnet-nb', sessionTransactionAs: 'transactions' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a session read writing its unset cancelled_at as %s, no callback (the poller reads the session)', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('a buyer still on the page: the order stays CREATED while its session is read; paid, it is AUTHORIZED, marked once, captured once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made.status).toBe('CREATED');
      await sleep(800); // the poller's turns (200 ms) read the session, nobody paid yet
      // Before: CANCELLED (no ISO reading takes the zero value, so it was a value: a cancel), final.
      expect(await read(gateway, made.id)).toMatchObject({ status: 'CREATED', payments: [] });
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/${order.providerOrderId}/`)).length === 1, 3_000);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `r23-zero-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a buyer who cancels on the page: the order is CANCELLED (a cancel\'s own time is still a cancel)', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      dintero.cancelSession(dintero.latestSessionId());
      const cancelled = await reaches(gateway, made.id, 'CANCELLED');
      expect(cancelled.payments).toEqual([]);
    });
  });

  describe('a session read writing its expires_at as Go\'s time.Time.String() in Oslo\'s winter time (+0100 CET), no callback', () => {
    describe('its expiry 20 minutes past', () => {
      const setup = useVariation({ sessionExpiry: { offsetMs: -20 * 60_000, format: 'go-string' }, callback: NO_CALLBACK });

      it('the order is EXPIRED (before: the expiry was unreadable, so the order stayed CREATED for good)', async () => {
        const { gateway } = setup;
        const made = await create(gateway);
        const expired = await reaches(gateway, made.id, 'EXPIRED');
        expect(expired.payments).toEqual([]);
      });
    });

    describe('its expiry 50 minutes ahead (a guard: the offset is read, so the expiry is not taken an hour early or late)', () => {
      const setup = useVariation({ sessionExpiry: { offsetMs: 50 * 60_000, format: 'go-string' }, callback: NO_CALLBACK });

      it('the order waits for the buyer; paid, it is AUTHORIZED and captured once', async () => {
        const { dintero, gateway } = setup;
        const made = await create(gateway);
        await sleep(800);
        expect(await read(gateway, made.id)).toMatchObject({ status: 'CREATED', payments: [] });
        const transactionId = await dintero.pay(dintero.latestSessionId());
        const order = await reaches(gateway, made.id, 'AUTHORIZED');
        const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `r23-go-exp-${order.id}` }]);
        expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
        expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
      });
    });
  });

  describe.each([
    ['deleted (404)', 404],
    ['archived (410 Gone)', 410],
  ] as [string, 404 | 410][])('a session %s after the gateway read it, no callback', (_name, status) => {
    describe('its expiry past, the gateway\'s grace after it running out 2.5 s after the order is made', () => {
      // The expiry is in the past from the start, its grace not yet over: the poller's first reads
      // keep the order waiting (the buyer may be finishing a payment), then the session is gone.
      const setup = useVariation({ sessionExpiry: { offsetMs: -(GRACE_MS - 2_500), format: 'iso' }, callback: NO_CALLBACK });

      it('the order is EXPIRED once the grace is over (before: CREATED for good)', async () => {
        const { dintero, gateway } = setup;
        const made = await create(gateway);
        await sleep(700); // the poller's turns (200 ms) read the session and its expiry
        expect(await read(gateway, made.id)).toMatchObject({ status: 'CREATED' });
        dintero.purgeSession(dintero.latestSessionId(), status);
        const expired = await reaches(gateway, made.id, 'EXPIRED', 6_000);
        expect(expired.payments).toEqual([]);
        expect(dintero.transactionFor(made.providerOrderId!)).toBeUndefined();
      });
    });

    describe('its expiry not written by any read (a guard: nothing is guessed)', () => {
      const setup = useVariation({ callback: NO_CALLBACK });

      it('the order stays CREATED, waiting', async () => {
        const { dintero, gateway } = setup;
        const made = await create(gateway);
        await sleep(500);
        dintero.purgeSession(dintero.latestSessionId(), status);
        await sleep(1_000);
        expect(await read(gateway, made.id)).toMatchObject({ status: 'CREATED', payments: [] });
      });
    });
  });

  describe.each([
    ['a list of errors and nothing else, `{errors: [{code, message}]}` (JSON:API, GraphQL)', { refusalsAs200Body: 'errors-array' }],
    ['RFC 9457 problem details, `{type, title, status: 400, detail}`', { refusalsAs200Body: 'problem' }],
    ['a list of errors, bare {id, status} transactions', { refusalsAs200Body: 'errors-array', transaction: 'minimal' }],
    ['problem details, full transactions with events', { refusalsAs200Body: 'problem', transaction: 'full', events: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('refusals answered 200 as %s, no callback', (_name, variation) => {
    const setup = useVariation({ ...variation, refusalsAs200: true, callback: NO_CALLBACK });

    it('a refused capture is PROVIDER_REJECTED in Dintero\'s words and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('capture', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `r23-200-cap-${order.id}` }]);
      // Before: the answer was no transaction and said no `error` or `success`, so the transaction
      // was read back, unchanged, and Dintero's no taken for a yes: 100.00 counted, never moved.
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(refused.errors?.[0]?.message).toContain('capture refused');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `r23-200-cap2-${order.id}` }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });

    it('a refused refund is PROVIDER_REJECTED and counts nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `r23-200-rcap-${order.id}` }])).errors).toBeUndefined();
      dintero.failNext('refund', 400);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00', idempotencyKey: `r23-200-ref-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 0 });
    });

    it('a refused void leaves the order AUTHORIZED, the money still capturable', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('void', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      // Before: CANCELLED, final, while the buyer's money stayed reserved at Dintero.
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, order.id)).status).toBe('AUTHORIZED');
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `r23-200-void-cap-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800 });
    });

    it('a refused capture mark is `dintero.recording_failed`, not taken as made', async () => {
      const { dintero, gateway } = setup;
      const { order } = await authorized(setup);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)), 3_000);
      dintero.failNext('captures', 400);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `r23-200-mark-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      await reaches(gateway, order.id, 'CAPTURED');
      await eventually(async () => (await read(gateway, order.id)).creation.infos.some((info) => info.code === 'dintero.recording_failed'), 3_000);
    });

    it('a refused session makes createOrder PROVIDER_REJECTED', async () => {
      const { dintero, gateway } = setup;
      dintero.failNext('session', 400);
      const refused = await gql(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    });
  });

  describe('a session archived (410 Gone) after its buyer paid, the callback naming both ids', () => {
    const setup = useVariation({});

    it('the order is AUTHORIZED through its callback, captured, then refunded once each, while the session read answers 410', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const sessionId = dintero.latestSessionId();
      const transactionId = await dintero.pay(sessionId);
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      dintero.purgeSession(sessionId, 410);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', idempotencyKey: `r23-gone-cap-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '98.00', idempotencyKey: `r23-gone-ref-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '98.00' } }] }],
      ]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });
  });
});
