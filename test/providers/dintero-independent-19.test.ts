/**
 * Round nineteen against the independent Dintero (test/support/independent/dintero-server.ts): what
 * a real platform's serialiser writes for a value it has not set yet, on two fields where the
 * adapter decided from a value's presence (a session's times, an event's outcome), and round
 * eighteen's leftover, a session created with no page at all. The seed shows no session read, no
 * event and no answer to the session's create; CONTRACT §8 names `cancelled_at` "once cancelled".
 *
 * - A session read writing its unset times as its stack's zero value (unsetTimes): Go's
 *   `time.Time{}` (`0001-01-01T00:00:00Z`: encoding/json's omitempty never leaves a struct out),
 *   .NET's `DateTime.MinValue` (`0001-01-01T00:00:00`), a 0 kept for unset read back as the Unix
 *   epoch (`1970-01-01T00:00:00Z`), MySQL's zero date (`0000-00-00 00:00:00`), on `cancelled_at`
 *   of a session nobody cancelled and on `expires_at`; round two wrote unset fields as `""` only.
 *   Found: a `cancelled_at` was a cancel whatever it said (only whether it was there counted), and
 *   a year-one or 1970 `expires_at` a session long run out: the poller's first read of a waiting
 *   order's session (no callback yet) made it CANCELLED, or EXPIRED, final, while the buyer was
 *   still on the page; a payment then would be voided as a late one (the sale lost). Fixed: a
 *   session time that is a stack's zero value (an instant at or before 1970-01-01, or a date of
 *   zeros) names no time (dates.ts unsetTime, read by wire.ts DinteroSession and parseDinteroTime).
 *   A real cancel's time and a real expiry still end the order (guards below).
 * - A capture or refund taken (202) whose one event is in the history at once with `success: null`
 *   (a nullable boolean: no outcome yet), updated in place to true or false once Dintero carries it
 *   out (undecidedSuccess); rounds six and twelve wrote an operation under way as an event of its
 *   own in a word (`CAPTURE_PENDING`, `IN_PROGRESS`) in an append-only history. Found: the null was
 *   read as absent, so the event under the gateway's reference was the operation shown: one the
 *   acquirer refused later was counted with nothing saying so (never watched, no
 *   `dintero.refused_after_accepted`), and one whose 202 was lost was answered done at once and
 *   counted, then still counted once the acquirer refused it (money Dintero never moved: the
 *   closing money check caught each such order). Fixed: `success: null` is kept as `undecided` and
 *   read as under way (wire.ts successUndecided, mapping.ts eventPending): watched until decided;
 *   a lost one is PROVIDER_UNAVAILABLE, `dintero.outcome_unknown`, until the history decides it.
 * - A session answered `201 Created` with its id in a Location and no page at all, the page named
 *   only in its read, HAL-style (`_links.checkout.href`; sessionPageInRead). Found (round
 *   eighteen's leftover): the buyer was sent to round four's fallback `<checkout>/v1/view/<id>`,
 *   which this Dintero does not serve (404): the order could never be paid. Fixed: where the
 *   create's answer names no page, the session is read once and its page taken under the names a
 *   create's answer may use (client.ts pageInSessionRead, wire.ts DinteroSessionPage); a read that
 *   fails, is not there or names no page leaves the fallback as before (guards below).
 *
 * Left: a Dintero that writes `success: null` on events it has decided too (never filling the flag)
 * has every capture and refund watched for ten minutes where its history cannot confirm them; a
 * zero time written in a form no ISO reading takes (`01/01/0001 00:00:00`) is still a cancel. Rounds fourteen's, fifteen's and seventeen's leftovers (a void taken with 202 and
 * refused by the acquirer later is counted done; a second refusal said only in the word the first
 * left is Dintero's yes; two tries on hold name none) stand: each needs a guess about which call a
 * word speaks of, or which try a session means, or a way back from CANCELLED the domain lacks.
 *
 * Every order goes through the harness's closing money check, except the ones that show money
 * Dintero never moved (a yes refused later: the domain never lowers a figure), made outside it.
 */
