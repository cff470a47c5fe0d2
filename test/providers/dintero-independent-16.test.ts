/**
 * Round sixteen against the independent Dintero (test/support/independent/dintero-server.ts): where a
 * session read names the transaction the buyer made on it, and a capture or refund the acquirer
 * refused whose answer was lost (round fourteen's leftover). The seed shows no session read, no
 * answer, no status after an operation and no transaction read at all (request bodies only); it
 * says only that a redirect or callback comes "with the session_id and its corresponding
 * transaction".
 *
 * - A session read that names its transaction otherwise than CONTRACT §8's `transaction_id`
 *   (sessionTransactionAs): the latest try embedded, `transaction: {id, status}` (a stack that
 *   expands a session's relation), or every try on the session listed, `transactions: [{id,
 *   status}]`, oldest or newest first (a session may take more than one try: round two). Found: the
 *   session named no transaction, so a paid order whose callback never came stayed CREATED for good
 *   (its session would have been EXPIRED after the grace, the buyer's money reserved), and one whose
 *   callback named only its session likewise, also after a declined first try. Fixed: the session's
 *   transaction is read from an embedded try or from the list, by what each try says (the one whose
 *   money was reserved, else the one not ended without money), never by its place in the list
 *   (session-transaction.ts withTransactionNamed, called by client.ts getSession); the transaction
 *   is then read and bound to its order as before.
 * - A capture or refund Dintero took and the acquirer refused, said only in the transaction's status
 *   word (`CAPTURE_FAILED`, `REFUND_FAILED`: round fourteen), its answer lost (502). Found: the
 *   re-read right after it, in that word, was read as showing nothing: PROVIDER_UNAVAILABLE,
 *   `dintero.outcome_unknown` for ten minutes (the amount held back all the while, a retry under
 *   the key refused unsent). Fixed: that re-read is read as the read-back of a 202 is, a failing
 *   word the read before the call did not say being the call's refusal: PROVIDER_REJECTED at once,
 *   nothing counted (money-change.ts moveMoney's refusedIn, through mapping.ts refusedInWord). The
 *   same word kept from an earlier refusal (round fifteen's refusalWordKept) is still nobody's: such
 *   a lost capture stays unknown and is counted once reconciliation finds it done (a guard below).
 *
 * Left: a session listing two tries neither declined nor reserved (two on hold, or ids without
 * words) names none of them, as a session without a transaction (the callback naming one still
 * works); a lost capture or refund whose re-read comes only later (the first re-read failed) and is
 * in a failing word is still looked for until the ten-minute bound (a later word may speak of
 * another operation); round fifteen's leftovers (the same word twice) stand.
 *
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
/** The seed's callback "with the session_id", naming nothing else. */
const SESSION_ONLY_CALLBACK = { how: 'GET', ids: 'session' } as IndependentDinteroOptions['callback'];

