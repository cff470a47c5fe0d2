/**
 * Round four against the independent Dintero (test/support/independent/dintero-server.ts): a fourth
 * implementer's readings of the seed that rounds one to three did not drive. Status words as other
 * stacks serialise an enum named after CONTRACT §8's words (PascalCase, camelCase, kebab-case,
 * words with spaces), and words nobody listed; a draft answered with only its order_id, a session
 * answered with its session_id or a relative page url, a draft that must say how its order id
 * comes; transaction reads from a replica that lags the writes, and a status word that lags its
 * events; events whose amounts are strings; a callback POSTed with its ids in the query; no void
 * at Dintero (a cancel, a late authorization); and all of these at once.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/gateway.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';
import type { IndependentDinteroOptions } from '../support/independent/dintero-server.js';

describe('Dintero adapter against an independent implementation of the seed, round four', () => {
  const harness = independentDinteroHarness('-4');
  const { useVariation, authorized, create, read, apply, appliesInTurn, reaches } = harness;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * The seed shows no answer to a draft or a session create; CONTRACT §8 names the draft's `{id}` in
   * a path and the session's answer `{id, url}`. The seed's own words are other: a draft asked to
   * `generate_order_id` has its `order_id` (an implementer may give it no other id, and take that
   * as the `{id}` it completes), and the session comes back "with the session_id". Before, either
   * answer made every createOrder PROVIDER_UNAVAILABLE, the draft already made at Dintero.
   */
  describe.each([
    ['a draft answered {order_id} only', { draftIdName: 'order_id' }],
    ['a session answered {session_id, url}', { sessionIdName: 'session_id' }],
    ['a session whose page url is relative to the checkout host', { sessionUrlRelative: true }],
    ['both, the session without its url, ids as numbers', { draftIdName: 'order_id', sessionIdName: 'session_id', sessionUrl: false, numericIds: true }],
  ] as [string, Partial<IndependentDinteroOptions>][])('%s', (_name, variation) => {
    const setup = useVariation(variation);

    it('creates the order on the completed draft and the session, and a payment reaches it: AUTHORIZED, marked on that order', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      expect(created).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' } } });
      const sessionId = dintero.latestSessionId();
      const redirectUrl = created.creation.stopAction!.redirectUrl!;
      expect(redirectUrl).toContain(sessionId);
      // Where the buyer's browser goes: an absolute URL on the checkout host.
      expect(redirectUrl.startsWith(`${dintero.checkoutUrl}/`)).toBe(true);
      const complete = dintero.received.filter((request) => request.method === 'PUT' && request.path.endsWith('/complete'));
      expect(complete).toHaveLength(1);
      expect(complete[0]!.status).toBe(200);
      const session = dintero.received.find((request) => request.path === '/v1/sessions-profile')!;
      const orderId = String(session.body.order.merchant_reference);
      expect(complete[0]!.path).toContain(`/draft_orders/${variation.draftIdName === 'order_id' ? orderId : ''}`);
      const transactionId = await dintero.pay(sessionId);
      const authorized = await reaches(gateway, created.id, 'AUTHORIZED');
      expect(authorized.payments).toMatchObject([{ id: transactionId, status: 'AUTHORIZED' }]);
      await eventually(async () => dintero.received.some((request) => request.path.endsWith(`/orders/${orderId}/authorizations`) && request.status! < 300));
      const captured = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED' });
    });
  });

  /**
   * No seed writes a status word but AUTHORIZED; CONTRACT §8 lists the rest in SCREAMING_SNAKE and
   * says "accept any letter case". An implementer whose stack serialises an enum by its member's
   * name writes `PartiallyCaptured` (.NET), `partiallyCaptured` (a camelCase policy), or
   * `partially-captured`. Upper-casing alone reads AUTHORIZED, CAPTURED, REFUNDED, but not the
   * two-word statuses: a partial capture answered `PartiallyCaptured` was an unknown word, so the
   * order stayed AUTHORIZED with nothing captured (the same money offered again), and a void
   * answered `AuthorizationVoided` left the order AUTHORIZED after Dintero released the money.
   */
  describe.each([['pascal'], ['camel'], ['kebab'], ['spaced']] as const)('status words in %s', (statusCase) => {
    const setup = useVariation({ statusCase, transaction: 'minimal' });

    it('a partial capture, the rest, a partial refund and the rest: each the contract status, each money moved once', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup);
      const sessionId = dintero.latestSessionId();

      await appliesInTurn(gateway, created.id, [
        [[{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE' }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '98.00' }], { status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '98.00' } }] }],
        [[{ type: 'REFUND' }], { status: 'REFUNDED', payments: [{ refundedAmount: { amount: '498.00' } }] }],
      ]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 2, void: 0 });
      expect(dintero.transactionOf(sessionId)).toMatchObject({ captured: 49800, refunded: 49800 });
    });

    it('a cancel: CANCELLED once Dintero voids it', async () => {
      const { dintero, gateway } = setup;
      const { order: created } = await authorized(setup);
      const cancelled = await apply(gateway, created.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED' });
      expect(dintero.transactionOf(dintero.latestSessionId())).toMatchObject({ status: 'AUTHORIZATION_VOIDED' });
    });
  });

  /**
   * The seed says to "poll the current status of the transaction" and nothing of when a read shows
   * a write. An implementer who reads from a replica answers the transaction as it was a moment
   * ago (and a new one not at all) while capture, refund and void answer from the primary.
   */
  describe('transaction reads that lag the writes by 0.8 s', () => {
    const setup = useVariation({ readLagMs: 800, transaction: 'minimal', operationAnswer: 'no-content' }, { reconcileIntervalMs: 500 });
    const marks = (kind: string) => setup.dintero.received.filter((request) => request.host === 'api' && request.path.endsWith(`/${kind}`) && request.status! < 300);

    it('a payment, a capture whose mark fails once, a refund whose answer is lost: each counted once, the marks each made once, the order never back', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup, {}, 8_000);
      await eventually(async () => marks('authorizations').length === 1, 5_000);

      dintero.failNext('captures', 500);
      const captured = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
      // Reconciliation re-sends the mark while the replica still shows AUTHORIZED.
      await eventually(async () => marks('captures').length === 1, 5_000);
      const statuses: string[] = [];
      for (let i = 0; i < 4; i++) {
        const order = await read(gateway, created.id);
        statuses.push(`${order.status} ${order.payments[0]?.capturedAmount.amount}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(new Set(statuses)).toEqual(new Set(['PARTIALLY_CAPTURED 100.00']));
      // The gateway read the transaction after the capture (its poller, every 200 ms, mostly while
      // the replica still showed AUTHORIZED; on a loaded machine the first read may come after the
      // 0.8 s lag: since the first capture reads before it is sent, no read-back follows at once).
      const capturedAt = dintero.received.find((request) => request.path.endsWith('/capture'))!.at;
      expect(dintero.received.some((request) => request.method === 'GET' && request.path === `/v1/transactions/${transactionId}` && request.status === 200 && request.at > capturedAt)).toBe(true);

      dintero.loseNextAnswer('refund', 500);
      const refund = await apply(gateway, created.id, [{ type: 'REFUND', amount: '50.00' }]);
      expect(refund.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const refunded = await eventually(async () => {
        const order = await read(gateway, created.id);
        return order.status === 'PARTIALLY_REFUNDED' && order;
      }, 8_000);
      expect(refunded.payments).toMatchObject([{ capturedAmount: { amount: '100.00' }, refundedAmount: { amount: '50.00' } }]);
      await eventually(async () => marks('refunds').length === 1, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 1, refund: 1, void: 0 });
      expect(marks('captures')).toHaveLength(1);
      expect(marks('refunds')).toHaveLength(1);
      expect(marks('authorizations')).toHaveLength(1);
      expect((await read(gateway, created.id)).status).toBe('PARTIALLY_REFUNDED');
    });
  });

  /**
   * A transaction that keeps its history as `events` (Dintero's public reference; no seed shows
   * one), written by an implementer who writes every amount as a string (as round one's
   * stringNumbers, which showed no events). The transaction's own `amount` as a string was read
   * (as unreadable, completed from its order); an event's was not: the whole read failed, every
   * callback and re-read was PROVIDER_UNAVAILABLE, and a paid order stayed CREATED.
   */
  describe.each([
    ['events with amounts as strings', { events: true, stringNumbers: true }],
    ['events with amounts as numbers, PascalCase words', { events: true, statusCase: 'pascal' }],
  ] as [string, Partial<IndependentDinteroOptions>][])('%s', (_name, variation) => {
    const setup = useVariation(variation);

    it('pay, capture in two parts, refund part: each amount as Dintero counts it', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup);
      await appliesInTurn(gateway, created.id, [
        [[{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] }],
        [[{ type: 'CAPTURE' }], { status: 'CAPTURED', payments: [{ capturedAmount: { amount: '498.00' } }] }],
        [[{ type: 'REFUND', amount: '98.00' }], { status: 'PARTIALLY_REFUNDED', payments: [{ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '98.00' } }] }],
      ]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 1, void: 0 });
    });
  });

  /**
   * "A redirect or callback to your site with the session_id and its corresponding transaction":
   * the seed names no method. A server may POST to the callback URL with the two ids in its query
   * and no body at all (no content type).
   */
  describe('a POSTed callback with the ids in the query and no body', () => {
    const setup = useVariation({ transaction: 'minimal', callback: { how: 'POST-query', ids: 'both', extras: false, copies: 1, delayMs: 20 } });

    it('is taken (2xx) and the order reaches AUTHORIZED at once', async () => {
      const { dintero } = setup;
      await authorized(setup, {}, 3_000);
      expect(dintero.callbacks).toMatchObject([{ method: 'POST' }]);
      expect(dintero.callbacks[0]!.status).toBeLessThan(300);
    });
  });

  /**
   * The seed's draft always says how its order id comes (`options.generate_order_id`); an order
   * whose client names no `dintero.generateOrderId` sent a draft without it, which a server that
   * needs an order id rule (or an `order_id`) refuses: createOrder was PROVIDER_REJECTED.
   */
  describe('a draft must say how its order id comes', () => {
    const setup = useVariation({ requireOrderIdRule: true });

    it("an order without dintero.generateOrderId gets the seed's ALPHANUMERIC_9; one that names its own rule keeps it", async () => {
      const { dintero, gateway } = setup;
      const plain = await create(gateway, { dintero: {} });
      expect(plain).toMatchObject({ status: 'CREATED', creation: { status: 'STOPPED' } });
      const drafts = dintero.received.filter((request) => request.path.endsWith('/shopping/draft_orders'));
      expect(drafts.at(-1)!.body.options).toEqual({ generate_order_id: 'ALPHANUMERIC_9' });
      await create(gateway, { dintero: { generateOrderId: 'NUMERIC_12' } });
      expect(dintero.received.filter((request) => request.path.endsWith('/shopping/draft_orders')).at(-1)!.body.options).toEqual({ generate_order_id: 'NUMERIC_12' });
    });
  });

  /**
   * Words no seed or CONTRACT line has, some close to a known one by their letters: never read as
   * paid (or final). The order keeps CREATED, nothing can be captured.
   */
  describe.each([['PAID'], ['AUTHORIZATION_PENDING'], ['UNAUTHORIZED'], ['PRE_AUTHORIZED'], ['Authorized-Pending']])('an authorization written %s', (written) => {
    const setup = useVariation({ wordFor: { AUTHORIZED: written } });

    it('leaves the order CREATED; a capture is INVALID_STATE and reaches nobody', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      const transactionId = await dintero.pay(dintero.latestSessionId());
      await eventually(async () => dintero.callbacks.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const order = await read(gateway, created.id);
      expect(order.status).toBe('CREATED');
      const capture = await apply(gateway, created.id, [{ type: 'CAPTURE' }]);
      expect(capture.errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 0 });
    });
  });

  /**
   * The seed shows capturing and refunding a transaction, never voiding one: a Dintero without the
   * void (404). A back-office cancel is then refused and changes nothing. A buyer declined who pays
   * on a second try in the same session (round three) has money reserved for an order that is
   * FAILED: it cannot be released by the gateway, so the order must say so.
   */
  describe('no void at Dintero', () => {
    const setup = useVariation({ noVoid: true, transaction: 'minimal' }, { reconcileIntervalMs: 500 });

    it('a cancel is refused, the order stays AUTHORIZED', async () => {
      const { gateway } = setup;
      const { order: created } = await authorized(setup);
      const cancel = await apply(gateway, created.id, [{ type: 'CANCEL' }]);
      expect(cancel.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect((await read(gateway, created.id)).status).toBe('AUTHORIZED');
    });

    it('a late authorization of a FAILED order that cannot be voided is shown on the order, FAILED still', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, created.id, 'FAILED');
      const transactionId = await dintero.pay(sessionId);
      const voids = () => dintero.received.filter((request) => request.path === `/v1/transactions/${transactionId}/void`).length;
      await eventually(async () => voids() >= 1, 4_000);
      const shown = await eventually(async () => {
        const order = await read(gateway, created.id);
        return order.creation.infos.some((info) => info.code === 'dintero.late_authorization_unreleased') && order;
      }, 4_000);
      expect(shown.status).toBe('FAILED');
      expect(shown.payments).toContainEqual(expect.objectContaining({ id: transactionId, status: 'AUTHORIZED' }));
      const tried = voids();
      await sleep(1_200);
      expect(voids()).toBe(tried); // not asked again every turn
    });
  });

  /** Round four's readings at once, with round one's strict and stringy ones. */
  describe('every round-four reading at once', () => {
    const setup = useVariation({
      statusCase: 'pascal',
      events: true,
      stringNumbers: true,
      strictLineIds: true,
      strictRequests: true,
      requireOrderIdRule: true,
      draftIdName: 'order_id',
      sessionIdName: 'session_id',
      sessionUrlRelative: true,
      readLagMs: 300,
      operationAnswer: 'no-content',
      markStatus: 204,
      callback: { how: 'POST-query', ids: 'both', extras: true, copies: 2, delayMs: 20 },
    }, { reconcileIntervalMs: 500 });

    it('create, pay, capture in parts, refund in parts, and a cancel of another: the contract statuses, money moved once', async () => {
      const { dintero, gateway } = setup;
      const created = await create(gateway, { dintero: {} });
      expect(created.creation.stopAction!.redirectUrl!.startsWith(`${dintero.checkoutUrl}/pay/`)).toBe(true);
      const sessionId = dintero.latestSessionId();
      const transactionId = await dintero.pay(sessionId);
      await reaches(gateway, created.id, 'AUTHORIZED', 5_000);
      await appliesInTurn(gateway, created.id, [
        [[{ type: 'CAPTURE', amount: '100.00' }], { status: 'PARTIALLY_CAPTURED' }],
        [[{ type: 'CAPTURE' }], { status: 'CAPTURED' }],
        [[{ type: 'REFUND', amount: '98.00' }], { status: 'PARTIALLY_REFUNDED' }],
        [[{ type: 'REFUND' }], { status: 'REFUNDED' }],
      ]);
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 2, refund: 2, void: 0 });
      expect(dintero.received.filter((request) => request.status! >= 400 && request.status !== 404)).toEqual([]);

      const { order: other } = await authorized(setup, {}, 5_000);
      const cancelled = await apply(gateway, other.id, [{ type: 'CANCEL' }]);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.applyOrderEvents[0]!.status).toBe('CANCELLED');
    });
  });

  /**
   * A Dintero whose events are written with the operation and whose status word is worked out a
   * moment later: a capture answered 204, read back, shows its event (its reference) under a
   * status still AUTHORIZED. Before, the order took the word as read: AUTHORIZED with 100.00
   * captured, and nothing re-read it after.
   */
  describe('a status word that lags its events', () => {
    const setup = useVariation({ events: true, operationAnswer: 'no-content', readLagMs: 400, readLagStatusOnly: true }, { reconcileIntervalMs: 500 });

    it('a capture, then a refund, each shown as the operation leaves it', async () => {
      const { gateway } = setup;
      const { order: created } = await authorized(setup, {}, 5_000);
      const captured = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '100.00' } }] });
      await sleep(500);
      const refunded = await apply(gateway, created.id, [{ type: 'REFUND', amount: '100.00' }]);
      expect(refunded.errors).toBeUndefined();
      expect(refunded.data!.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '100.00' } }] });
    });
  });

  describe('a status word that lags its events by 1 s, found by reconciliation', () => {
    const setup = useVariation({ events: true, operationAnswer: 'no-content', readLagMs: 1_000, readLagStatusOnly: true }, { reconcileIntervalMs: 300 });

    /** The same found by reconciliation: the capture's answer lost, and the read right after it too. */
    it('a capture whose answer and read-back are lost, found by reconciliation under the lagging word: PARTIALLY_CAPTURED', async () => {
      const { dintero, gateway } = setup;
      const { order: created, transactionId } = await authorized(setup, {}, 5_000);
      await sleep(1_100); // the word has caught up with the payment
      dintero.loseNextAnswer('capture', 500);
      // The read-back after the capture (three tries): not the read before it (the adapter's own since round seven).
      dintero.failReadsAfter('capture', 3, 500);
      const lost = await apply(gateway, created.id, [{ type: 'CAPTURE', amount: '100.00' }]);
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const found = await eventually(async () => {
        const order = await read(gateway, created.id);
        return order.payments[0]?.capturedAmount.amount === '100.00' && order;
      }, 4_000);
      expect(found.status).toBe('PARTIALLY_CAPTURED');
      await sleep(500);
      expect((await read(gateway, created.id)).status).toBe('PARTIALLY_CAPTURED');
      expect(dintero.operationsOn(transactionId).capture).toBe(1);
    });
  });
});
