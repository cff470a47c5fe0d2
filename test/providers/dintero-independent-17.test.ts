/**
 * Round seventeen against the independent Dintero (test/support/independent/dintero-server.ts): ids
 * as a store keyed by 64-bit integers writes them, and round sixteen's leftover, a session listing
 * its tries by their ids alone. The seed shows no id in any answer and no session read at all; it
 * asks for an order id by a rule (`generate_order_id`: `ALPHANUMERIC_9`, so `NUMERIC_<n>` too) and
 * says only that a redirect or callback comes "with the session_id and its corresponding
 * transaction".
 *
 * - Ids written as bare JSON numbers beyond 2^53 (longIds): a draft's, a session's and a
 *   transaction's id of 19 digits (a .NET `long`, a Java `Long`, a snowflake key), an order id asked
 *   for as `NUMERIC_18` of 18 digits. Round four's numericIds wrote ids of at most 15 digits, which
 *   a double holds exactly. Found: `JSON.parse` rounds such a number (…456789 becomes …456800), and
 *   the adapter read the rounded digits as the id (wire.ts WireId takes a whole number as its
 *   digits): the draft was completed under an id Dintero never gave (404), so every createOrder was
 *   refused and no order could be made; read further, a session read named a transaction Dintero
 *   does not have, a transaction read named another id than its path (so it was not the
 *   transaction), and an order id so rounded would have been the session's merchant_reference and
 *   the marks' order. Fixed: an answer's whole numbers beyond 2^53 are read as the digits written,
 *   as text (long-numbers.ts wholeNumbersAsWritten, through client.ts for every answer and
 *   webhook.ts for a POSTed transaction), so an id is exact, and an amount that large (no double
 *   holds it) is no amount, not a guess (wire.ts reads digit strings of at most 15 digits).
 * - A session read listing its tries by their ids alone, `transactions: ["<id>", "<id>"]`
 *   (sessionTransactionAs 'transaction-ids'; round sixteen listed `{id, status}`). Found (round
 *   sixteen's leftover): with two tries, neither said reserved nor declined, the session named none,
 *   so a buyer declined who paid on a second try, whose callback never came or named only the
 *   session, stayed CREATED for good, the buyer's money reserved. Fixed: tries a listing cannot tell
 *   apart by their words are each read (their transactions), and the one whose read says its money
 *   was reserved is named, else the one not declined; two such still name none (session-
 *   transaction.ts triesToRead, client.ts getSession). Two tries on hold name none until one is
 *   decided (a guard below).
 *
 * - A capture, refund or void Dintero took and answered 503 with its error body (a busy server's
 *   "come back later", which unlike 429 may come after the work was done): nothing broke (a 5xx is
 *   an outcome Dintero may have carried out: re-read, counted once, the retry under its key sends
 *   nothing); the tests stay as guards.
 *
 * Left: an id written with leading zeros as a JSON number (not JSON at all) or one whose zeros a
 * server dropped cannot be read back; round fourteen's and fifteen's leftovers (a void refused by the
 * acquirer after a 202 is counted done; a second refusal said only in the word the first left is
 * read as Dintero's yes) stand: neither can be told without guessing which call a word speaks of.
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
/** The seed's callback "with the session_id", naming nothing else. */
const SESSION_ONLY_CALLBACK = { how: 'GET', ids: 'session' } as IndependentDinteroOptions['callback'];
const POST_TRANSACTION_CALLBACK = { how: 'POST-transaction', ids: 'both', extras: false, copies: 1, delayMs: 20 } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round seventeen', () => {
  const harness = independentDinteroHarness('-17');
  const { useVariation, create, read, apply, reaches } = harness;

  describe.each([
    ['its callback naming both ids', {}],
    ['no callback (found through its session read)', { callback: NO_CALLBACK }],
    ['its callback POSTing the transaction itself', { callback: POST_TRANSACTION_CALLBACK }],
    ['bare `{id, status}` transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('ids written as JSON numbers beyond 2^53 (a 64-bit key), %s', (_name, variation) => {
    const setup = useVariation({ longIds: true, ...variation });

    it('makes the order under the draft Dintero gave, AUTHORIZED on the exact transaction, marked once, captured and refunded once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      // Before: the draft's id was rounded, completed under an id Dintero never gave: createOrder refused.
      expect(made.status).toBe('CREATED');
      const sessionId = dintero.latestSessionId();
      expect(sessionId).toMatch(/^\d{19}$/);
      const transactionId = await dintero.pay(sessionId);
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      expect(dintero.transactionFor(order.providerOrderId!)?.id).toBe(transactionId);
      await eventually(async () => harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`)).length === 1, 3_000);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `capture-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'REFUND', amount: '40.00', idempotencyKey: `refund-${order.id}` }], { payments: [{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '40.00' } }] }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000, refunded: 4000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });
  });

  describe('an order id asked for as NUMERIC_18, written as a JSON number', () => {
    const setup = useVariation({ longIds: true });

    it('is Dintero\'s order id to the digit: the session\'s merchant_reference, the callback believed, the marks on that order', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway, { dintero: { generateOrderId: 'NUMERIC_18' } });
      expect(made.providerOrderId).toMatch(/^\d{18}$/);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(dintero.transactionFor(order.providerOrderId!)?.id).toBe(transactionId);
      await eventually(async () => harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`)).length === 1, 3_000);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
    });
  });

  describe.each([
    ['no callback', NO_CALLBACK],
    ['both callbacks naming only the session (retried late)', SESSION_ONLY_CALLBACK],
  ] as [string, IndependentDinteroOptions['callback']][])('a buyer declined who pays on a second try, the session listing both tries by their ids alone, %s', (_name, callback) => {
    const setup = useVariation({ sessionTransactionAs: 'transaction-ids', callback });

    it('is AUTHORIZED on the paid try, never FAILED; captured on it, once', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const sessionId = dintero.latestSessionId();
      if (callback.how !== 'none') dintero.holdCallbacks(2);
      const declined = await dintero.pay(sessionId, 'decline');
      const paid = await dintero.pay(sessionId);
      if (callback.how !== 'none') await dintero.sendHeldCallbacks();
      // Before: the session named neither try, and the order stayed CREATED.
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments.map((payment) => payment.id)).toContain(paid);
      expect(order.payments.find((payment) => payment.id === declined)?.status).not.toBe('AUTHORIZED');
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }]]);
      expect(dintero.operationsOn(paid)).toEqual({ capture: 1, refund: 0, void: 0 });
      expect(dintero.operationsOn(declined)).toEqual({ capture: 0, refund: 0, void: 0 });
    });
  });

  describe('a session listing two tries on hold by their ids alone, no callback', () => {
    const setup = useVariation({ sessionTransactionAs: 'transaction-ids', callback: NO_CALLBACK });

    it('names neither while both are on hold (the order stays CREATED, nothing reserved), then the one authorized', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const sessionId = dintero.latestSessionId();
      const first = await dintero.pay(sessionId, 'hold');
      const second = await dintero.pay(sessionId, 'hold');
      await new Promise((resolve) => setTimeout(resolve, 800));
      const waiting = await read(gateway, made.id);
      expect(waiting.status).toBe('CREATED');
      expect(waiting.payments.filter((payment) => payment.status === 'AUTHORIZED')).toEqual([]);
      await dintero.decideHeld(first, 'decline');
      await dintero.decideHeld(second, 'authorize');
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments.find((payment) => payment.status === 'AUTHORIZED')?.id).toBe(second);
      expect(dintero.operationsOn(first)).toEqual({ capture: 0, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['capture', 'a partial capture'],
    ['refund', 'a partial refund'],
    ['void', 'a cancel'],
  ] as ['capture' | 'refund' | 'void', string][])('%s taken by Dintero and answered 503 with its error body (busy, "come back later"; a guard)', (operation, _name) => {
    const setup = useVariation({ callback: NO_CALLBACK });

    it('reaches Dintero once, is counted once it is read back, and a retry under its key sends nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await harness.authorized(setup);
      if (operation === 'refund') {
        await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }], { status: 'CAPTURED' }]]);
      }
      dintero.loseNextAnswer(operation, 503);
      const event = operation === 'void' ? { type: 'CANCEL', idempotencyKey: `cancel-${order.id}` } : { type: operation.toUpperCase(), amount: '100.00', idempotencyKey: `${operation}-busy-${order.id}` };
      const first = await apply(gateway, order.id, [event]);
      const again = await apply(gateway, order.id, [event]);
      const expected = operation === 'capture' ? { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] } : operation === 'refund' ? { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] } : { status: 'CANCELLED' };
      expect(first.errors).toBeUndefined();
      expect(again.errors).toBeUndefined();
      expect(await read(gateway, order.id)).toMatchObject(expected);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: operation === 'void' ? 0 : 1, refund: operation === 'refund' ? 1 : 0, void: operation === 'void' ? 1 : 0 });
    });
  });

  describe('one try listed by its id alone, no callback (a guard)', () => {
    const setup = useVariation({ sessionTransactionAs: 'transaction-ids', callback: NO_CALLBACK });

    it('is AUTHORIZED on it', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await harness.authorized(setup);
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED' }]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
      expect((await read(gateway, order.id)).status).toBe('AUTHORIZED');
    });
  });
});
