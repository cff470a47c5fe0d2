/**
 * The Dintero sandbox on its own, over HTTP, as any Dintero client would use it: the seed's
 * requests verbatim, the error shapes, the checkout page with its race knobs, and the faults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDinteroSandbox, type DinteroSandbox } from '../../src/sandboxes/dintero/index.js';
import { buyerOnCheckout, dinteroRest, dinteroToken, sessionIdOf } from '../support/dintero.js';

/** The seed's "Create order" body, verbatim. */
const SEED_ORDER = {
  options: { generate_order_id: 'ALPHANUMERIC_9' },
  order: {
    currency: 'NOK',
    items: [
      {
        id: '175938',
        line_id: 1,
        quantity: 2,
        gross_amount: 39800,
        tax_lines: [{ amount: 7960, percentage: 25 }],
        description: 'Stablestol for utendørsbruk',
        description_alias: 'Stablestol',
      },
    ],
  },
};

describe('Dintero sandbox', () => {
  let sandbox: DinteroSandbox;
  let shop: Server;
  let shopUrl: string;
  const callbacks: { query: URLSearchParams; at: number }[] = [];

  beforeAll(async () => {
    sandbox = await startDinteroSandbox({ callbackDelayMs: 20, callbackRetryDelaysMs: [20, 50] });
    // The merchant's callback endpoint: records every callback and answers 200.
    shop = createServer((req, res) => {
      callbacks.push({ query: new URL(req.url ?? '/', 'http://shop').searchParams, at: Date.now() });
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => shop.close(resolve));
  });

  /** The seed's "Create session" body for a completed order. */
  const seedSession = (orderId: string) => ({
    url: { return_url: 'https://example.com/accept', callback_url: `${shopUrl}/callback` },
    order: {
      amount: 39800,
      currency: 'NOK',
      merchant_reference: orderId,
      items: [{ id: '175938', line_id: '1', description: 'Stablestol for utendørsbruk', quantity: 2, amount: 39800, vat_amount: 7960, vat: 25 }],
    },
    profile_id: 'default_profile',
  });

  async function completedOrder(): Promise<string> {
    const draft = await dinteroRest(sandbox, 'api', 'POST', '/v1/accounts/T12345678/shopping/draft_orders', SEED_ORDER);
    expect(draft.status).toBe(201);
    const completed = await dinteroRest(sandbox, 'api', 'PUT', `/v1/accounts/T12345678/shopping/draft_orders/${draft.body.id}/complete`);
    expect(completed.status).toBe(200);
    return completed.body.order_id;
  }

  async function paidTransaction(): Promise<{ orderId: string; transactionId: string }> {
    const orderId = await completedOrder();
    const session = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', seedSession(orderId));
    const answer = await buyerOnCheckout(session.body.url, 'pay', { callback: 'never' });
    return { orderId, transactionId: new URL(answer.location ?? '').searchParams.get('transaction_id') ?? '' };
  }

  describe('token', () => {
    const tokenRequest = (user: string, body: Record<string, unknown>) =>
      fetch(`${sandbox.url}/v1/accounts/T12345678/auth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(user).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('client credentials with the account audience give a bearer token that both hosts accept', async () => {
      const { clientId, clientSecret } = sandbox.config;
      const response = await tokenRequest(`${clientId}:${clientSecret}`, { grant_type: 'client_credentials', audience: 'https://api.dintero.com/v1/accounts/T12345678' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      const token = body.access_token as string;
      expect((await dinteroRest(sandbox, 'checkout', 'GET', '/v1/sessions/none', undefined, token)).status).toBe(404);
      expect((await dinteroRest(sandbox, 'api', 'GET', '/v1/accounts/T12345678/shopping/orders/none', undefined, token)).status).toBe(404);
    });

    it('wrong credentials are 401, a wrong audience or grant 400, each with Dintero\'s error body', async () => {
      const wrong = await tokenRequest(`${sandbox.config.clientId}:nope`, { grant_type: 'client_credentials', audience: `${sandbox.url}/v1/accounts/T12345678` });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      const good = `${sandbox.config.clientId}:${sandbox.config.clientSecret}`;
      const audience = await tokenRequest(good, { grant_type: 'client_credentials', audience: `${sandbox.url}/v1/accounts/P99999999` });
      expect(audience.status).toBe(400);
      expect(((await audience.json()) as any).error.errors[0].path).toBe('audience');
      const grant = await tokenRequest(good, { grant_type: 'password', audience: `${sandbox.url}/v1/accounts/T12345678` });
      expect(grant.status).toBe(400);
    });

    it('no token, a revoked token, or another account: 401 / 403', async () => {
      const token = await dinteroToken(sandbox);
      expect((await fetch(`${sandbox.checkoutUrl}/v1/sessions/x`)).status).toBe(401);
      expect((await dinteroRest(sandbox, 'api', 'GET', '/v1/accounts/P87654321/shopping/orders/x', undefined, token)).status).toBe(403);
      sandbox.revokeTokens();
      const revoked = await dinteroRest(sandbox, 'checkout', 'GET', '/v1/sessions/x', undefined, token);
      expect(revoked).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: expect.any(String) } } });
    });
  });

  describe('Orders API', () => {
    it('the seed\'s order: draft -> complete assigns a 9-character order_id; the seed\'s authorization is recorded once per id', async () => {
      const orderId = await completedOrder();
      expect(orderId).toMatch(/^[0-9A-Z]{9}$/);
      const path = `/v1/accounts/T12345678/shopping/orders/${orderId}`;
      const authorization = { items: [{ amount: 39800, line_id: 1 }], payment_details: { payment_id: 'transaction_id' }, success: true };
      const first = await dinteroRest(sandbox, 'api', 'POST', `${path}/authorizations`, { id: 'auth-1', ...authorization });
      expect(first.status).toBe(201);
      const replay = await dinteroRest(sandbox, 'api', 'POST', `${path}/authorizations`, { id: 'auth-1', ...authorization });
      expect(replay).toEqual({ status: 200, body: first.body });
      const other = await dinteroRest(sandbox, 'api', 'POST', `${path}/authorizations`, { id: 'auth-2', ...authorization });
      expect(other.status).toBe(409);
      expect(other.body.error.code).toBe('DUPLICATE_AUTHORIZATION');
      const order = await dinteroRest(sandbox, 'api', 'GET', path);
      expect(order.body).toMatchObject({ order_id: orderId, status: 'COMPLETED', gross_amount: 39800, authorizations: [{ id: 'auth-1', success: true }] });
    });

    it('recordings keep per-line bounds: no capture beyond the line, no refund beyond what is captured', async () => {
      const path = `/v1/accounts/T12345678/shopping/orders/${await completedOrder()}`;
      const body = (amount: number) => ({ items: [{ amount, line_id: 1 }], payment_details: { payment_id: 'tx' }, success: true });
      expect((await dinteroRest(sandbox, 'api', 'POST', `${path}/captures`, body(30000))).status).toBe(201);
      const over = await dinteroRest(sandbox, 'api', 'POST', `${path}/captures`, body(9801));
      expect(over.status).toBe(400);
      expect(over.body.error.errors[0].path).toBe('items.0.amount');
      expect((await dinteroRest(sandbox, 'api', 'POST', `${path}/refunds`, body(30001))).status).toBe(400);
      expect((await dinteroRest(sandbox, 'api', 'POST', `${path}/refunds`, body(30000))).status).toBe(201);
      const unknownLine = await dinteroRest(sandbox, 'api', 'POST', `${path}/captures`, { ...body(1), items: [{ amount: 1, line_id: 7 }] });
      expect(unknownLine.body.error.errors[0].path).toBe('items.0.line_id');
    });

    it('a bad generate_order_id is 400 naming the field; failNextRecordings answers 500 and stores nothing', async () => {
      const bad = await dinteroRest(sandbox, 'api', 'POST', '/v1/accounts/T12345678/shopping/draft_orders', { ...SEED_ORDER, options: { generate_order_id: 'UUID' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.errors[0].path).toBe('options.generate_order_id');
      const orderId = await completedOrder();
      const path = `/v1/accounts/T12345678/shopping/orders/${orderId}/captures`;
      const body = { id: 'cap-1', items: [{ amount: 100, line_id: 1 }], payment_details: { payment_id: 'tx' }, success: true };
      sandbox.failNextRecordings(1);
      expect((await dinteroRest(sandbox, 'api', 'POST', path, body)).status).toBe(500);
      expect(sandbox.getOrder(orderId)?.captures).toEqual([]);
      expect((await dinteroRest(sandbox, 'api', 'POST', path, body)).status).toBe(201);
      expect(sandbox.getOrder(orderId)?.captures).toHaveLength(1);
    });
  });

  describe('Checkout API and page', () => {
    it('the seed\'s session; the buyer pays with the callback before the redirect; the session then names the transaction', async () => {
      const orderId = await completedOrder();
      const created = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', seedSession(orderId));
      expect(created.status).toBe(200);
      expect(created.body).toEqual({ id: expect.stringMatching(/^T12345678\./), url: `${sandbox.checkoutUrl}/v1/view/${created.body.id}` });
      const page = await (await fetch(created.body.url)).text();
      expect(page).toContain('398.00 NOK');

      const answer = await buyerOnCheckout(created.body.url, 'pay', { callback: 'before' });
      expect(answer.status).toBe(303);
      const back = new URL(answer.location ?? '');
      const transactionId = back.searchParams.get('transaction_id');
      expect(back.searchParams.get('session_id')).toBe(created.body.id);
      expect(back.searchParams.get('merchant_reference')).toBe(orderId);
      // 'before': the callback had been delivered when the redirect was answered.
      const callback = callbacks.find((entry) => entry.query.get('session_id') === created.body.id);
      expect(callback?.query.get('transaction_id')).toBe(transactionId);
      expect(callback?.query.get('merchant_reference')).toBe(orderId);

      const session = await dinteroRest(sandbox, 'checkout', 'GET', `/v1/sessions/${created.body.id}`);
      expect(session.body).toMatchObject({ id: created.body.id, transaction_id: transactionId, profile_id: 'default_profile' });
      const transaction = await dinteroRest(sandbox, 'checkout', 'GET', `/v1/transactions/${transactionId}`);
      expect(transaction.body).toMatchObject({ id: transactionId, status: 'AUTHORIZED', amount: 39800, currency: 'NOK', merchant_reference: orderId, session_id: created.body.id });
      // A session leads to one transaction: the page is closed now.
      expect((await fetch(created.body.url, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) })).status).toBe(409);
    });

    it('callback never / duplicate copies; cancel leaves no transaction and sends no callback', async () => {
      const orderId = await completedOrder();
      const never = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', seedSession(orderId));
      await buyerOnCheckout(never.body.url, 'pay', { callback: 'never' });
      const copies = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', seedSession(orderId));
      await buyerOnCheckout(copies.body.url, 'decline', { callback: 'after', copies: 3 });
      const cancelled = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', seedSession(orderId));
      const answer = await buyerOnCheckout(cancelled.body.url, 'cancel');
      await sandbox.callbacksIdle();
      const countFor = (id: string) => callbacks.filter((entry) => entry.query.get('session_id') === id).length;
      expect([countFor(never.body.id), countFor(copies.body.id), countFor(cancelled.body.id)]).toEqual([0, 3, 0]);
      expect(sandbox.getTransaction(sandbox.getSession(copies.body.id)?.transaction_id ?? '')?.status).toBe('DECLINED');
      expect(new URL(answer.location ?? '').searchParams.get('error')).toBe('cancelled');
      expect(sandbox.getSession(cancelled.body.id)).toMatchObject({ cancelled_at: expect.any(String) });
      expect(sandbox.getSession(cancelled.body.id)?.transaction_id).toBeUndefined();
    });

    it('a session needs return_url, a known profile and items that sum to the amount', async () => {
      const orderId = await completedOrder();
      const body = seedSession(orderId);
      const cases: [unknown, string][] = [
        [{ ...body, url: { callback_url: body.url.callback_url } }, 'url.return_url'],
        [{ ...body, profile_id: 'nope' }, 'profile_id'],
        [{ ...body, order: { ...body.order, amount: 39801 } }, 'order.items'],
      ];
      for (const [request, path] of cases) {
        const answer = await dinteroRest(sandbox, 'checkout', 'POST', '/v1/sessions-profile', request);
        expect([answer.status, answer.body.error.errors[0].path]).toEqual([400, path]);
      }
    });

    it('partial captures repeat while authorized amount remains; refunds up to what is captured; void only before capture', async () => {
      const { transactionId } = await paidTransaction();
      const op = (operation: string, body?: unknown) => dinteroRest(sandbox, 'checkout', 'POST', `/v1/transactions/${transactionId}/${operation}`, body);
      expect((await op('capture', { amount: 10000, capture_reference: 'c1', items: [{ line_id: '1', amount: 10000 }] })).body.status).toBe('PARTIALLY_CAPTURED');
      expect((await op('capture', { amount: 9000, items: [{ line_id: '1', amount: 8000 }] })).body.error.errors[0].path).toBe('items');
      const over = await op('capture', { amount: 29801 });
      expect([over.status, over.body.error.errors[0].path]).toEqual([400, 'amount']);
      const voided = await op('void');
      expect([voided.status, voided.body.error.code]).toEqual([400, 'TRANSACTION_STATUS_NOT_ALLOWED']);
      expect((await op('refund', { amount: 4000, reason: 'damaged' })).body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
      expect((await op('refund', { amount: 6001 })).status).toBe(400);
      // Everything captured so far is refunded, but 298.00 is still reserved: not REFUNDED.
      const refunded = await op('refund', { amount: 6000 });
      expect(refunded.body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
      expect(refunded.body.events.map((event: any) => [event.event, event.amount, event.success])).toEqual([
        ['INITIALIZE', 39800, true],
        ['AUTHORIZE', 39800, true],
        ['CAPTURE', 10000, true],
        ['REFUND', 4000, true],
        ['REFUND', 6000, true],
      ]);
      // "Capture remaining" after a refund; once all is captured it is PARTIALLY_REFUNDED, then REFUNDED.
      expect((await op('capture', { amount: 10000 })).body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
      expect((await op('capture', { amount: 19800 })).body.status).toBe('PARTIALLY_REFUNDED');
      expect((await op('refund', { amount: 29800 })).body.status).toBe('REFUNDED');
    });

    it('delayNextOperations: the capture answers 504 and a re-read does not show it until it is released', async () => {
      const { transactionId } = await paidTransaction();
      const path = `/v1/transactions/${transactionId}`;
      sandbox.delayNextOperations(1);
      const lost = await dinteroRest(sandbox, 'checkout', 'POST', `${path}/capture`, { amount: 10000, capture_reference: 'late' });
      expect([lost.status, lost.body.error.code]).toEqual([504, 'GATEWAY_TIMEOUT']);
      expect((await dinteroRest(sandbox, 'checkout', 'GET', path)).body.status).toBe('AUTHORIZED');
      sandbox.releaseDelayedOperations();
      const after = (await dinteroRest(sandbox, 'checkout', 'GET', path)).body;
      expect(after.status).toBe('PARTIALLY_CAPTURED');
      expect(after.events.filter((event: any) => event.capture_reference === 'late')).toHaveLength(1);
    });

    it('refuseNextRecordings: the recording is a 400 with Dintero\'s error body and nothing is stored', async () => {
      const { orderId, transactionId } = await paidTransaction();
      sandbox.refuseNextRecordings(1);
      const body = { id: 'auth-1', items: [{ amount: 39800, line_id: 1 }], payment_details: { payment_id: transactionId }, success: true };
      const refused = await dinteroRest(sandbox, 'api', 'POST', `/v1/accounts/T12345678/shopping/orders/${orderId}/authorizations`, body);
      expect([refused.status, refused.body.error.code]).toEqual([400, 'BAD_REQUEST']);
      expect(sandbox.getOrder(orderId)?.authorizations).toEqual([]);
    });

    it('a full capture is CAPTURED; a void of an authorized one is AUTHORIZATION_VOIDED', async () => {
      const first = await paidTransaction();
      const captured = await dinteroRest(sandbox, 'checkout', 'POST', `/v1/transactions/${first.transactionId}/capture`, { amount: 39800 });
      expect(captured.body.status).toBe('CAPTURED');
      const second = await paidTransaction();
      const voided = await dinteroRest(sandbox, 'checkout', 'POST', `/v1/transactions/${second.transactionId}/void`);
      expect(voided.body.status).toBe('AUTHORIZATION_VOIDED');
      expect(sessionIdOf(`${sandbox.checkoutUrl}/v1/view/T12345678.abc`)).toBe('T12345678.abc');
    });
  });
});