import { describe, expect, it } from 'vitest';
import { dinteroOrderInput } from '../support/dintero.js';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { eventually } from '../support/gateway.js';
import { gqlOk } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round nineteen', () => {
  const harness = independentDinteroHarness('-19');
  const { useVariation, authorized, create, read, apply, reaches } = harness;

  describe.each([
    ['Go\'s zero time, 0001-01-01T00:00:00Z', { unsetTimes: 'go-zero' }],
    ['.NET\'s DateTime.MinValue, 0001-01-01T00:00:00', { unsetTimes: 'dotnet-min' }],
    ['the Unix epoch, 1970-01-01T00:00:00Z', { unsetTimes: 'epoch' }],
    ['MySQL\'s zero date, 0000-00-00 00:00:00', { unsetTimes: 'mysql-zero' }],
    ['Go\'s zero time, on expires_at alone', { unsetTimes: 'go-zero', unsetTimesOn: 'expires_at' }],
    ['the Unix epoch, on expires_at alone', { unsetTimes: 'epoch', unsetTimesOn: 'expires_at' }],
    ['Go\'s zero time, the session naming its transaction as a try listed', { unsetTimes: 'go-zero', sessionTransactionAs: 'transactions' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a session read writing its unset cancelled_at and expires_at as %s, no callback (the poller reads the session)', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: NO_CALLBACK });

    it('a buyer still on the page: the order stays CREATED while its session is read; paid, it is AUTHORIZED, marked once, captured once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made.status).toBe('CREATED');
      await sleep(800); // the poller's turns (200 ms) read the session, nobody paid yet
      const waiting = await read(gateway, made.id);
      // Before: CANCELLED (a zero cancelled_at is a value: "only whether it is there counts"), or
      // EXPIRED (a session that ran out in year one), final, while the buyer could still pay.
      expect(waiting).toMatchObject({ status: 'CREATED', payments: [] });
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => harness.marks(dintero, 'authorizations').some((mark) => mark.path.includes(`/${order.providerOrderId}/`)), 3_000);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `zero-time-cap-${order.id}` }]);
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

  describe('a session read writing its unset cancelled_at as Go\'s zero time, its expires_at 20 minutes past, no callback', () => {
    const setup = useVariation({ unsetTimes: 'go-zero', sessionExpiry: { offsetMs: -20 * 60_000, format: 'iso' }, callback: NO_CALLBACK });

    it('a session that did run out still makes the order EXPIRED (a guard: only the zero time names none)', async () => {
      const { gateway } = setup;
      const made = await create(gateway);
      const expired = await reaches(gateway, made.id, 'EXPIRED');
      expect(expired.payments).toEqual([]);
    });
  });

  /** A fresh order of the harness's, paid and AUTHORIZED, made outside the closing money check (it will show money Dintero never moved). */
  const authorizedOutsideCheck = async ({ dintero, gateway }: ReturnType<typeof useVariation>): Promise<OrderView> => {
    const made = (await gqlOk<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop)).createOrder;
    await dintero.pay(dintero.latestSessionId());
    return reaches(gateway, made.id, 'AUTHORIZED');
  };
  const infoCodes = (order: OrderView) => order.creation.infos.map((info) => info.code);

  describe.each([
    ['its one event written {event: CAPTURE, success: null} at once', {}],
    ['newest first', { eventsNewestFirst: true }],
    ['the flag written as text elsewhere', { eventSuccess: 'string' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a capture or refund taken (202) and carried out 600 ms later, %s, decided in place', (_name, variation) => {
    const setup = useVariation({ transaction: 'full', events: true, settleAfterMs: 600, undecidedSuccess: true, ...variation, callback: NO_CALLBACK });

    it('carried out: two partial captures and a refund are each counted once, as Dintero holds', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `undecided-cap-1-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }],
      ]);
      await eventually(async () => dintero.transactionById(transactionId)!.captured === 10000, 3_000);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `undecided-cap-2-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '200.00' } }] }],
      ]);
      await eventually(async () => dintero.transactionById(transactionId)!.captured === 20000, 3_000);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: `undecided-ref-${order.id}` }], { payments: [{ capturedAmount: { amount: '200.00' }, refundedAmount: { amount: '50.00' } }] }],
      ]);
      await eventually(async () => dintero.transactionById(transactionId)!.refunded === 5000, 3_000);
      await sleep(500); // the poller's turns (200 ms)
      const settled = await read(gateway, order.id);
      expect(settled).toMatchObject({ payments: [{ capturedAmount: { amount: '200.00' }, refundedAmount: { amount: '50.00' } }] });
      expect(infoCodes(settled)).toEqual([]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });

    it('a capture refused by the acquirer afterwards: the null is no outcome, so the order is watched and says so', async () => {
      const { dintero, gateway } = setup;
      const order = await authorizedOutsideCheck(setup);
      dintero.failNextAtAcquirer('capture');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `undecided-fail-${order.id}` }]);
      expect(capture.errors).toBeUndefined();
      // Before: the event under the capture's reference, its success null (read as absent), was the
      // capture shown: the order was not watched, and the acquirer's refusal never read.
      const told = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.creation.infos.length > 0 && now;
      }, 3_000);
      expect(told.creation.infos).toEqual([{ code: 'dintero.refused_after_accepted', message: expect.stringContaining('capture of 100.00 NOK') }]);
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 0 });
    });

    it('a refund refused by the acquirer afterwards: the order says so', async () => {
      const { dintero, gateway } = setup;
      const order = await authorizedOutsideCheck(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      await eventually(async () => dintero.transactionFor(order.providerOrderId!)?.captured === 49800, 3_000);
      dintero.failNextAtAcquirer('refund');
      const refund = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00' }]);
      expect(refund.errors).toBeUndefined();
      const told = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.creation.infos.length > 0 && now;
      }, 3_000);
      expect(told).toMatchObject({ status: 'PARTIALLY_REFUNDED', creation: { infos: [{ code: 'dintero.refused_after_accepted', message: expect.stringContaining('refund of 50.00 NOK') }] } });
      expect(dintero.transactionFor(order.providerOrderId!)).toMatchObject({ captured: 49800, refunded: 0 });
    });

    it('a capture whose 202 is lost and which the acquirer then refuses: not counted once it is decided', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNextAtAcquirer('capture');
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `undecided-lost-fail-${order.id}` }]);
      // Before: the re-read's event under the reference, its success null, was the capture done:
      // answered PARTIALLY_CAPTURED, 100.00 counted that Dintero never moved.
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      await sleep(1_200);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }], creation: { infos: [] } });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 0 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
    });

    it('a capture whose 202 is lost and which Dintero then carries out: counted once, when decided', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('capture', 502);
      const event = { type: 'CAPTURE', amount: '100.00', idempotencyKey: `undecided-lost-${order.id}` };
      const lost = await apply(gateway, order.id, [event]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const counted = await reaches(gateway, order.id, 'PARTIALLY_CAPTURED', 3_000);
      expect(counted).toMatchObject({ payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(infoCodes(counted)).toEqual([]);
      const again = await apply(gateway, order.id, [event]);
      expect(again.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['its callback naming both ids', {}],
    ['no callback (found through its session read)', { callback: NO_CALLBACK }],
    ['answers in an envelope', { envelope: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a session answered 201 with its id in a Location and no page at all, its page named only in its read (HAL _links.checkout), %s', (_name, variation) => {
    const setup = useVariation({ createdAs: 'location', sessionUrl: false, sessionPageInRead: true, ...variation });

    it('sends the buyer to the page the session read names, which Dintero serves; the payment is believed, captured once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made.status).toBe('CREATED');
      const sessionId = dintero.latestSessionId();
      // Before: `<checkout>/v1/view/<id>` (round four's fallback), which this Dintero does not serve (404).
      expect(made.creation.stopAction?.redirectUrl).toBe(`${dintero.checkoutUrl}/pay/${sessionId}`);
      expect((await fetch(made.creation.stopAction!.redirectUrl!)).status).toBe(200);
      const transactionId = await dintero.pay(sessionId);
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `page-in-read-${order.id}` }]);
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['a session read naming no page', { createdAs: 'location', sessionUrl: false }],
    ['no session read (404)', { createdAs: 'location', sessionUrl: false, sessionRead: 'none' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a session answered 201 with its id in a Location and no page at all, %s', (_name, variation) => {
    const setup = useVariation(variation);

    it('still makes the order, the buyer sent to Dintero\'s own page for the session (a guard: the read is no new dependency)', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      expect(made.status).toBe('CREATED');
      expect(made.creation.stopAction?.redirectUrl).toBe(`${dintero.checkoutUrl}/v1/view/${dintero.latestSessionId()}`);
    });
  });
});
