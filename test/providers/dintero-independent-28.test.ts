/**
 * Round twenty-eight against the independent Dintero (test/support/independent/dintero-server.ts):
 * amounts with a decimal comma (round twenty-seven's leftover), answers whose keys are in another
 * style than the seed's snake_case, and a batched callback's list wrapped in an object (round
 * twenty-five's leftover). The seed writes every body it shows in snake_case and every amount as an
 * integer in minor units, in requests only; it shows no read, no answer and no callback body at all.
 *
 * - Amounts in reads with a decimal comma, as a decimal serialiser in a Norwegian culture writes
 *   money (readUnits 'major-decimal-comma': `"99,50"`, `"498,00"`; Dintero is Norwegian), on an order
 *   of 99.50 NOK with money moved in the back office, and in a transaction POSTed as its callback at
 *   a Dintero without the session read. Found: such an amount was none (round twenty-seven read a
 *   point only), so the transaction was read by its status alone: 20.00 captured in Dintero's back
 *   office beside the gateway's 30.00 was answered as 30.00 captured (the order's figures below the
 *   money Dintero moved), and the
 *   transaction POSTed as its callback did not say its amount, so it was not believed alone: the paid
 *   order stayed CREATED. Fixed: a comma followed by one, two or four to six digits is read as a
 *   decimal point (dintero/decimal-comma.ts, read by wire.ts decimalText and eventMinor), its units
 *   then told against the order's total as any decimal string's (binding.ts inMinorUnits), never
 *   rounded. A comma followed by exactly three digits (`"1,500"`: 1.5 in nb-NO, 1500 in en-US) and a
 *   figure with any other separator (`"1 500,00"`, `"1.500,00"`) stay no amount: either reading
 *   would be a guess (test/unit/dintero-answer-keys.test.ts says so).
 * - Every answer's keys (and a transaction POSTed as its callback) in camelCase (`merchantReference`,
 *   System.Text.Json's and Jackson's usual policy) or PascalCase (`MerchantReference`, .NET without
 *   a policy) (answerKeys), with events and bare, with a draft answered by its order id alone.
 *   Found: a transaction had no `status` the adapter read, so every read of it failed: a paid order
 *   was not AUTHORIZED (with the poller and with the seed's callback alike, whose re-read is the
 *   same read), so nothing could be captured or refunded, and at a Dintero without the session read
 *   the transaction POSTed as its callback was not even taken for one (`Status`, `Id`). Fixed: every answer's keys
 *   with a capital letter or a hyphen are respelled in snake_case before anything reads them, a key
 *   written in snake_case kept over its respelling, values untouched (dintero/answer-keys.ts, read by
 *   client.ts answerAsWritten), and a callback body that is the transaction itself is told by its
 *   status and id in any spelling (webhook.ts transactionItself, fieldsByKey).
 * - A batched callback's list wrapped in an object (callback.batchWrapper: `{events: [...]}`,
 *   `{data: [...]}`, `{items: [...]}`, beside a `delivery_id`), ids or the transactions themselves,
 *   with and without the session read. Found: the body named no transaction (400): with the session
 *   read the paid order waited for the poller (a minute here), without it stayed CREATED for good.
 *   Fixed without a guess at the member's name: an object that names no transaction or session
 *   itself (no callback's own field: a transaction's own `items` and `events` are never opened) and
 *   holds exactly one list of objects is that list (dintero/callback-batch.ts wrappedList); two such
 *   lists are no list. Each callback found is only a hint re-read from Dintero, as any.
 *
 * Left: `"1,500"` and grouped figures (`"1 500,00"`) stay no amount (the transaction then read by
 * its status, as before); a list wrapped two deep (`{data: {events: [...]}}`) or beside a second
 * list is not opened. The brief's other leftovers were not taken: a void answered 202 and refused
 * later stays counted done (rounds fourteen to twenty-seven: reading it otherwise changes the
 * cancel's contract), and `If-Match` on the Orders API's marks needs a read of an Orders API order
 * the seed does not show (a path that would be a guess).
 *
 * Every order goes through the harness's closing money check, except the two refused captures, made
 * outside it. Before the fixes 16 of these 19 tests failed; the three that passed are guards (the
 * decimal comma's whole flow, read by its status).
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import { SEED_DEFAULTS, type IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
type Callback = IndependentDinteroOptions['callback'];
const SEED_CALLBACK: Callback = SEED_DEFAULTS.callback;
const POSTED_TRANSACTION: Callback = { ...SEED_CALLBACK, how: 'POST-transaction' };

/** An order of 99.50 NOK (79.50 + 20.00): in a Norwegian culture its total is written `"99,50"`. */
const FRACTIONAL_TOTAL = {
  items: [
    { lineId: 'chair', code: '175938', name: 'Stablestol for utendørsbruk', quantity: 1, unitPrice: '79.50', amount: '79.50', taxRate: 25 },
    { lineId: 'shipping', name: 'Frakt', amount: '20.00' },
  ],
};

