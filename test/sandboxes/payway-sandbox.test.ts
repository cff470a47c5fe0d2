/**
 * The Payway sandbox on its own, over HTTP: paths, auth, the seed's answers and error shape, the
 * parameter table, the additional-action flow and the signed purchase events it posts.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYWAY_TEST_CARDS, startPaywaySandbox, type PaywaySandbox } from '../../src/sandboxes/payway/index.js';
import { eventually } from '../support/gateway.js';

const SECRET = 'payway-sandbox-test-secret';
const TOKEN = 'payway-sandbox-test-token';

/** The seed's curl example body. */
function seedBody(card: string = PAYWAY_TEST_CARDS.complete, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    payment_method: { type: 'scheme', encryptedCardNumber: `test_${card}` },
    product_code: 'package_code',
    period_id: '5e4beac909c04c404a46c730',
    return_url: 'https://returnurl.com',
    traffic_source: 'facebook',
    subscription_start_date: '2015-05-15',
    discount_code: 'WELCOME',
    merchant_reference: 'adeprimo-campaign-001',
    origin: 'https://example.purchase.org',
    browser_info: {
      browser_ip: '127.0.0.1',
      browser_language: 'sv-FI',
      browser_user_agent: 'Mozilla/5.0',
      referer: 'https://adeprimokuriren.se',
      accept_header: 'text/html',
      color_depth: 24,
      screen_height: 723,
      screen_width: 1536,
      time_zone_offset: 0,
      java_enabled: true,
    },
    delivery_address: {
      first_name: 'Donald',
      last_name: 'Duck',
      street: 'Webfoot Walk',
      street_number: '1313',
      zip_code: '83145',
      city: 'Ankeborg',
      country_code: 'SE',
    },
    ...change,
  };
}

