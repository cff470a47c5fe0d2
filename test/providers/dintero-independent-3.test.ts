/**
 * Round three against the independent Dintero (test/support/independent/dintero-server.ts):
 * readings of the seed neither round one nor two drove. A buyer declined who pays on a second try
 * in the same session when transactions are bare `{id, status}` (round two's it.fails), its
 * callback coming while the first one's re-read still holds the order's hint lease (429); a
 * Dintero that joins the callback's parameters to callback_url its own way (query replaced, or a
 * second `?`); an Orders API that takes marks only in the seed's order (authorized, captured,
 * refunded), with the authorization mark lost once, and with a profile that captures at once;
 * and an order that asks for an expiry the seed's session cannot carry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { APPLY_EVENTS, CREATE_ORDER, type OrderView } from '../support/documents.js';
import { dinteroOrderInput } from '../support/dintero.js';
import { eventually } from '../support/gateway.js';
import { gql } from '../support/graphql.js';
import { independentDinteroHarness } from '../support/independent/dintero-harness.js';

describe('Dintero adapter against an independent implementation of the seed, round three', () => {
  const harness = independentDinteroHarness('-3');
  const { useVariation, create, read, reaches } = harness;
  let shop: string;
  let backOffice: string;
  beforeAll(() => ({ shop, backOffice } = harness.parts));
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Round two's it.fails, now fixed. With `{id, status}` transactions the second try's callback
   * cannot name its order by itself (only the callback URL's own parameter does), it comes within
   * the hint lease the decline's callback took (429, re-read at the lease's end), and the order,
   * FAILED, was never re-read: nothing said it still waited, and the transaction it knew was the
   * declined one. So the buyer's money stayed reserved at Dintero. Now an order that ended without
   * money watches its session for a while (reconcile.ts LATE_PAYMENT_WATCH_MS).
   */
  describe('declined, then paid in the same session, bare {id, status} transactions, the second callback throttled', () => {
    const setup = useVariation({ transaction: 'minimal' }, { reconcileIntervalMs: 1_000 });

    it('the order stays FAILED and the late authorization is voided at Dintero once, shown on the order', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      await dintero.pay(sessionId, 'decline');
      await reaches(gateway, order.id, 'FAILED');
      const transactionId = await dintero.pay(sessionId);
      await eventually(async () => dintero.operationsOn(transactionId).void === 1, 6_000);
      const after = await eventually(async () => {
        const now = await read(gateway, order.id);
        return now.payments.some((payment) => payment.id === transactionId && payment.status === 'VOIDED') && now;
      });
      expect(after.status).toBe('FAILED');
      expect(after.creation.infos.map((info) => info.code)).toContain('dintero.late_authorization_voided');
      await sleep(2_200); // further poller turns change nothing
      expect(dintero.operationsOn(transactionId)).toEqual({ capture: 0, refund: 0, void: 1 });
      expect((await read(gateway, order.id)).status).toBe('FAILED');
    });

    it('a declined order whose buyer never comes back: its session is read, nothing is voided, the order stays FAILED', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      const sessionId = dintero.latestSessionId();
      const declined = await dintero.pay(sessionId, 'decline');
      await reaches(gateway, order.id, 'FAILED');
      const sessionReads = () => dintero.received.filter((request) => request.method === 'GET' && request.path === `/v1/sessions/${sessionId}`).length;
      const before = sessionReads();
      await eventually(async () => sessionReads() > before, 4_000);
      expect(dintero.operationsOn(declined)).toEqual({ capture: 0, refund: 0, void: 0 });
      expect(await read(gateway, order.id)).toMatchObject({ status: 'FAILED', payments: [{ id: declined, status: 'FAILED' }] });
    });
  });

  /**
   * The seed does not say how the callback's parameters join callback_url. A server that replaces
   * the URL's query, or glues `?transaction_id=...` after the URL's own query, loses (or garbles)
   * the gateway's own order parameter; with `{id, status}` transactions nothing else in the
   * callback names the order. Before, such a callback changed nothing and the order waited for the
   * poller's next turn (here a minute); now the session it names finds its order.
   */
  describe.each([
    ['replaces the callback URL\'s query', 'replace', 'both'],
    ['glues its query after the URL\'s own (a second ?)', 'naive', 'both'],
    ['glues its query after the URL\'s own, naming only the transaction', 'naive', 'transaction'],
  ] as const)('a callback that %s, bare transactions, no poller in time', (_, query, ids) => {
    const setup = useVariation({ transaction: 'minimal', callback: { how: 'GET', ids, extras: false, copies: 1, delayMs: 20, query } });

    it('authorizes the order at once, the authorization marked once', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      expect(dintero.callbacks.at(-1)!.url).not.toMatch(/gateway_dintero_order=[^?&]+(&|$)/);
      await reaches(gateway, order.id, 'AUTHORIZED', 3_000);
      const marks = () => dintero.received.filter((request) => request.method === 'POST' && request.path.endsWith('/authorizations') && request.status! < 300);
      await eventually(async () => marks().length === 1);
      await sleep(300);
      expect(marks()).toHaveLength(1);
    });
  });

  /**
   * The seed's steps come in order: mark authorized, capture, mark captured, refund, mark refunded.
   * An Orders API that keeps to that order refuses a capture mark on an order not (yet) marked
   * authorized. Here the authorization mark is lost once (500: retried later), and the back office
   * captures meanwhile.
   */
  describe('an Orders API that takes marks only in the seed\'s order, the authorization mark failing once', () => {
    const setup = useVariation({ marksInOrder: true }, { reconcileIntervalMs: 300 });

    it('every mark ends recorded, in order: authorization, capture, refund', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      dintero.failNext('authorizations', 500);
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'AUTHORIZED');
      const captured = await gql<{ applyOrderEvents: OrderView[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE' }] }] }, backOffice);
      expect(captured.errors).toBeUndefined();
      const marked = (kind: string) => dintero.received.filter((request) => request.method === 'POST' && request.path.endsWith(`/${kind}`) && request.status! < 300);
      await eventually(async () => marked('authorizations').length === 1 && marked('captures').length === 1, 5_000);
      const refunded = await gql<{ applyOrderEvents: OrderView[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND' }] }] }, backOffice);
      expect(refunded.errors).toBeUndefined();
      await eventually(async () => marked('refunds').length === 1, 5_000);
      const after = await read(gateway, order.id);
      expect(after.status).toBe('REFUNDED');
      expect(dintero.received.filter((request) => request.status === 409)).toEqual([]);
      expect(after.creation.infos.filter((info) => /record|mark/i.test(`${info.code} ${info.message}`))).toEqual([]);
    });
  });

  /**
   * A profile that captures at once: the gateway marked the order authorized but never captured
   * (the seed's "Marking the order as captured"), so an Orders API that takes marks in the seed's
   * order refused the refund's mark (409), for good (dintero.recording_failed).
   */
  describe('a profile that captures at once, against an Orders API that takes marks only in the seed\'s order', () => {
    const setup = useVariation({ marksInOrder: true, autoCapture: true }, { reconcileIntervalMs: 300 });

    it('the order is marked captured (once, the whole order), then the refund is marked', async () => {
      const { dintero, gateway } = setup;
      const order = await create(gateway);
      await dintero.pay(dintero.latestSessionId());
      await reaches(gateway, order.id, 'CAPTURED');
      const marked = (kind: string) => dintero.received.filter((request) => request.method === 'POST' && request.path.endsWith(`/${kind}`) && request.status! < 300);
      await eventually(async () => marked('authorizations').length === 1);
      const refunded = await gql<{ applyOrderEvents: OrderView[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'REFUND', amount: '100.00' }] }] }, backOffice);
      expect(refunded.errors).toBeUndefined();
      await eventually(async () => marked('refunds').length === 1, 3_000);
      expect(marked('captures')).toHaveLength(1);
      expect(marked('captures')[0]!.body.items.reduce((total: number, item: { amount: number }) => total + item.amount, 0)).toBe(49800);
      await sleep(700); // further poller turns mark nothing again
      expect(dintero.received.filter((request) => request.host === 'api' && request.method === 'POST' && /\/(authorizations|captures|refunds)$/.test(request.path)).map((request) => [request.path.split('/').pop(), request.status])).toEqual([
        ['authorizations', 201],
        ['captures', 201],
        ['refunds', 201],
      ]);
      expect((await read(gateway, order.id)).creation.infos).toEqual([]);
    });
  });

  /**
   * CONTRACT: `expiresAt` is Pei's ExpirationDate; the seed's session body has no expiry. Before,
   * a Dintero order took it and dropped it: the shop believed the buyer could not pay after it.
   */
  describe('an order asking for an expiry', () => {
    const setup = useVariation({});

    it('is BAD_USER_INPUT on input.expiresAt, and nothing reaches Dintero', async () => {
      const { dintero, gateway } = setup;
      const answer = await gql(gateway.url, CREATE_ORDER, { input: dinteroOrderInput({ expiresAt: new Date(Date.now() + 3600_000).toISOString() }) }, shop);
      expect(answer.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(answer.errors)).toContain('expiresAt');
      expect(dintero.received.filter((request) => request.method === 'POST')).toEqual([]);
    });
  });
});