describe('Dintero adapter against an independent implementation of the seed, round twenty-eight', () => {
  const harness = independentDinteroHarness('-28');
  const { useVariation, authorized, create, read, apply, reaches } = harness;
  const authorizationMarks = (dintero: Parameters<typeof harness.marks>[0], providerOrderId: string) =>
    harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/${providerOrderId}/`));
  const markedTotal = (marks: { body: { items: { amount: number }[] } }[]) => marks.reduce((sum, mark) => sum + mark.body.items.reduce((total, item) => total + item.amount, 0), 0);

  describe.each([
    ['with events, no callback', { events: true, callback: NO_CALLBACK }],
    ['with events, what remains as the amount, no callback', { events: true, transactionAmount: 'remaining', callback: NO_CALLBACK }],
    ['with events, the seed\'s callback', { events: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('amounts with a decimal comma on an order of 99.50 NOK (`"99,50"`, nb-NO), %s', (_name, variation) => {
    const setup = useVariation({ transaction: 'full', readUnits: 'major-decimal-comma', ...variation });

    it('the payment is 99.50, its authorization marked for 99.50; a capture in two parts and a refund each counted as Dintero holds it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup, FRACTIONAL_TOTAL);
      expect(order.payments[0]).toMatchObject({ amount: { amount: '99.50' } });
      await eventually(async () => authorizationMarks(dintero, order.providerOrderId!).length === 1, 3_000);
      expect(markedTotal(authorizationMarks(dintero, order.providerOrderId!))).toBe(9950);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '50.00', idempotencyKey: `r28-comma-cap-1-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '50.00' } }] }],
        [[{ type: 'CAPTURE', amount: '49.50', idempotencyKey: `r28-comma-cap-2-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '99.50' } }] }],
        [[{ type: 'REFUND', amount: '20.00', idempotencyKey: `r28-comma-ref-1-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '20.00' } }] }],
      ]);
      await sleep(500); // the poller's turns (200 ms)
      expect(await read(gateway, order.id)).toMatchObject({
        status: 'PARTIALLY_REFUNDED',
        payments: [{ amount: { amount: '99.50' }, capturedAmount: { amount: '99.50' }, refundedAmount: { amount: '20.00' } }],
      });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });

    it("20.00 captured in Dintero's back office, then 30.00 by the gateway: the capture's answer shows 50.00 captured, and a refund of 40.00 goes through", async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup, FRACTIONAL_TOTAL);
      dintero.outside(transactionId, 'capture', 2000);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '30.00', idempotencyKey: `r28-comma-outside-${order.id}` }]);
      expect(capture.errors).toBeUndefined();
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ amount: { amount: '99.50' }, capturedAmount: { amount: '50.00' } }] });
      const refund = await apply(gateway, order.id, [{ type: 'REFUND', amount: '40.00', idempotencyKey: `r28-comma-outside-ref-${order.id}` }]);
      expect(refund.errors).toBeUndefined();
      expect(refund.data!.applyOrderEvents[0]).toMatchObject({ payments: [{ capturedAmount: { amount: '50.00' }, refundedAmount: { amount: '40.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 5000, refunded: 4000 });
    });
  });

  describe('amounts with a decimal comma, the transaction POSTed as its callback at a Dintero without the session read', () => {
    const setup = useVariation({ transaction: 'full', events: true, readUnits: 'major-decimal-comma', sessionRead: 'none', callback: POSTED_TRANSACTION });

    it('the paid order of 498.00 (`"498,00"`) is AUTHORIZED at the callback, marked once, captured once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect(order.payments[0]).toMatchObject({ amount: { amount: '498.00' } });
      await eventually(async () => authorizationMarks(dintero, order.providerOrderId!).length === 1, 3_000);
      expect(markedTotal(authorizationMarks(dintero, order.providerOrderId!))).toBe(49800);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `r28-comma-cb-${order.id}` }]);
      expect(capture.errors).toBeUndefined();
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });
  });

  describe.each([
    ['camelCase, with events, no callback', { answerKeys: 'camel', events: true, callback: NO_CALLBACK }],
    ['PascalCase, with events, no callback', { answerKeys: 'pascal', events: true, callback: NO_CALLBACK }],
    ['PascalCase, bare of events, the seed\'s callback', { answerKeys: 'pascal' }],
    ['camelCase, with events, draft answered with its order id alone', { answerKeys: 'camel', events: true, draftAnswer: 'order_id', callback: NO_CALLBACK }],
  ] as [string, Partial<IndependentDinteroOptions>][])("answers' keys in %s", (_name, variation) => {
    const setup = useVariation({ transaction: 'full', ...variation });

    it('authorized for 498.00 and marked so; a partial capture whose answer is lost found and counted once; the rest captured; a refund', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect(order.payments[0]).toMatchObject({ amount: { amount: '498.00' } });
      await eventually(async () => authorizationMarks(dintero, order.providerOrderId!).length === 1, 3_000);
      expect(markedTotal(authorizationMarks(dintero, order.providerOrderId!))).toBe(49800);
      dintero.loseNextAnswer('capture', 502);
      const key = `r28-keys-lost-${order.id}`;
      await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: key }]);
      await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.status === 'PARTIALLY_CAPTURED' && now.payments[0]?.capturedAmount.amount === '100.00';
      }, 5_000);
      const again = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: key }]);
      expect(again.errors).toBeUndefined();
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `r28-keys-cap-2-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: `r28-keys-ref-1-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '50.00' } }] }],
      ]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });

  describe.each([
    ['camelCase', { answerKeys: 'camel' }],
    ['PascalCase', { answerKeys: 'pascal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])("answers' keys in %s, with events: a capture the acquirer refuses", (_name, variation) => {
    const setup = useVariation({ transaction: 'full', events: true, callback: NO_CALLBACK, ...variation });

    it('is PROVIDER_REJECTED and not counted (its failed event under the gateway\'s reference read)', async () => {
      const { dintero, gateway } = setup;
      // Made outside the closing money check: before the fix this order showed money Dintero never moved.
      const made = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      dintero.failNextAtAcquirer('capture');
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `r28-keys-refused-${order.id}` }]);
      await sleep(500);
      const now = await read(gateway, order.id);
      expect(now.payments[0]).toMatchObject({ capturedAmount: { amount: '0.00' } });
      expect(capture.errors?.[0]?.extensions?.['code'] ?? now.creation.infos[0]?.code).toMatch(/PROVIDER_REJECTED|dintero\.refused_after_accepted/);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 0 });
    });
  });

  describe.each([
    ['camelCase, no session read', { answerKeys: 'camel' }],
    ['PascalCase, no session read', { answerKeys: 'pascal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])("answers' keys in %s, the transaction POSTed as its callback", (_name, variation) => {
    const setup = useVariation({ transaction: 'full', events: true, sessionRead: 'none', callback: POSTED_TRANSACTION, ...variation });

    it('the paid order is AUTHORIZED at the callback for 498.00, marked once, captured once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => authorizationMarks(dintero, order.providerOrderId!).length === 1, 3_000);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '498.00', idempotencyKey: `r28-keys-cb-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['ids as a JSON object, under `events`', { callback: { how: 'POST-json', batch: true, batchWrapper: 'events' } as Callback }],
    ['ids as a JSON object, under `data`, no session read', { sessionRead: 'none', callback: { how: 'POST-json', batch: true, batchWrapper: 'data' } as Callback }],
    ['the transaction itself, under `events`, no session read', { sessionRead: 'none', callback: { how: 'POST-transaction', batch: true, batchWrapper: 'events' } as Callback }],
    ['the transaction itself, under `items`', { callback: { how: 'POST-transaction', batch: true, batchWrapper: 'items' } as Callback }],
  ] as [string, Partial<IndependentDinteroOptions>][])('a batched callback whose list is wrapped in an object, %s', (_name, variation) => {
    // The poller's minute: what happens here happens through the callback.
    const setup = useVariation({ ...variation, callback: { ...SEED_CALLBACK, ...variation.callback } });

    it('the paid order is AUTHORIZED at the callback, marked once, captured once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(dintero.callbacks.at(-1)).toMatchObject({ method: 'POST', status: 200 });
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => authorizationMarks(dintero, order.providerOrderId!).length === 1, 3_000);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '498.00', idempotencyKey: `r28-wrapped-${order.id}` }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });
});
