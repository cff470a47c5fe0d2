/**
 * The Dintero adapter against an implementation of Dintero written from the seed alone
 * (test/support/independent/dintero-server.ts), not by the people who wrote the adapter and our
 * sandbox. Each variation picks other faithful answers where the seed leaves them open (status
 * codes, letter case, numbers as strings, bare answers, where the callback's ids travel, no
 * callback at all); a merchant's whole flow runs through GraphQL over real HTTP under each, and
 * the outcome is the contract's (§7: CREATED with a REDIRECT, then the transaction's word).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATE_ORDER } from '../support/documents.js';
import { dinteroCallback, dinteroOrderInput } from '../support/dintero.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';

type Variation = Partial<IndependentDinteroOptions>;

const VARIATIONS: [string, Variation][] = [
  ['as the seed reads most plainly', {}],
  [
    'bare answers: {access_token} only, 200 creates, complete answers the order under `id`, session without url, transaction {id, status} in lower case, 204 operations, no content type, callback naming only the transaction',
    {
      tokenShape: 'minimal',
      createStatus: 200,
      completeAnswer: 'id-is-order-id',
      sessionUrl: false,
      transaction: 'minimal',
      statusCase: 'lower',
      operationAnswer: 'no-content',
      markStatus: 204,
      contentType: 'none',
      callback: { how: 'GET', ids: 'transaction', extras: false, copies: 1, delayMs: 20 },
    },
  ],
  [
    'strict and stringy: line_id typed as each seed body shows, audience checked, 201 token with string expires_in, numbers as strings, Title case, 202 operations, complete answers 204, POSTed JSON callback with extras, twice',
    {
      tokenStatus: 201,
      tokenShape: 'stringy',
      checkAudience: true,
      strictLineIds: true,
      draftAnswer: 'id+order_id',
      completeAnswer: 'empty',
      stringNumbers: true,
      statusCase: 'title',
      operationAnswer: 'accepted',
      markStatus: 200,
      contentType: 'charset',
      callback: { how: 'POST-json', ids: 'both', extras: true, copies: 2, delayMs: 20 },
    },
  ],
  ['ids as JSON numbers (a NUMERIC_9 order id, drafts and sessions numbered by a sequence)', { numericIds: true, draftAnswer: 'id+order_id' }],
  ['a form-encoded POST callback naming only the session', { callback: { how: 'POST-form', ids: 'session', extras: true, copies: 1, delayMs: 20 } }],
  ['no session read (the seed shows none): the callback and the transaction it names carry everything', { sessionRead: 'none' }],
  ['no callback ever: only the re-read finds the payment', { callback: { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 } }],
  [
    'no callback, bare lower-case transactions, DECLINED for a refusal, tokens revoked 300 ms after issue',
    { callback: { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 }, transaction: 'minimal', statusCase: 'lower', declineWord: 'DECLINED', tokenLifetimeMs: 300 },
  ],
];

describe('Dintero adapter against an independent implementation of the seed', () => {
  const harness = independentDinteroHarness('');
  const { useVariation, authorized, create, read, apply, reaches, marks } = harness;
  let shop: string;
  beforeAll(() => ({ shop } = harness.parts));

  describe.each(VARIATIONS)('%s', (_name, variation) => {
    const setup = useVariation(variation);

    it('create, pay, capture in two parts, refund in two parts: the contract statuses, and the order marked at each step', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      expect(created).toMatchObject({ provider: 'DINTERO', status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      const sessionId = dintero.latestSessionId();
      const redirectUrl = created.creation.stopAction!.redirectUrl!;
      expect(redirectUrl).toContain(encodeURIComponent(sessionId).replace(/%2E/g, '.'));
      if (variation.sessionUrl !== false) expect(redirectUrl).toBe(`${dintero.checkoutUrl}/pay/${sessionId}`);
      expect(created.total.amount).toBe('498.00');

      const transactionId = await dintero.pay(sessionId);
      const authorized = await reaches(gateway, created.id, 'AUTHORIZED');
      expect(authorized.payments).toMatchObject([{ status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      // A copy may be turned away (429, re-read when the lease ends: domain/refresh-lease.ts), never refused.
      expect(dintero.callbacks[0]?.status ?? 200).toBeLessThan(300);
      for (const callback of dintero.callbacks) expect([200, 429]).toContain(callback.status);
      await eventually(async () => marks(dintero, 'authorizations').length === 1);
      expect(marks(dintero, 'authorizations')[0]!.body).toMatchObject({ payment_details: { payment_id: transactionId }, success: true });

      const first = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(first.errors).toBeUndefined();
      expect(first.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      const rest = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(rest.errors).toBeUndefined();
      expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      expect(dintero.transactionOf(sessionId)).toMatchObject({ status: 'CAPTURED', captured: 49800 });
      await eventually(async () => marks(dintero, 'captures').length === 2);

      const part = await apply(gateway, created.id, [{ type: 'REFUND', amount: '98.00' }]);
      expect(part.errors).toBeUndefined();
      expect(part.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '98.00' } }] });
      const all = await apply(gateway, created.id, [{ type: 'REFUND' }]);
      expect(all.errors).toBeUndefined();
      expect(all.data!.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }] });
      expect(dintero.transactionOf(sessionId)).toMatchObject({ status: 'REFUNDED', refunded: 49800 });
      await eventually(async () => marks(dintero, 'refunds').length === 2);
    });

    it('an authorized payment cancelled: the transaction voided, CANCELLED', async () => {
      const { dintero, gateway } = setup;
      const { order: created } = await authorized(setup);
      const cancelled = await apply(gateway, created.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
    });

    it('a declined payment: FAILED', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      await dintero.pay(dintero.latestSessionId(), 'decline');
      await reaches(gateway, created.id, 'FAILED');
    });
  });

  describe.each([['json'], ['text'], ['empty']] as const)('Dintero refusing with a %s error body', (errorBody) => {
    const setup = useVariation({ errorBody });

    it('a refused capture is PROVIDER_REJECTED and changes nothing', async () => {
      const { dintero, gateway } = setup;
      const { order: created } = await authorized(setup);
      dintero.failNext('capture', 400);
      const refused = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const after = await read(gateway, created.id);
      expect(after.status).toBe('AUTHORIZED');
      expect(after.payments).toMatchObject([{ capturedAmount: { amount: '0.00' } }]);
      expect(marks(dintero, 'captures')).toHaveLength(0);
    });

    it('a refused session: createOrder is PROVIDER_REJECTED', async () => {
      const { dintero, gateway } = setup;
      dintero.failNext('session', 422);
      const refused = await gql(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, shop);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
    });
  });

  describe('money operations Dintero carries out later (202 at once, shown on the transaction 300 ms after)', () => {
    const setup = useVariation({ settleAfterMs: 300, transaction: 'minimal', callback: { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 } });

    it("a capture, a refund and a void answered 202 count as Dintero's yes at once, each sent once, and stay so once Dintero shows them", async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup);
      const sessionId = dintero.latestSessionId();
      const first = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(first.errors).toBeUndefined();
      expect(first.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      // More than is left once the first is counted: refused before Dintero is asked.
      const over = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '498.00' }]);
      expect(over.errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      const rest = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(rest.errors).toBeUndefined();
      expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      const refunded = await apply(gateway, created.id, [{ type: 'REFUND' }]);
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }] });
      await eventually(async () => dintero.transactionOf(sessionId)?.status === 'REFUNDED');
      await new Promise((resolve) => setTimeout(resolve, 500)); // re-reads of the settled transaction
      expect(await read(gateway, created.id)).toMatchObject({ status: 'REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '498.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
      expect(dintero.transactionOf(sessionId)).toMatchObject({ captured: 49800, refunded: 49800 });

      const { order: voided } = await authorized(setup);
      const cancelled = await apply(gateway, voided.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      await eventually(async () => dintero.transactionOf(dintero.latestSessionId())?.status === 'AUTHORIZATION_VOIDED');
    });
  });

  describe('a capture carried out whose answer is lost (500)', () => {
    const setup = useVariation({ callback: { how: 'none', ids: 'both', extras: false, copies: 0, delayMs: 0 } });

    it('is found on the transaction by the re-read: CAPTURED, and the money moved once even when the back office tries again', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('capture', 500);
      // The transaction read back shows it: the capture's answer is the order CAPTURED (or, had it
      // not shown yet, PROVIDER_UNAVAILABLE with the outcome left to reconciliation).
      const lost = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(lost.data?.applyOrderEvents[0]?.status ?? lost.errors?.[0]?.extensions?.['code']).toMatch(/^(CAPTURED|PROVIDER_UNAVAILABLE)$/);
      const again = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(again.data?.applyOrderEvents[0] ?? null).toBeNull();
      expect((await reaches(gateway, created.id, 'CAPTURED')).payments).toMatchObject([{ capturedAmount: { amount: '498.00' } }]);
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });
  });

  describe('a callback that comes before its transaction can be read (readable once the callback is answered)', () => {
    const setup = useVariation({ readableAfterCallback: true });

    it('is not believed (401), but the order it names is re-read at once, through its session: AUTHORIZED without waiting for the poller\'s turn', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      expect(dintero.callbacks.at(-1)!.status).toBe(401);
      await reaches(gateway, created.id, 'AUTHORIZED');
    });
  });

  describe('an Orders API that refuses every mark (marking records, it moves no money)', () => {
    const setup = useVariation({ refuseMarks: true });

    it('the money flow is unchanged: AUTHORIZED, CAPTURED, REFUNDED, each moved once', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup);
      const captured = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] });
      const refunded = await apply(gateway, created.id, [{ type: 'REFUND' }]);
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
      // The refusal is shown, not retried for ever.
      const infos = (await read(gateway, created.id)).creation.infos.map((info) => info.code);
      expect(infos).toContain('dintero.recording_failed');
      expect(infos).not.toContain('dintero.recording_pending');
    });
  });

  describe('a profile that captures at once', () => {
    const setup = useVariation({ autoCapture: true, transaction: 'minimal' });

    it('a paid order is CAPTURED straight away, and can be refunded in two parts', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      expect((await reaches(gateway, created.id, 'CAPTURED')).payments).toMatchObject([{ capturedAmount: { amount: '498.00' } }]);
      const part = await apply(gateway, created.id, [{ type: 'REFUND', amount: '98.00' }]);
      expect(part.errors).toBeUndefined();
      expect(part.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '98.00' } }] });
      const rest = await apply(gateway, created.id, [{ type: 'REFUND' }]);
      expect(rest.errors).toBeUndefined();
      expect(rest.data!.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }] });
    });
  });

  describe('no session read and bare transactions: nothing ties a transaction to an order', () => {
    const setup = useVariation({ sessionRead: 'none', transaction: 'minimal' });

    it('a callback naming an authorized {id, status} is answered but not believed: the order stays CREATED', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      expect(dintero.callbacks.at(-1)!.status).toBeLessThan(300);
      await new Promise((resolve) => setTimeout(resolve, 800)); // the poller (500 ms ticks) re-read the named order
      expect((await read(gateway, created.id)).status).toBe('CREATED');
      expect(marks(dintero, 'authorizations')).toHaveLength(0);
    });
  });

  describe('callbacks nobody can verify (forged), against bare transactions', () => {
    const setup = useVariation({ transaction: 'minimal', callback: { how: 'GET', ids: 'both', extras: false, copies: 1, delayMs: 20 } });

    it("another order's paid transaction named in a callback with a waiting order's session changes nothing there", async () => {
      const { dintero, gateway } = setup;
      const { order: paid, transactionId } = await authorized(setup);
      const waiting = await create(gateway);
      const waitingSession = dintero.latestSessionId();
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: waitingSession })).toBeLessThan(500);
      expect(await dinteroCallback(gateway.url, { transaction_id: transactionId, session_id: waitingSession }, 'POST')).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await read(gateway, waiting.id)).status).toBe('CREATED');
      expect((await read(gateway, paid.id)).status).toBe('AUTHORIZED');
    });
  });
});
