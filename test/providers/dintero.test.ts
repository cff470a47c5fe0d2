/**
 * The Dintero provider end to end: GraphQL over real HTTP and graphql-ws in front, the Dintero
 * sandbox (Orders API and Checkout API on their own ports) behind, the buyer clicking through the
 * checkout page and Dintero's unsigned callbacks over real HTTP in between, on both stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { applyObservation, newOrder, type ProviderObservation } from '../../src/domain/observation.js';
import type { Order } from '../../src/domain/order.js';
import { newOrderId } from '../../src/domain/orders/order-id.js';
import type { ProviderAdapter } from '../../src/domain/provider-port.js';
import { createDinteroAdapter, EXPIRY_GRACE_MS, UNKNOWN_OUTCOME_BOUND_MS } from '../../src/providers/dintero/index.js';
import { startDinteroSandbox, type DinteroSandbox } from '../../src/sandboxes/dintero/index.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { KeyValueStore } from '../../src/store/types.js';
import { APPLY_EVENTS, CREATE_ORDER, GET_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { buyerOnCheckout, dinteroCallback, dinteroOrderInput, sessionIdOf } from '../support/dintero.js';
import { untilAdmitted } from '../support/webhook-retry.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk, subscribe } from '../support/graphql.js';

describe.each(STORE_KINDS)('Dintero through the gateway (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let dintero: DinteroSandbox;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    dintero = env.sandboxes.dintero;
    shop = await tokenFor('orders:create', 'dintero-shop');
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const create = async (input: Record<string, unknown> = dinteroOrderInput(), on: Gateway = gateway): Promise<OrderView> =>
    (await gqlOk(on.url, CREATE_ORDER, { input }, shop)).createOrder;
  const read = async (id: string): Promise<OrderView> => (await gqlOk(gateway.url, GET_ORDER, { id }, backOffice)).order!;
  const apply = (orderId: string, events: Record<string, unknown>[]) =>
    gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId, events }] }, backOffice);
  const pageOf = (order: OrderView): string => order.creation.stopAction?.redirectUrl ?? '';
  /** The order's Dintero transaction: its payment once the gateway knows it, else from the session. */
  const transactionOf = (order: OrderView): string =>
    order.payments[0]?.id ?? dintero.getSession(sessionIdOf(pageOf(order)))?.transaction_id ?? '';
  /** The sandbox requests about one order (other orders of the suite are polled meanwhile). */
  const requestsAbout = (order: OrderView) =>
    dintero.requests().filter((request) => request.path.includes(transactionOf(order)) || request.path.includes(`/orders/${order.providerOrderId}/`));
  const creations = () => requestsTo('/draft_orders').length;
  /** A fault aimed at this order's money call only (the suite's pollers must not use it up). */
  const moneyCall = (order: OrderView, operation: 'capture' | 'refund' | 'void') => new RegExp(`/transactions/${transactionOf(order)}/${operation}$`);
  const requestsTo = (suffix: string) => dintero.requests().filter((request) => request.path.endsWith(suffix));

  /** An order the buyer has paid, AUTHORIZED at the gateway (callback before the redirect). */
  async function paidOrder(input?: Record<string, unknown>): Promise<OrderView> {
    const order = await create(input);
    expect((await buyerOnCheckout(pageOf(order), 'pay', { callback: 'before' })).status).toBe(303);
    return eventually(async () => {
      const current = await read(order.id);
      return current.status === 'AUTHORIZED' && current.creation.infos.length === 0 && current;
    });
  }

  it('createOrder: draft order with tax lines -> complete -> checkout session; the order waits on the page', async () => {
    const before = dintero.requests().length;
    const order = await create();
    expect(order).toMatchObject({
      provider: 'DINTERO',
      status: 'CREATED',
      total: { amount: '498.00', currency: 'NOK', minorUnits: 49800 },
      creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT' }, infos: [] },
    });
    expect(order.providerOrderId).toMatch(/^[0-9A-Z]{9}$/);
    expect(pageOf(order).startsWith(`${dintero.checkoutUrl}/v1/view/`)).toBe(true);

    const sent = dintero.requests().slice(before);
    expect(sent.map((request) => `${request.method} ${request.path.replace(/\/draft_orders\/[^/]+/, '/draft_orders/{id}')}`)).toEqual([
      'POST /v1/accounts/T12345678/auth/token',
      'POST /v1/accounts/T12345678/shopping/draft_orders',
      'PUT /v1/accounts/T12345678/shopping/draft_orders/{id}/complete',
      'POST /v1/sessions-profile',
    ].filter((line) => !line.includes('auth/token') || sent.some((request) => request.path.endsWith('/auth/token'))));
    const draft = sent.find((request) => request.path.endsWith('/draft_orders'))?.body;
    expect(draft).toEqual({
      options: { generate_order_id: 'ALPHANUMERIC_9' },
      order: {
        currency: 'NOK',
        merchant_reference: order.reference,
        items: [
          { id: '175938', line_id: 1, quantity: 2, gross_amount: 39800, tax_lines: [{ amount: 7960, percentage: 25 }], description: 'Stablestol for utendørsbruk', description_alias: 'Stablestol for utendørsbruk' },
          { id: 'shipping', line_id: 2, quantity: 1, gross_amount: 10000, description: 'Frakt', description_alias: 'Frakt' },
        ],
      },
    });
    const session = sent.find((request) => request.path === '/v1/sessions-profile')?.body;
    expect(session).toEqual({
      url: { return_url: 'https://shop.example/dintero/return?cart=42', callback_url: `http://localhost:${new URL(gateway.url).port}/webhooks/dintero?gateway_dintero_order=${order.providerOrderId}` },
      order: {
        amount: 49800,
        currency: 'NOK',
        merchant_reference: order.providerOrderId,
        merchant_reference_2: order.id,
        vat_amount: 7960,
        items: [
          { id: '175938', line_id: 'chair', description: 'Stablestol for utendørsbruk', quantity: 2, amount: 39800, vat_amount: 7960, vat: 25 },
          { id: 'shipping', line_id: 'shipping', description: 'Frakt', quantity: 1, amount: 10000 },
        ],
      },
      profile_id: dintero.config.profileId,
    });
    expect(dintero.getOrder(order.providerOrderId!)).toMatchObject({ status: 'COMPLETED', gross_amount: 49800, authorizations: [] });
  });

  it.each([
    [{ items: null, amount: '10.00' }, 'input.items'],
    [{ returnUrls: null }, 'input.returnUrls.success'],
    [{ returnUrls: { success: 'https://shop.example/ok', cancel: 'https://shop.example/cancel' } }, 'input.returnUrls'],
    [{ dintero: { generateOrderId: 'RANDOM' } }, 'input.dintero.generateOrderId'],
    [{ items: [{ name: 'x', amount: '1.00', taxRate: 12.123456 }] }, 'input.items.0.taxRate'],
  ])('createOrder refuses %j as BAD_USER_INPUT on %s, before calling Dintero', async (overrides, field) => {
    const before = creations();
    const result = await gql(gateway.url, CREATE_ORDER, { input: dinteroOrderInput(overrides) }, shop);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(creations()).toBe(before);
  });

  it('a tax rate with decimals is computed exactly and rounded half up (12.5 % of 100.01 NOK is 11.11)', async () => {
    const order = await create(dinteroOrderInput({ items: [{ name: 'Book', amount: '100.01', taxRate: 12.5 }] }));
    const draft = dintero.requests().filter((request) => request.path.endsWith('/draft_orders')).pop()?.body as any;
    // 10001 × 12.5 / 112.5 = 1111.22...
    expect(draft.order.items[0].tax_lines).toEqual([{ amount: 1111, percentage: 12.5 }]);
    expect(order.status).toBe('CREATED');
  });

  it('callback before the redirect: the order is AUTHORIZED by the time the buyer is sent back, and recorded once on the Dintero order', async () => {
    const order = await create();
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    const answer = await buyerOnCheckout(pageOf(order), 'pay', { callback: 'before' });
    expect(answer.status).toBe(303);
    const back = new URL(answer.location ?? '');
    expect(back.origin + back.pathname).toBe('https://shop.example/dintero/return');
    expect(back.searchParams.get('transaction_id')).toBe(transactionOf(order));
    // The sandbox answered the redirect only after the gateway acknowledged the callback.
    const paid = await read(order.id);
    expect(paid).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'AUTHORIZED', creation: { status: 'COMPLETED', stopAction: null, infos: [] } });
    expect(paid.payments).toEqual([
      expect.objectContaining({ id: transactionOf(order), status: 'AUTHORIZED', amount: { amount: '498.00' }, capturedAmount: { amount: '0.00' } }),
    ]);
    // Told once, by the callback or by the poller's read that may come first (the store is shared
    // with a polling gateway: seen under load); either way the callback was acknowledged, after its
    // effect was stored, before the buyer was sent back.
    const told = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED')).orderStatusChanged;
    expect(['WEBHOOK', 'RECONCILIATION']).toContain(told.source);
    expect(dintero.sentCallbacks().filter((attempt) => attempt.sessionId === sessionIdOf(pageOf(order))).map((attempt) => attempt.responseStatus)).toEqual([200]);
    expect(dintero.getOrder(order.providerOrderId!)?.authorizations).toEqual([
      expect.objectContaining({
        items: [
          { amount: 39800, line_id: 1 },
          { amount: 10000, line_id: 2 },
        ],
        payment_details: { payment_id: transactionOf(order) },
        success: true,
      }),
    ]);
    await watch.dispose();
  });

  it('the buyer never comes back (no redirect followed) and the callback comes later: the callback alone settles it', async () => {
    // No poller on this instance: only the callback can tell it.
    const quiet = await env.startGateway({}, { pollerDisabled: true });
    const order = await create(dinteroOrderInput(), quiet);
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(quiet.url, shop, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    await buyerOnCheckout(pageOf(order), 'pay', { callback: 'after' });
    const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED')).orderStatusChanged;
    expect(paid.source).toBe('WEBHOOK');
    await eventually(async () => dintero.sentCallbacks().some((attempt) => attempt.sessionId === sessionIdOf(pageOf(order)) && attempt.responseStatus === 200));
    expect(dintero.getOrder(order.providerOrderId!)?.authorizations).toHaveLength(1);
    await watch.dispose();
  });

  it.each([
    ['a JSON POST in camelCase', (transactionId: string, sessionId: string) => ({ method: 'POST' as const, params: { transactionId, sessionId } })],
    ['a GET in PascalCase', (transactionId: string, sessionId: string) => ({ method: 'GET' as const, params: { TransactionId: transactionId, SessionId: sessionId } })],
    ['a form POST naming a bare transaction', (transactionId: string, sessionId: string) => ({ method: 'FORM' as const, params: { transaction: transactionId, session_id: sessionId } })],
  ])('a callback naming its transaction another way (%s) settles the order alike; the seed names only session_id', async (_, callback) => {
    // No poller and no callback from the sandbox: only the callback posted here can tell it.
    const quiet = await env.startGateway({}, { pollerDisabled: true });
    const order = await create(dinteroOrderInput(), quiet);
    await buyerOnCheckout(pageOf(order), 'pay', { callback: 'never' });
    const { method, params: named } = callback(transactionOf(order), sessionIdOf(pageOf(order)));
    // To the callback URL the gateway gave Dintero, which names the Dintero order itself.
    const params = { ...named, gateway_dintero_order: order.providerOrderId! };
    const status =
      method === 'FORM'
        ? (await fetch(`${quiet.url}/webhooks/dintero`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() })).status
        : await dinteroCallback(quiet.url, params, method);
    expect(status).toBe(200);
    expect(await quiet.store.orders.get(order.id)).toMatchObject({ status: 'AUTHORIZED', events: [{ status: 'CREATED' }, { status: 'AUTHORIZED', source: 'WEBHOOK' }] });
    // And another session's id, however spelled, still makes it a forgery.
    const other = await create(dinteroOrderInput(), quiet);
    expect(await untilAdmitted(() => dinteroCallback(quiet.url, { TransactionId: transactionOf(order), sessionId: sessionIdOf(pageOf(other)) }))).toBe(401);
    await quiet.close();
  });

  it('no callback at all: reconciliation finds the transaction through the session and records the authorization', async () => {
    const order = await create();
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    await buyerOnCheckout(pageOf(order), 'pay', { callback: 'never' });
    const paid = (await watch.waitFor((message) => message.orderStatusChanged.status === 'AUTHORIZED')).orderStatusChanged;
    expect(paid.source).toBe('RECONCILIATION');
    expect(dintero.sentCallbacks().filter((attempt) => attempt.sessionId === sessionIdOf(pageOf(order)))).toEqual([]);
    await eventually(async () => dintero.getOrder(order.providerOrderId!)?.authorizations.length === 1);
    expect(requestsTo(`/orders/${order.providerOrderId}/authorizations`)).toHaveLength(1);
    await watch.dispose();
  });

  it('duplicate callbacks to two gateway instances racing the poller: one AUTHORIZED event, one authorization sent to Dintero', async () => {
    const second = await env.startGateway();
    const order = await create();
    // Three copies from the sandbox, plus four hand-made ones split over both instances, at once.
    const pay = buyerOnCheckout(pageOf(order), 'pay', { callback: 'after', copies: 3 });
    await pay;
    const params = { transaction_id: transactionOf(order), session_id: sessionIdOf(pageOf(order)) };
    const statuses = await Promise.all([
      dinteroCallback(gateway.url, params),
      dinteroCallback(second.url, params),
      dinteroCallback(gateway.url, params, 'POST'),
      dinteroCallback(second.url, params, 'POST'),
    ]);
    // A copy that comes while the order's re-read lease is held is throttled (429): Dintero retries it.
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    await dintero.callbacksIdle();
    const paid = await read(order.id);
    expect(paid.status).toBe('AUTHORIZED');
    expect(paid.events.filter((event) => event.status === 'AUTHORIZED')).toHaveLength(1);
    expect(requestsTo(`/orders/${order.providerOrderId}/authorizations`)).toHaveLength(1);
    expect(dintero.getOrder(order.providerOrderId!)?.authorizations).toHaveLength(1);
  });

  it('a forged callback (unknown transaction, or one of another session) is 401 and changes nothing', async () => {
    const order = await paidOrder();
    const other = await create();
    // (Each re-reads Dintero, so each waits for the re-read lease the one before took, as a retrying sender would.)
    expect(await untilAdmitted(() => dinteroCallback(gateway.url, { transaction_id: 'T12345678.forged', session_id: sessionIdOf(pageOf(other)) }))).toBe(401);
    expect(await untilAdmitted(() => dinteroCallback(gateway.url, { transaction_id: transactionOf(order), session_id: sessionIdOf(pageOf(other)) }))).toBe(401);
    expect(await dinteroCallback(gateway.url, {})).toBe(400);
    expect((await read(other.id)).status).toBe('CREATED');
  });

  it('the access token is kept in the store: shared by instances, fetched again once after Dintero revokes it', async () => {
    const second = await env.startGateway();
    await create(dinteroOrderInput(), gateway);
    const issued = dintero.tokensIssued();
    await create(dinteroOrderInput(), second);
    expect(dintero.tokensIssued()).toBe(issued);

    dintero.revokeTokens();
    const before = dintero.requests().length;
    const order = await create(dinteroOrderInput(), second);
    expect(order.status).toBe('CREATED');
    expect(dintero.tokensIssued()).toBe(issued + 1);
    // One fresh token for all (above), and every call refused with the revoked one was sent once
    // more and not refused again. How many calls meet the revoked token is a race, not the
    // adapter's: a background re-read of an earlier test's order on the other instance may be in
    // flight with it beside the draft (each instance holds the token it last read), so one or two
    // 401s (round twenty-four: the test had asserted exactly one, and failed under load).
    // (A background call's second send may still be on its way: waited for.)
    const refusedNotResent = () => {
      const since = dintero.requests().slice(before);
      return since.filter(
        (request, index) => request.status === 401 && !since.slice(index + 1).some((later) => later.method === request.method && later.path === request.path && later.status !== 401),
      ).length;
    };
    await expect.poll(refusedNotResent, { timeout: 3_000 }).toBe(0);
    const sent = dintero.requests().slice(before);
    expect(sent.filter((request) => request.status === 401).length).toBeGreaterThanOrEqual(1);
    // The draft was made once: at most one refused send of it before the one Dintero took.
    const drafts = sent.filter((request) => request.path.endsWith('/draft_orders')).map((request) => request.status);
    expect(drafts.filter((status) => status === 201)).toHaveLength(1);
    expect(drafts.at(-1)).toBe(201);
    expect(drafts.filter((status) => status === 401).length).toBeLessThanOrEqual(1);
    await create(dinteroOrderInput(), gateway);
    expect(dintero.tokensIssued()).toBe(issued + 1);
  });

  it('capture by lines, then by amount (spread over what each line has left), refund: Dintero transaction and order records agree', async () => {
    const order = await paidOrder();
    const tx = transactionOf(order);
    const shipping = await apply(order.id, [{ type: 'CAPTURE', items: [{ lineId: 'shipping', amount: '100.00' }] }]);
    expect(shipping.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });

    // Line "shipping" has nothing left: capturing it again is Dintero's per-line bound, refused before any call.
    const before = requestsAbout(order).length;
    const again = await apply(order.id, [{ type: 'CAPTURE', items: [{ lineId: 'shipping', amount: '1.00' }] }]);
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect(requestsAbout(order).length).toBe(before);

    const part = await apply(order.id, [{ type: 'CAPTURE', amount: '200.00' }]);
    expect(part.data?.applyOrderEvents[0]?.status).toBe('PARTIALLY_CAPTURED');
    const rest = await apply(order.id, [{ type: 'CAPTURE' }]);
    expect(rest.data?.applyOrderEvents[0]).toMatchObject({ status: 'CAPTURED', providerStatus: 'CAPTURED' });
    const refund = await apply(order.id, [{ type: 'REFUND', amount: '50.00', reason: 'scratched' }]);
    expect(refund.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', payments: [{ refundedAmount: { amount: '50.00' } }] });

    const transaction = dintero.getTransaction(tx)!;
    expect(transaction.status).toBe('PARTIALLY_REFUNDED');
    expect(transaction.events.filter((event) => event.event === 'CAPTURE').map((event) => [event.amount, event.items])).toEqual([
      [10000, [{ line_id: 'shipping', amount: 10000 }]],
      [20000, [{ line_id: 'chair', amount: 20000 }]],
      [19800, [{ line_id: 'chair', amount: 19800 }]],
    ]);
    const recorded = dintero.getOrder(order.providerOrderId!)!;
    expect(recorded.captures.map((capture) => capture.items)).toEqual([[{ line_id: 2, amount: 10000 }], [{ line_id: 1, amount: 20000 }], [{ line_id: 1, amount: 19800 }]]);
    expect(recorded.refunds.map((entry) => entry.items)).toEqual([[{ line_id: 1, amount: 5000 }]]);
    expect(recorded.captures.every((capture) => capture.payment_details.payment_id === tx && capture.success)).toBe(true);
  });

  it('capture beyond what is authorized and refund beyond what is captured are INVALID_STATE with no call to Dintero', async () => {
    const order = await paidOrder();
    const before = requestsAbout(order).length;
    const over = await apply(order.id, [{ type: 'CAPTURE', amount: '498.01' }]);
    expect(over.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const refund = await apply(order.id, [{ type: 'REFUND', amount: '1.00' }]);
    expect(refund.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    await apply(order.id, [{ type: 'CAPTURE', amount: '10.00' }]);
    const after = requestsAbout(order).length;
    const refundOver = await apply(order.id, [{ type: 'REFUND', amount: '10.01' }]);
    expect(refundOver.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    expect(requestsAbout(order).length).toBe(after);
    // The one capture, the read before it (the order's first capture: is Dintero's status ahead
    // of it? money-change.ts unkeyedReadBefore) and its recording.
    expect(after - before).toBe(3);
  });

  it('a recording that fails after the money moved: the capture stands, the order shows it, reconciliation heals it without capturing again', async () => {
    const order = await paidOrder();
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, backOffice, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    dintero.failNextRecordings(1);
    const captured = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
    const shown = captured.data?.applyOrderEvents[0];
    expect(shown).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    expect(shown?.creation.infos).toEqual([{ code: 'dintero.recording_pending', message: expect.stringContaining('capture of 100.00 NOK') }]);
    expect(dintero.getOrder(order.providerOrderId!)?.captures).toEqual([]);

    const healed = await eventually(async () => {
      const current = await read(order.id);
      return current.creation.infos.length === 0 && current;
    });
    expect(healed.status).toBe('PARTIALLY_CAPTURED');
    expect(dintero.getOrder(order.providerOrderId!)?.captures).toHaveLength(1);
    expect(dintero.getTransaction(transactionOf(order))?.events.filter((event) => event.event === 'CAPTURE')).toHaveLength(1);
    expect(requestsTo(`/transactions/${transactionOf(order)}/capture`)).toHaveLength(1);
    await watch.dispose();
  });

  it('a capture whose answer is lost is found in the transaction by its reference: counted once, never sent twice', async () => {
    const order = await paidOrder();
    dintero.loseNextAnswers(1, moneyCall(order, 'capture'));
    const captured = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'lost-answer-capture' }]);
    expect(captured.errors).toBeUndefined();
    expect(captured.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    // The client retries as it would after any doubt: the same key answers the first result.
    const again = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'lost-answer-capture' }]);
    expect(again.data?.applyOrderEvents[0]?.payments[0]?.capturedAmount.amount).toBe('100.00');
    expect(requestsTo(`/transactions/${transactionOf(order)}/capture`)).toHaveLength(1);
    expect(dintero.getTransaction(transactionOf(order))?.events.filter((event) => event.event === 'CAPTURE')).toHaveLength(1);
    expect(dintero.getOrder(order.providerOrderId!)?.captures).toHaveLength(1);
  });

  it('a refund answered with a 500 has an unknown outcome: PROVIDER_UNAVAILABLE, the key is kept, a retry does not refund again', async () => {
    const order = await paidOrder();
    expect((await apply(order.id, [{ type: 'CAPTURE' }])).data?.applyOrderEvents[0]?.status).toBe('CAPTURED');
    dintero.failNextRequests(1, moneyCall(order, 'refund'));
    const failed = await apply(order.id, [{ type: 'REFUND', amount: '10.00', idempotencyKey: 'refund-after-fault' }]);
    expect(failed.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    const shown = await read(order.id);
    expect(shown.creation.infos).toEqual([{ code: 'dintero.outcome_unknown', message: expect.stringContaining('refund of 10.00 NOK') }]);
    const retried = await apply(order.id, [{ type: 'REFUND', amount: '10.00', idempotencyKey: 'refund-after-fault' }]);
    expect(retried.errors).toBeUndefined();
    expect(requestsTo(`/transactions/${transactionOf(order)}/refund`)).toHaveLength(1);
    expect(dintero.getTransaction(transactionOf(order))?.events.filter((event) => event.event === 'REFUND')).toEqual([]);
  });

  it('a capture still processing when its answer is lost: PROVIDER_UNAVAILABLE, a retry does not capture again, reconciliation counts it once Dintero shows it', async () => {
    const order = await paidOrder();
    const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, backOffice, WATCH_ORDER, { orderId: order.id });
    await watch.next();
    dintero.delayNextOperations(1);
    const lost = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'slow-capture' }]);
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect((await read(order.id)).creation.infos).toEqual([{ code: 'dintero.outcome_unknown', message: expect.stringContaining('capture of 100.00 NOK') }]);

    const again = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00', idempotencyKey: 'slow-capture' }]);
    expect(again.errors).toBeUndefined();
    expect(again.data?.applyOrderEvents[0]?.status).toBe('AUTHORIZED');
    expect(requestsTo(`/transactions/${transactionOf(order)}/capture`)).toHaveLength(1);

    dintero.releaseDelayedOperations(); // Dintero finishes it
    const counted = (await watch.waitFor((message) => message.orderStatusChanged.status === 'PARTIALLY_CAPTURED')).orderStatusChanged;
    expect(counted).toMatchObject({ source: 'RECONCILIATION', order: { payments: [{ capturedAmount: { amount: '100.00' } }] } });
    const settled = await eventually(async () => {
      const current = await read(order.id);
      return current.creation.infos.length === 0 && current;
    });
    expect(settled.payments[0]?.capturedAmount.amount).toBe('100.00');
    expect(requestsTo(`/transactions/${transactionOf(order)}/capture`)).toHaveLength(1);
    expect(dintero.getTransaction(transactionOf(order))?.events.filter((event) => event.event === 'CAPTURE')).toHaveLength(1);
    expect(dintero.getOrder(order.providerOrderId!)?.captures.map((capture) => capture.items)).toEqual([[{ line_id: 1, amount: 10000 }]]);
    await watch.dispose();
  });

  it('a void whose answer is lost is found by the transaction status (AUTHORIZATION_VOIDED): CANCELLED, voided once', async () => {
    const order = await paidOrder();
    dintero.loseNextAnswers(1, moneyCall(order, 'void'));
    const cancelled = await apply(order.id, [{ type: 'CANCEL', idempotencyKey: 'lost-void' }]);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED', providerStatus: 'AUTHORIZATION_VOIDED' });
    expect(requestsTo(`/transactions/${transactionOf(order)}/void`)).toHaveLength(1);
    expect(dintero.getOrder(order.providerOrderId!)?.cancellations).toHaveLength(1);
  });

  it('two elements for one order in one call (by lines, then by amount) run one after another: the second sees the first\'s lines', async () => {
    const order = await paidOrder();
    const result = await gql<{ applyOrderEvents: (OrderView | null)[] }>(
      gateway.url,
      APPLY_EVENTS,
      {
        input: [
          { orderId: order.id, events: [{ type: 'CAPTURE', items: [{ lineId: 'chair', amount: '300.00' }] }] },
          { orderId: order.id, events: [{ type: 'CAPTURE', amount: '198.00' }] },
        ],
      },
      backOffice,
    );
    expect(result.errors).toBeUndefined();
    const captured = await eventually(async () => {
      const current = await read(order.id);
      return current.status === 'CAPTURED' && current;
    });
    expect(captured.creation.infos).toEqual([]);
    // The chair had 98.00 left after the first: the second takes that and the shipping line.
    expect(dintero.getOrder(order.providerOrderId!)?.captures.map((capture) => capture.items)).toEqual([
      [{ line_id: 1, amount: 30000 }],
      [
        { line_id: 1, amount: 9800 },
        { line_id: 2, amount: 10000 },
      ],
    ]);
  });

  it('a recording Dintero refuses (400) is final: the order shows dintero.recording_failed and it is not retried', async () => {
    const order = await paidOrder();
    dintero.refuseNextRecordings(1);
    const captured = await apply(order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
    const shown = captured.data?.applyOrderEvents[0];
    expect(shown).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: { amount: '100.00' } }] });
    expect(shown?.creation.infos).toEqual([{ code: 'dintero.recording_failed', message: expect.stringContaining('capture of 100.00 NOK') }]);
    expect(shown?.creation.infos[0]?.message).not.toMatch(/Bearer|secret|token/i);
    // Nothing left for reconciliation: the order is off the schedule.
    const store = env.newStore();
    expect(await store.schedule.due(Number.MAX_SAFE_INTEGER, 10_000)).not.toContain(order.id);
    // A later capture is recorded; the refused one is not sent again.
    await apply(order.id, [{ type: 'CAPTURE', amount: '50.00' }]);
    expect(requestsTo(`/orders/${order.providerOrderId}/captures`)).toHaveLength(2);
    expect(dintero.getOrder(order.providerOrderId!)?.captures).toHaveLength(1);
    expect((await read(order.id)).creation.infos.map((info) => info.code)).toEqual(['dintero.recording_failed']);
  });

  it('a partial capture whose amount is refunded in full stays open (PARTIALLY_CAPTURED_REFUNDED): the rest can still be captured', async () => {
    const order = await paidOrder();
    await apply(order.id, [{ type: 'CAPTURE', amount: '100.00' }]);
    const refunded = await apply(order.id, [{ type: 'REFUND', amount: '100.00' }]);
    expect(dintero.getTransaction(transactionOf(order))?.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    expect(refunded.data?.applyOrderEvents[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', providerStatus: 'PARTIALLY_CAPTURED_REFUNDED' });
    const rest = await apply(order.id, [{ type: 'CAPTURE', amount: '398.00' }]);
    expect(rest.errors).toBeUndefined();
    expect(rest.data?.applyOrderEvents[0]?.payments[0]).toMatchObject({ capturedAmount: { amount: '498.00' }, refundedAmount: { amount: '100.00' } });
  });

  it('a refund recording that fails when the refund makes the order REFUNDED (final) still heals', async () => {
    const order = await paidOrder();
    await apply(order.id, [{ type: 'CAPTURE' }]);
    dintero.failNextRecordings(2);
    const refunded = await apply(order.id, [{ type: 'REFUND' }]);
    expect(refunded.data?.applyOrderEvents[0]).toMatchObject({ status: 'REFUNDED', creation: { infos: [{ code: 'dintero.recording_pending' }] } });
    await eventually(async () => (await read(order.id)).creation.infos.length === 0);
    expect(dintero.getOrder(order.providerOrderId!)?.refunds).toHaveLength(1);
    expect(requestsTo(`/transactions/${transactionOf(order)}/refund`)).toHaveLength(1);
  });

  it('a back office cancel voids the transaction and records the cancellation on the order', async () => {
    const order = await paidOrder();
    const cancelled = await apply(order.id, [{ type: 'CANCEL', reason: 'out of stock' }]);
    expect(cancelled.data?.applyOrderEvents[0]).toMatchObject({ status: 'CANCELLED', providerStatus: 'AUTHORIZATION_VOIDED', payments: [{ status: 'VOIDED' }] });
    expect(dintero.getTransaction(transactionOf(order))?.status).toBe('AUTHORIZATION_VOIDED');
    expect(dintero.getOrder(order.providerOrderId!)?.cancellations).toHaveLength(1);
  });

  it('the buyer declines: FAILED with the declined transaction; the buyer cancels: CANCELLED from the session', async () => {
    const declined = await create();
    await buyerOnCheckout(pageOf(declined), 'decline', { callback: 'before' });
    expect(await read(declined.id)).toMatchObject({ status: 'FAILED', providerStatus: 'DECLINED', creation: { status: 'FAILED' } });
    expect(dintero.getOrder(declined.providerOrderId!)?.authorizations).toEqual([]);

    const cancelled = await create();
    const answer = await buyerOnCheckout(pageOf(cancelled), 'cancel');
    expect(new URL(answer.location ?? '').searchParams.get('error')).toBe('cancelled');
    const final = await eventually(async () => {
      const current = await read(cancelled.id);
      return current.status === 'CANCELLED' && current;
    });
    expect(final).toMatchObject({ providerStatus: 'SESSION_CANCELLED', payments: [] });
  });

  const TABLE: [string, string][] = [
    ['initiated', 'PENDING'],
    ['On_Hold', 'PENDING'],
    ['unknown', 'PENDING'],
    ['authorized', 'AUTHORIZED'],
    ['partially_captured', 'PARTIALLY_CAPTURED'],
    ['Captured', 'CAPTURED'],
    ['partially_captured_refunded', 'PARTIALLY_REFUNDED'],
    ['partially_refunded', 'PARTIALLY_REFUNDED'],
    ['refunded', 'REFUNDED'],
    ['authorization_voided', 'CANCELLED'],
    ['declined', 'FAILED'],
    ['Failed', 'FAILED'],
  ];
  it('every transaction status of CONTRACT §8 maps as §7 says, in any letter case', async () => {
    // No poller, so only the callback below tells this gateway about each transaction.
    const quiet = await env.startGateway({}, { pollerDisabled: true });
    const seen: [string, string][] = [];
    for (const [word] of TABLE) {
      const order = await create(dinteroOrderInput(), quiet);
      await buyerOnCheckout(pageOf(order), 'pay', { callback: 'never' });
      dintero.setTransactionStatus(transactionOf(order), word);
      // As Dintero calls back: with the order's merchant_reference, so each order has its own re-read lease.
      expect(await dinteroCallback(quiet.url, { transaction_id: transactionOf(order), merchant_reference: order.providerOrderId! })).toBe(200);
      const current = (await gqlOk(quiet.url, GET_ORDER, { id: order.id }, backOffice)).order as OrderView;
      seen.push([word, current.status]);
    }
    expect(seen).toEqual(TABLE);
  });

  it('a transaction status the gateway does not know: the callback is taken, the order keeps its status and shows the word', async () => {
    const quiet = await env.startGateway({}, { pollerDisabled: true });
    const order = await create(dinteroOrderInput(), quiet);
    await buyerOnCheckout(pageOf(order), 'pay', { callback: 'never' });
    dintero.setTransactionStatus(transactionOf(order), 'AUTHORIZED');
    // Each callback re-reads the transaction, so the second waits for the first one's re-read lease, as Dintero's retry would.
    const callback = { transaction_id: transactionOf(order), merchant_reference: order.providerOrderId! };
    expect(await untilAdmitted(() => dinteroCallback(quiet.url, callback))).toBe(200);
    dintero.setTransactionStatus(transactionOf(order), 'Pending_Review');
    expect(await untilAdmitted(() => dinteroCallback(quiet.url, callback))).toBe(200);
    const current = (await gqlOk(quiet.url, GET_ORDER, { id: order.id }, backOffice)).order as OrderView;
    expect(current).toMatchObject({ status: 'AUTHORIZED', providerStatus: 'Pending_Review' });
    expect(current.creation.infos).toContainEqual(expect.objectContaining({ code: 'provider.unknown_status' }));
  });
});

/**
 * The adapter on its own against the sandbox, where the gateway's wiring cannot reach: injected
 * clocks (adapter and sandbox share one), and a store that fails at a chosen moment. Orders are
 * built and moved with the domain's own pure functions (newOrder, applyObservation).
 */
describe('Dintero adapter with injected clocks and a failing store', () => {
  let sandbox: DinteroSandbox;
  let clock = Date.parse('2030-03-01T10:00:00.000Z');
  const now = (): number => clock;
  const iso = (): string => new Date(clock).toISOString();
  const NOK = (minor: number) => ({ currency: 'NOK', minor });

  beforeAll(async () => {
    sandbox = await startDinteroSandbox({ now: () => new Date(clock) });
  });
  afterAll(() => sandbox.close());

  /** A kv that throws on keys matching `failing` while `armed`. */
  function flakyKv(kv: KeyValueStore, failing: RegExp): { kv: KeyValueStore; arm(on: boolean): void } {
    let armed = false;
    const guard = (key: string): void => {
      if (armed && failing.test(key)) throw new Error('store unavailable');
    };
    return {
      arm: (on) => void (armed = on),
      kv: {
        get: async (key) => (guard(key), kv.get(key)),
        set: async (key, value, ttl) => (guard(key), kv.set(key, value, ttl)),
        setIfAbsent: async (key, value, ttl) => (guard(key), kv.setIfAbsent(key, value, ttl)),
        delete: async (key) => (guard(key), kv.delete(key)),
        deleteIfEquals: async (key, expected) => (guard(key), kv.deleteIfEquals(key, expected)),
        append: async (key, value, ttl) => (guard(key), kv.append(key, value, ttl)),
        takeAll: async (key) => (guard(key), kv.takeAll(key)),
        increment: async (key, ttl) => (guard(key), kv.increment(key, ttl)),
      },
    };
  }

  const adapterWith = (kv: KeyValueStore = createMemoryStore().kv): ProviderAdapter =>
    createDinteroAdapter(sandbox.config, { publicUrl: 'http://127.0.0.1:9', timeoutMs: 1000, kv }, { now });
  const learn = (order: Order, fact: ProviderObservation | null, source: 'CLIENT' | 'RECONCILIATION' = 'RECONCILIATION'): Order =>
    fact ? (applyObservation(order, fact, source, iso()) ?? order) : order;

  async function createdOrder(adapter: ProviderAdapter): Promise<Order> {
    const orderId = newOrderId();
    const items = [
      { lineId: 'chair', code: '175938', name: 'Stablestol', quantity: 2, amount: NOK(39800), taxRate: 25 },
      { lineId: 'shipping', name: 'Frakt', amount: NOK(10000) },
    ];
    const created = await adapter.createOrder({
      provider: 'DINTERO',
      currency: 'NOK',
      total: NOK(49800),
      items,
      returnUrls: { success: 'https://shop.example/return' },
      options: undefined,
      orderId,
    });
    return newOrder(
      {
        id: orderId,
        provider: 'DINTERO',
        owner: 'shop',
        ...(created.providerOrderId ? { providerOrderId: created.providerOrderId } : {}),
        total: created.total,
        items: created.items,
        creation: { status: 'STOPPED', infos: [] },
        createdAt: iso(),
      },
      created.observation,
      'CLIENT',
      iso(),
      'created',
    );
  }

  async function paidOrder(adapter: ProviderAdapter): Promise<Order> {
    const order = await createdOrder(adapter);
    await buyerOnCheckout(order.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'never' });
    const paid = learn(order, await adapter.fetchOrder!(order));
    expect(paid).toMatchObject({ status: 'AUTHORIZED', creation: { infos: [] } });
    return paid;
  }

  it('a session past expires_at is EXPIRED only after the grace period (a payment begun before may still authorize)', async () => {
    const adapter = adapterWith();
    const order = await createdOrder(adapter);
    const expiresAt = Date.parse(sandbox.getSession(sessionIdOf(order.creation.stopAction?.redirectUrl ?? ''))!.expires_at);
    clock = expiresAt + 1000;
    expect(await adapter.fetchOrder!(order)).toBeNull();
    expect(adapter.needsReconciliation(order)).toBe(true);
    clock = expiresAt + EXPIRY_GRACE_MS - 1000;
    expect(await adapter.fetchOrder!(order)).toBeNull();
    clock = expiresAt + EXPIRY_GRACE_MS + 1000;
    expect(await adapter.fetchOrder!(order)).toMatchObject({ status: 'EXPIRED', providerStatus: 'SESSION_EXPIRED' });
  });

  it('a keyed refund sent again after its first answer was never stored (the gateway died) moves the money once', async () => {
    const adapter = adapterWith();
    let order = await paidOrder(adapter);
    const [captured] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(49800), requestKey: 'request:capture-1' }] }]);
    expect(captured).toMatchObject({ ok: true });
    for (const fact of captured!.observations) order = learn(order, fact, 'CLIENT');
    const refund = { type: 'REFUND' as const, amount: NOK(5000), requestKey: 'request:refund-1' };
    // The first attempt reaches Dintero; its answer is lost with the instance: nothing is learnt.
    await adapter.applyOrderChanges!([{ order, changes: [refund] }]);
    const [retried] = await adapter.applyOrderChanges!([{ order, changes: [refund] }]);
    expect(retried, String((retried as { error?: Error }).error?.message)).toMatchObject({ ok: true });
    const transactionId = order.payments[0]!.id;
    const refunds = sandbox.getTransaction(transactionId)!.events.filter((event) => event.event.toUpperCase() === 'REFUND');
    expect(refunds).toHaveLength(1);
    for (const fact of retried!.observations) order = learn(order, fact, 'CLIENT');
    expect(order.payments[0]).toMatchObject({ refundedAmount: NOK(5000) });
  });

  describe('against a Dintero whose transactions are only {id, status} (seed-minimal: no money history to find a reference in)', () => {
    let minimal: DinteroSandbox;
    beforeAll(async () => {
      minimal = await startDinteroSandbox({ now: () => new Date(clock), seedMinimal: true });
    });
    afterAll(() => minimal.close());
    const minimalAdapter = (): ProviderAdapter => createDinteroAdapter(minimal.config, { publicUrl: 'http://127.0.0.1:9', timeoutMs: 1000, kv: createMemoryStore().kv }, { now });
    const calls = (order: Order, operation: string) => minimal.requests().filter((request) => request.path.endsWith(`/transactions/${order.payments[0]!.id}/${operation}`));
    /** A paid order with 100.00 NOK of its 498.00 captured: a later partial capture leaves the status as it was. */
    async function partlyCaptured(adapter: ProviderAdapter): Promise<Order> {
      let order = await createdOrder(adapter);
      await buyerOnCheckout(order.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'never' });
      order = learn(order, await adapter.fetchOrder!(order));
      expect(order.status).toBe('AUTHORIZED');
      const [first] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(10000), requestKey: `request:first-${order.id}` }] }]);
      expect(first).toMatchObject({ ok: true });
      for (const fact of first!.observations) order = learn(order, fact, 'CLIENT');
      expect(order).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: NOK(10000) }] });
      return order;
    }

    it('a later partial capture whose answer was lost, past the bound: a retry with its key is not sent again (the status cannot say whether it happened)', async () => {
      const adapter = minimalAdapter();
      let order = await partlyCaptured(adapter);
      const second = { type: 'CAPTURE' as const, amount: NOK(5000), requestKey: `request:second-${order.id}` };
      minimal.faults.inject({ kind: 'lost', only: /\/capture$/ });
      const [lost] = await adapter.applyOrderChanges!([{ order, changes: [second] }]);
      expect(lost).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } });
      for (const fact of lost!.observations) order = learn(order, fact, 'CLIENT');
      expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unknown']);
      clock += UNKNOWN_OUTCOME_BOUND_MS + 60_000;
      order = learn(order, await adapter.fetchOrder!(order));
      expect(calls(order, 'capture')).toHaveLength(2);
      // Not counted, and not forgotten: the order says the transaction cannot show it.
      expect(order).toMatchObject({ status: 'PARTIALLY_CAPTURED', payments: [{ capturedAmount: NOK(10000) }] });
      expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unshown']);
      expect(adapter.needsReconciliation(order)).toBe(false);

      const [retried] = await adapter.applyOrderChanges!([{ order, changes: [second] }]);
      expect(retried).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } });
      expect(calls(order, 'capture')).toHaveLength(2);
      // A new key is a new capture: the client decides, having been told.
      const [another] = await adapter.applyOrderChanges!([{ order, changes: [{ ...second, requestKey: `request:third-${order.id}` }] }]);
      expect(another).toMatchObject({ ok: true });
      expect(calls(order, 'capture')).toHaveLength(3);
    });

    it('a later partial refund sent again after its first answer was never stored (the gateway died) is not sent twice', async () => {
      const adapter = minimalAdapter();
      let order = await partlyCaptured(adapter);
      const [refunded] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'REFUND', amount: NOK(2000), requestKey: `request:refund-1-${order.id}` }] }]);
      expect(refunded).toMatchObject({ ok: true });
      for (const fact of refunded!.observations) order = learn(order, fact, 'CLIENT');
      const refund = { type: 'REFUND' as const, amount: NOK(3000), requestKey: `request:refund-2-${order.id}` };
      // The first attempt reaches Dintero; its answer is lost with the instance: nothing is learnt.
      await adapter.applyOrderChanges!([{ order, changes: [refund] }]);
      expect(calls(order, 'refund')).toHaveLength(2);
      const [retried] = await adapter.applyOrderChanges!([{ order, changes: [refund] }]);
      expect(retried).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAVAILABLE' } });
      expect(calls(order, 'refund')).toHaveLength(2);
    });
  });

  it('a store that fails while the capture is recorded does not undo the capture: applied, shown pending, healed later', async () => {
    const flaky = flakyKv(createMemoryStore().kv, /^dintero:recording:/);
    const adapter = adapterWith(flaky.kv);
    let order = await paidOrder(adapter);
    flaky.arm(true);
    const [result] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(10000) }] }]);
    expect(result).toMatchObject({ ok: true });
    for (const fact of result!.observations) order = learn(order, fact, 'CLIENT');
    expect(order).toMatchObject({ status: 'PARTIALLY_CAPTURED', creation: { infos: [{ code: 'dintero.recording_pending' }] } });
    expect(adapter.needsReconciliation(order)).toBe(true);

    flaky.arm(false);
    order = learn(order, await adapter.fetchOrder!(order));
    expect(order.creation.infos).toEqual([]);
    expect(sandbox.getOrder(order.providerOrderId!)?.captures).toHaveLength(1);
    expect(sandbox.requests().filter((request) => request.path.endsWith(`/transactions/${order.payments[0]?.id}/capture`))).toHaveLength(1);
  });

  it('a capture whose outcome stays unknown is kept (applied, key kept) and dropped as not done after the bound', async () => {
    const adapter = adapterWith();
    let order = await paidOrder(adapter);
    sandbox.delayNextOperations(1); // Dintero never finishes it (never released)
    const [result] = await adapter.applyOrderChanges!([{ order, changes: [{ type: 'CAPTURE', amount: NOK(10000) }] }]);
    expect(result).toMatchObject({ ok: false, applied: [true], error: { code: 'PROVIDER_UNAVAILABLE' } });
    for (const fact of result!.observations) order = learn(order, fact, 'CLIENT');
    expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unknown']);
    expect(adapter.needsReconciliation(order)).toBe(true);

    clock += UNKNOWN_OUTCOME_BOUND_MS - 60_000;
    order = learn(order, await adapter.fetchOrder!(order));
    expect(order.creation.infos.map((info) => info.code)).toEqual(['dintero.outcome_unknown']);
    clock += 120_000;
    order = learn(order, await adapter.fetchOrder!(order));
    expect(order).toMatchObject({ status: 'AUTHORIZED', creation: { infos: [] } });
    expect(adapter.needsReconciliation(order)).toBe(false);
    expect(sandbox.getOrder(order.providerOrderId!)?.captures).toEqual([]);
    sandbox.releaseDelayedOperations();
  });

  it('a callback names the gateway order (merchant_reference_2, any format) and maps the lines by line_id', async () => {
    const kv = createMemoryStore().kv;
    const adapter = adapterWith(kv);
    const order = await createdOrder(adapter);
    await buyerOnCheckout(order.creation.stopAction?.redirectUrl ?? '', 'pay', { callback: 'never' });
    const transactionId = sandbox.getSession(sessionIdOf(order.creation.stopAction?.redirectUrl ?? ''))!.transaction_id!;
    const [fact] = await adapter.readWebhook!({ headers: {}, body: Buffer.alloc(0), query: new URLSearchParams({ transaction_id: transactionId }) });
    expect(fact).toMatchObject({ providerOrderId: order.providerOrderId, orderId: order.id });
    expect(sandbox.getOrder(order.providerOrderId!)?.authorizations.map((entry) => entry.items)).toEqual([
      [
        { amount: 39800, line_id: 1 },
        { amount: 10000, line_id: 2 },
      ],
    ]);
  });
});
