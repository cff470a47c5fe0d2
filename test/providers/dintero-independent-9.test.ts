/**
 * Round nine against the independent Dintero (test/support/independent/dintero-server.ts): how
 * Dintero answers the gateway's own money calls and its session, where the seed shows no answer at
 * all (it shows request bodies only, and says "see capture transaction", "see refund transaction",
 * "see executing payment" for the rest).
 *
 * - Status words nobody listed in the answer to the gateway's own capture or void (`wordFor`:
 *   `PARTIAL_CAPTURE`, `SETTLED`, `VOIDED`; round four varied such words for the payment only).
 *   Found: Dintero's yes was lost. CONTRACT §7 keeps an order's status on an unknown word, and the
 *   adapter read the answer by its word alone: a cancel Dintero voided left the order AUTHORIZED
 *   for good (every later cancel and capture refused), and a capture Dintero took showed nothing
 *   captured (the money Dintero held could not be refunded through the gateway). Fixed: a 2xx to
 *   the gateway's own operation whose transaction says a word nobody listed is read as the
 *   operation leaves the order (mapping.ts asAccepted, statusShows), the word kept as written in
 *   `providerStatus`. Later re-reads in that word keep the status, as CONTRACT §7 says.
 * - A refusal answered 200 with `{success: false, error}` (refusalsAs200): the seed writes every
 *   outcome it shows as `"success": true`, and shows no HTTP status. Found: the answer was not a
 *   transaction, so the transaction was read back, unchanged, and Dintero's no taken for a yes: a
 *   refused capture or refund was counted (money Dintero never moved), a refused void made the order
 *   CANCELLED (final) with the buyer's money still reserved, and a refused mark was taken as made.
 *   Fixed: a 2xx body that says it did not succeed, and is no transaction, is a refusal
 *   (client.ts refusalIn2xx): PROVIDER_REJECTED, nothing counted; a mark so refused is
 *   `dintero.recording_failed`; a draft, completion or session so refused makes createOrder
 *   PROVIDER_REJECTED (before: PROVIDER_UNAVAILABLE, and a refused completion was read as the
 *   draft become the order, and paid on).
 * - The session's checkout page named otherwise than `url` (sessionUrlName: `checkout_url`, a HAL
 *   `_links.checkout.href`). Found: the buyer was sent to the fallback page `<checkout>/v1/view/<id>`,
 *   which this Dintero does not serve (404): the order could never be paid. Fixed: the page is read
 *   under those names (wire.ts withPageAsUrl); `url` still wins, an echoed `url` object is no page.
 * - A callback whose JSON body is the transaction itself, `{id, status, ...}` with the session_id
 *   beside (callback.how `POST-transaction`: "a callback ... with the session_id and its
 *   corresponding transaction" read as the transaction whole). Found: it named no `transaction_id`,
 *   so it was taken for a session-only notice, and against a Dintero without the session read (the
 *   seed shows none) the paid order stayed CREATED for good. Fixed: a body with a status word names
 *   its transaction by its `id` (webhook.ts transactionItself), re-read before it is believed.
 *
 * Left: a transaction that says its captured and refunded figures as fields of their own
 * (`captured_amount`) rather than events is still read by its status alone (round five's limits
 * for status-only transactions stand); a status word nobody listed that a re-read shows after money
 * moved without the gateway still leaves the order where it was (CONTRACT §7); a callback body that
 * is a bare `{id, status}` transaction, at a Dintero without the session read, still cannot be tied
 * to its order's total and stays unbelieved (as a GET callback naming it does, round one).
 * Every order goes through the harness's closing money check.
 */
import { describe, expect, it } from 'vitest';
import { CREATE_ORDER, type OrderView } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { gql } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';
import { sleep } from '../support/test-time.js';