describe('Dintero adapter against an independent implementation of the seed, round sixteen', () => {
  const harness = independentDinteroHarness('-16');
  const { useVariation, create, read, apply, reaches } = harness;

  describe.each([
    ['embedded as `transaction: {id, status}`', 'transaction'],
    ['listed as `transactions: [{id, status}]`', 'transactions'],
  ] as [string, IndependentDinteroOptions['sessionTransactionAs']][])('a paid order whose callback never comes, its session naming the transaction %s', (_name, sessionTransactionAs) => {
    const setup = useVariation({ sessionTransactionAs, callback: NO_CALLBACK });

    it('is found through its session: AUTHORIZED, marked once, then captured', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      // Before: the session named no transaction, and the order stayed CREATED for good.
      const order = await reaches(gateway, made.id, 'AUTHORIZED');
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await eventually(async () => harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`)).length === 1, 3_000);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }]]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe('a buyer declined whose only try the session lists, no callback', () => {
    const setup = useVariation({ sessionTransactionAs: 'transactions', callback: NO_CALLBACK });

    it('is FAILED, nothing reserved', async () => {
      const { dintero, gateway } = setup;
      const made = await create(gateway);
      await dintero.pay(dintero.latestSessionId(), 'decline');
      const order = await reaches(gateway, made.id, 'FAILED');
      expect(order.payments.map((payment) => payment.status)).not.toContain('AUTHORIZED');
    });
  });

  describe.each([
    ['oldest first', 'transactions'],
    ['newest first', 'transactions-newest-first'],
  ] as [string, IndependentDinteroOptions['sessionTransactionAs']][])(
    'a buyer declined who pays on a second try, both callbacks naming only the session (retried late), the session listing both tries %s',
    (_name, sessionTransactionAs) => {
      const setup = useVariation({ sessionTransactionAs, callback: SESSION_ONLY_CALLBACK });

      it('is AUTHORIZED on the paid try, never FAILED; captured on it', async () => {
        const { dintero, gateway } = setup;
        const made = await create(gateway);
        const sessionId = dintero.latestSessionId();
        dintero.holdCallbacks(2);
        const declined = await dintero.pay(sessionId, 'decline');
        const paid = await dintero.pay(sessionId);
        await dintero.sendHeldCallbacks();
        // Before: the session named neither try, and the order stayed CREATED.
        const order = await reaches(gateway, made.id, 'AUTHORIZED');
        expect(order.payments.map((payment) => payment.id)).toContain(paid);
        expect(order.payments.find((payment) => payment.id === declined)?.status).not.toBe('AUTHORIZED');
        const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }]);
        expect(captured.errors).toBeUndefined();
        expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
        expect(dintero.operationsOn(paid)).toEqual({ capture: 1, refund: 0, void: 0 });
        expect(dintero.operationsOn(declined)).toEqual({ capture: 0, refund: 0, void: 0 });
      });
    },
  );

  describe.each([
    ['keyed', true],
    ['without an idempotency key', false],
  ] as [string, boolean][])('a capture the acquirer refused in a word of the server\'s own (CAPTURE_FAILED), its answer lost (502), %s', (_name, keyed) => {
    const setup = useVariation({ callback: NO_CALLBACK });

    it('is PROVIDER_REJECTED at once, nothing counted or held back; the next capture is counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await harness.authorized(setup);
      dintero.failNextAtAcquirer('capture', 'CAPTURE_FAILED');
      dintero.loseNextAnswer('capture', 502);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', ...(keyed ? { idempotencyKey: `refused-capture-${order.id}` } : {}) }]);
      // Before: PROVIDER_UNAVAILABLE, `dintero.outcome_unknown` until the ten-minute bound.
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const after = await read(gateway, order.id);
      expect(after).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `capture-${order.id}` }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '398.00' } }] }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 39800 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe('a refund the acquirer refused in a word of the server\'s own (REFUND_FAILED), its answer lost (502)', () => {
    const setup = useVariation({ callback: NO_CALLBACK });

    it('is PROVIDER_REJECTED at once, nothing counted; the next refund is counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await harness.authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [[[{ type: 'CAPTURE', idempotencyKey: `capture-${order.id}` }], { status: 'CAPTURED' }]]);
      dintero.failNextAtAcquirer('refund', 'REFUND_FAILED');
      dintero.loseNextAnswer('refund', 502);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '100.00', idempotencyKey: `refused-refund-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const after = await read(gateway, order.id);
      expect(after).toMatchObject({ status: 'CAPTURED', payments: [{ refundedAmount: { amount: '0.00' } }] });
      expect(after.creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'REFUND', amount: '100.00', idempotencyKey: `refund-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] }],
      ]);
      expect(dintero.transactionById(transactionId)).toMatchObject({ refunded: 10000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
    });
  });

  describe('a capture after one the acquirer refused (CAPTURE_FAILED, the word kept until the next is carried out), its 202 lost (502), Dintero capturing later', () => {
    const setup = useVariation({ refusalWordKept: true, callback: NO_CALLBACK });

    it('is not taken for refused by the old word: unknown until Dintero captures, then counted once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await harness.authorized(setup);
      dintero.failNextAtAcquirer('capture', 'CAPTURE_FAILED');
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `refused-capture-${order.id}` }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      dintero.options.settleAfterMs = 600;
      dintero.loseNextAnswer('capture', 502);
      const lost = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `lost-capture-${order.id}` }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const settled = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.status === 'PARTIALLY_CAPTURED' && now;
      }, 4_000);
      expect(settled.payments).toMatchObject([{ capturedAmount: { amount: '100.00' } }]);
      await sleep(300);
      expect((await read(gateway, order.id)).creation.infos.map((info) => info.code)).not.toContain('dintero.outcome_unknown');
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });
});