describe('Payway sandbox over HTTP', () => {
  let sandbox: PaywaySandbox;
  let receiver: Server;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(req.url === '/webhooks/payway' ? 200 : 404).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const gatewayUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    sandbox = await startPaywaySandbox({ token: TOKEN, webhookSecret: SECRET, gatewayUrl, pendingSettleMs: 50, eventRetryDelaysMs: [] });
  });
  afterAll(async () => {
    await sandbox.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = TOKEN) => {
    const response = await fetch(`${sandbox.url}/external/api/v1/adyen${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };

  it('config carries the token it accepts and the secret it signs with', () => {
    expect(sandbox.config).toEqual({ url: sandbox.url, token: TOKEN, webhookSecret: SECRET });
  });

  it('without the bearer token: 401 in Payway\'s error shape, all four properties present', async () => {
    for (const token of [null, 'wrong']) {
      const answer = await call('POST', '/place_order', seedBody(), token);
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ code: 'unauthorized', field: null, message: expect.any(String), correlation_id: null });
    }
  });

  it('payment_methods answers the Adyen methods and the period\'s price', async () => {
    const answer = await call('GET', '/payment_methods?period_id=5e4beac909c04c404a46c730&product_code=package_code&origin=https://example.purchase.org');
    expect(answer.status).toBe(200);
    expect(answer.json.item.amount).toEqual({ currency: 'SEK', value: 19_900 });
    expect(answer.json.item.payment_methods.paymentMethods[0]).toMatchObject({ type: 'scheme' });
    const unknown = await call('GET', '/payment_methods?period_id=ffffffffffffffffffffffff&product_code=package_code&origin=https://example.purchase.org');
    expect(unknown).toMatchObject({ status: 404, json: { code: 'period_not_found', field: 'period_id' } });
  });

  it("payment_methods prices the period after a discount code (percent off); an unknown code is refused", async () => {
    const query = 'period_id=5e4beac909c04c404a46c730&product_code=package_code&origin=https://example.purchase.org';
    const discounted = await call('GET', `/payment_methods?${query}&discount_code=WELCOME`);
    expect(discounted.json.item.amount).toEqual({ currency: 'SEK', value: 15_920 });
    const unknown = await call('GET', `/payment_methods?${query}&discount_code=NOPE`);
    expect(unknown).toMatchObject({ status: 400, json: { code: 'invalid_discount_code', field: 'discount_code', correlation_id: null } });
  });

  it('the await test card asks for an await action without a token, continued with a payload', async () => {
    const first = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.awaitThenComplete));
    expect(first.json.item).toMatchObject({ status: 'action_required', action: { type: 'await', paymentMethodType: 'scheme' } });
    expect(first.json.item.action).not.toHaveProperty('token');
    const session: string = first.json.item.session_reference;
    const origin = 'https://example.purchase.org';
    expect(await call('POST', '/perform_additional_action', { details: { x: 1 }, session_reference: session, origin })).toMatchObject({ status: 400, json: { field: 'details' } });
    const done = await call('POST', '/perform_additional_action', { details: { payload: 'ok' }, session_reference: session, origin });
    expect(done.json.item).toMatchObject({ status: 'complete' });
  });

  it('a challenge result Adyen cannot read is a third-party error with a correlation id, and the session still waits', async () => {
    const first = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.challenge));
    const session: string = first.json.item.session_reference;
    const origin = 'https://example.purchase.org';
    const unreadable = await call('POST', '/perform_additional_action', { details: { 'threeds2.challengeResult': '%%%' }, session_reference: session, origin });
    expect(unreadable).toMatchObject({ status: 422, json: { code: 'third_party_error', field: 'details' } });
    expect(unreadable.json.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    const challengeResult = Buffer.from('{"transStatus":"Y"}').toString('base64');
    const done = await call('POST', '/perform_additional_action', { details: { 'threeds2.challengeResult': challengeResult }, session_reference: session, origin });
    expect(done.json.item).toMatchObject({ status: 'complete' });
  });

  it("the seed's example completes with a receipt id and an order id", async () => {
    const answer = await call('POST', '/place_order', seedBody());
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      item: { receipt_id: expect.stringMatching(/^[a-f\d]{24}$/), order_id: expect.any(String), message: 'The payment was successfully authorised.', status: 'complete' },
    });
  });

  it.each([
    ['product_code', { product_code: 'bad code' }],
    ['period_id', { period_id: '123' }],
    ['return_url', { return_url: '/relative' }],
    ['origin', { origin: 'x'.repeat(1025) }],
    ['traffic_source', { traffic_source: 'x'.repeat(101) }],
    ['discount_code', { discount_code: '' }],
    ['merchant_reference', { merchant_reference: 'x'.repeat(1025) }],
    ['subscription_start_date', { subscription_start_date: '15/05/2015' }],
    ['browser_info.color_depth', { browser_info: { ...(seedBody().browser_info as object), color_depth: '24' } }],
    ['browser_info.java_enabled', { browser_info: { ...(seedBody().browser_info as object), java_enabled: undefined } }],
    ['delivery_address.country_code', { delivery_address: { ...(seedBody().delivery_address as object), country_code: 'NO' } }],
    ['delivery_address.zip_code', { delivery_address: { ...(seedBody().delivery_address as object), zip_code: undefined } }],
  ])('a bad %s is 400 invalid_parameter naming it', async (field, change) => {
    const answer = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.complete, change));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_parameter', field, correlation_id: null });
  });

  it('an Adyen refusal carries a correlation id', async () => {
    const answer = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.refused));
    expect(answer).toMatchObject({ status: 400, json: { code: 'payment_refused', field: 'payment_method' } });
    expect(answer.json.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('action_required -> perform_additional_action with the fingerprint, then the challenge -> complete', async () => {
    const first = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.fingerprintThenChallenge));
    expect(first.json.item).toMatchObject({ status: 'action_required', action: { type: 'threeDS2Fingerprint', paymentMethodType: 'scheme' } });
    const session: string = first.json.item.session_reference;
    const origin = 'https://example.purchase.org';

    expect(await call('POST', '/perform_additional_action', { details: {}, session_reference: session, origin })).toMatchObject({ status: 400, json: { field: 'details' } });
    expect(await call('POST', '/perform_additional_action', { details: { x: 1 }, session_reference: 'nope', origin })).toMatchObject({ status: 400, json: { field: 'session_reference' } });
    expect(await call('POST', '/perform_additional_action', { details: { x: 1 }, session_reference: 'a'.repeat(24), origin })).toMatchObject({ status: 404, json: { code: 'session_not_found' } });

    const fingerprint = Buffer.from('{"threeDSCompInd":"Y"}').toString('base64');
    const second = await call('POST', '/perform_additional_action', { details: { 'threeds2.fingerprint': fingerprint }, session_reference: session, origin });
    expect(second.json.item).toMatchObject({ status: 'action_required', session_reference: session, action: { type: 'threeDS2Challenge' } });
    const acsURL = (JSON.parse(Buffer.from(second.json.item.action.token, 'base64').toString()) as { acsURL: string }).acsURL;
    expect(await (await fetch(acsURL)).text()).toContain('Authenticate');

    const challengeResult = Buffer.from('{"transStatus":"Y"}').toString('base64');
    const third = await call('POST', '/perform_additional_action', { details: { 'threeds2.challengeResult': challengeResult }, session_reference: session, origin });
    expect(third.json.item).toMatchObject({ status: 'complete', order_id: expect.any(String) });
    const after = await call('POST', '/perform_additional_action', { details: { 'threeds2.challengeResult': challengeResult }, session_reference: session, origin });
    expect(after).toMatchObject({ status: 400, json: { code: 'session_not_active' } });
  });

  it('a pending purchase settles into a signed order_closed event naming the order and its merchant reference', async () => {
    const reference = `pending-${Date.now()}`;
    const answer = await call('POST', '/place_order', seedBody(PAYWAY_TEST_CARDS.pendingThenClosed, { merchant_reference: reference }));
    expect(answer.json).toEqual({ item: { message: expect.any(String), status: 'pending' } });
    const delivery = await eventually(async () => received.find((entry) => entry.body.includes(reference)));
    const event = JSON.parse(delivery.body) as Record<string, any>;
    const [purchase] = sandbox.purchasesWithReference(reference);
    expect(event).toMatchObject({ event: 'order_closed', payload: { order: { id: purchase?.orderId, merchant_reference: reference }, receipt: { id: purchase?.receiptId } } });
    const timestamp = String(delivery.headers['x-payway-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${delivery.body}`).digest('hex');
    expect(delivery.headers['x-payway-signature']).toBe(`sha256=${expected}`);
  });
});