const NO_CALLBACK = { how: 'none' } as IndependentDinteroOptions['callback'];
/** Words for what the gateway's own operations leave, none of them CONTRACT §8's. */
const UNLISTED = { AUTHORIZATION_VOIDED: 'VOIDED', PARTIALLY_CAPTURED: 'PARTIAL_CAPTURE', CAPTURED: 'SETTLED' };

describe('Dintero adapter against an independent implementation of the seed, round nine', () => {
  const harness = independentDinteroHarness('-9');
  const { useVariation, authorized, read, apply } = harness;

  describe.each([
    ['full transactions', {}],
    ['full transactions with events', { events: true }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
    ['full transactions with events, no callback', { events: true, callback: NO_CALLBACK }],
  ] as [string, Partial<IndependentDinteroOptions>][])('the answers to the gateway\'s own operations in words nobody listed (VOIDED, PARTIAL_CAPTURE, SETTLED), %s', (_name, variation) => {
    const setup = useVariation({ ...variation, wordFor: UNLISTED });

    it('a cancel Dintero voided: CANCELLED, the word as written, voided once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      const cancelled = await apply(gateway, order.id, [{ type: 'CANCEL', idempotencyKey: `unlisted-cancel-${order.id}` }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED', providerStatus: 'VOIDED', payments: [{ status: 'VOIDED' }] });
      await sleep(300); // the poller's and any callback's re-reads, in the word nobody listed
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CANCELLED', payments: [{ status: 'VOIDED' }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
    });

    it('a partial capture, the rest and a refund: each counted as Dintero took it, each once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      await harness.appliesInTurn(gateway, order.id, [
        [[{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `unlisted-cap1-${order.id}` }], { status: 'PARTIALLY_CAPTURED', providerStatus: 'PARTIAL_CAPTURE', payments: [{ capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE', amount: '398.00', idempotencyKey: `unlisted-cap2-${order.id}` }], { status: 'CAPTURED', providerStatus: 'SETTLED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '50.00', idempotencyKey: `unlisted-ref-${order.id}` }], { status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] }],
      ]);
      await sleep(300);
      expect(await read(gateway, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '50.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 5000 });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });

  describe('a capture in a word nobody listed whose answer is lost, events with its reference', () => {
    const setup = useVariation({ events: true, wordFor: UNLISTED, callback: NO_CALLBACK });

    it('found by its reference: counted once, PARTIALLY_CAPTURED', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.loseNextAnswer('capture', 502);
      const capture = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: `unlisted-lost-${order.id}` }]);
      expect(capture.errors).toBeUndefined();
      expect(capture.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 0, void: 0 });
    });
  });

  describe.each([
    ['full transactions', {}],
    ['full transactions with events', { events: true }],
    ['bare {id, status} transactions', { transaction: 'minimal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('refusals answered 200 {success: false, error}, %s', (_name, variation) => {
    const setup = useVariation({ ...variation, refusalsAs200: true, callback: NO_CALLBACK });

    it('a refused capture is PROVIDER_REJECTED and counts nothing; the next one is taken', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('capture', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      const taken = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(taken.errors).toBeUndefined();
      expect(taken.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
    });

    it('a refused refund is PROVIDER_REJECTED and counts nothing', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect((await apply(gateway, order.id, [{ type: 'CAPTURE' }])).errors).toBeUndefined();
      dintero.failNext('refund', 400);
      const refused = await apply(gateway, order.id, [{ type: 'REFUND', amount: '50.00' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '0.00' } }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 49800, refunded: 0 });
    });

    it('a refused void leaves the order AUTHORIZED, the money still capturable', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('void', 400);
      const refused = await apply(gateway, order.id, [{ type: 'CANCEL' }]);
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(gateway, order.id)).toMatchObject({ status: 'AUTHORIZED', payments: [{ status: 'AUTHORIZED' }] });
      expect(dintero.transactionById(transactionId)).toMatchObject({ status: 'AUTHORIZED' });
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    });

    it('a capture mark refused so: the capture counts, the order says the mark failed', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      dintero.failNext('captures', 400);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({
        status: 'PARTIALLY_CAPTURED',
        creation: { infos: [{ code: 'dintero.recording_failed', message: expect.stringContaining('capture of 100.00 NOK') }] },
      });
      expect(dintero.transactionById(transactionId)).toMatchObject({ captured: 10000 });
      // Sent once: a refusal is final, not a mark to send again.
      expect(dintero.received.filter((request) => request.method === 'POST' && request.path.endsWith(`/orders/${order.providerOrderId}/captures`))).toHaveLength(1);
    });
  });

  describe('a draft, its completion or the session refused with 200 {success: false, error}', () => {
    const setup = useVariation({ refusalsAs200: true, callback: NO_CALLBACK });
    const createRefused = async (step: 'draft' | 'complete' | 'session') => {
      const { dintero, gateway } = setup;
      dintero.failNext(step, step === 'complete' ? 409 : 400);
      const sessionsBefore = dintero.received.filter((request) => request.path === '/v1/sessions-profile').length;
      const answer = await gql<{ createOrder: OrderView }>(gateway.url, CREATE_ORDER, { input: dinteroOrderInput() }, harness.parts.shop);
      return { answer, sessionsMade: dintero.received.filter((request) => request.path === '/v1/sessions-profile').length - sessionsBefore };
    };

    it.each(['draft', 'session'] as const)('a refused %s: createOrder is PROVIDER_REJECTED, in Dintero\'s words', async (step) => {
      const { answer } = await createRefused(step);
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(answer.errors?.[0]?.message).toContain(`${step} refused`);
    });

    it('a refused completion: PROVIDER_REJECTED, and no session is opened for the order never completed', async () => {
      const { answer, sessionsMade } = await createRefused('complete');
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(sessionsMade).toBe(0);
    });
  });

  describe.each([
    ['no session read', { sessionRead: 'none' }],
    ['with the session read, as a guard', {}],
  ] as [string, Partial<IndependentDinteroOptions>][])('the callback\'s body is the transaction itself ({id, status, ...} and the session_id), %s', (_name, variation) => {
    const setup = useVariation({ ...variation, callback: { how: 'POST-transaction', ids: 'both', extras: false, copies: 1, delayMs: 20 } });

    it('the paid order reaches AUTHORIZED through that callback, marked authorized once', async () => {
      const { dintero, gateway } = setup;
      const { order, transactionId } = await authorized(setup);
      expect(dintero.callbacks).toContainEqual(expect.objectContaining({ method: 'POST', status: 200 }));
      expect(order.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED', amount: { amount: '498.00' } }]);
      await sleep(200);
      expect(harness.marks(dintero, 'authorizations').filter((mark) => mark.path.includes(`/orders/${order.providerOrderId}/`))).toHaveLength(1);
      const captured = await apply(gateway, order.id, [{ type: 'CAPTURE' }]);
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    });
  });

  describe.each([
    ['checkout_url', { sessionUrlName: 'checkout_url' }],
    ['a HAL link (_links.checkout.href)', { sessionUrlName: '_links' }],
    ['url (CONTRACT §8), as a guard', { sessionUrlName: 'url' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('the session\'s checkout page named %s', (_name, variation) => {
    const setup = useVariation(variation);

    it('the buyer is sent to the page Dintero named, which is there, and pays on it: AUTHORIZED', async () => {
      const { dintero, gateway } = setup;
      const made = await harness.create(gateway);
      const sessionId = dintero.latestSessionId();
      const redirectUrl = made.creation.stopAction?.redirectUrl;
      expect(redirectUrl).toBe(`${dintero.checkoutUrl}/pay/${sessionId}`);
      const page = await fetch(redirectUrl!);
      await page.arrayBuffer();
      expect(page.status).toBe(200);
      await dintero.pay(sessionId);
      await harness.reaches(gateway, made.id, 'AUTHORIZED');
    });
  });
});
