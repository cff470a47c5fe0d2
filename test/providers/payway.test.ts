/**
 * The Payway (Adyen) provider end to end: GraphQL over real HTTP and graphql-ws in front, the
 * Payway sandbox on its own port behind, purchase events over real HTTP in between, on both
 * stores. The sandbox's test cards pick each outcome (src/sandboxes/payway/cards.ts).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { PaywaySandbox } from '../../src/sandboxes/payway/index.js';
import { CREATE_ORDER, ORDER_UPDATES, PLACE_ADYEN_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { STORE_KINDS, eventually, startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import { gql, subscribe } from '../support/graphql.js';
import { PAYWAY_PERIOD, PAYWAY_TEST_CARDS, placeInput, postPaywayEvent, shopperPerforms3DS, paywayCalls } from '../support/payway.js';

type Watch = ReturnType<typeof subscribe<{ orderStatusChanged: StatusChangeView }>>;

describe.each(STORE_KINDS)('Payway through the gateway (%s store)', (kind) => {
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: PaywaySandbox;
  let shop: string;
  let backOffice: string;

  beforeAll(async () => {
    env = await startTestEnvironment(kind);
    gateway = await env.startGateway();
    payway = env.sandboxes.payway;
    shop = await tokenFor('orders:create', `payway-shop-${kind}`);
    backOffice = await tokenFor('orders:read orders:manage', 'back-office');
  });
  afterAll(() => env.close());

  const { place, placeOk, continueWith, getOrder, purchaseOf } = paywayCalls(() => ({ gatewayUrl: gateway.url, shop, backOffice, payway }));

  async function watch(orderId: string): Promise<Watch> {
    const subscription: Watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId });
    await subscription.next(); // the snapshot
    return subscription;
  }



  /**
   * A back-office `orderUpdates(PAYWAY)` subscription, known to be live: warm-up purchases are
   * placed until one of them is seen, so every later change is seen too.
   */
  async function liveUpdates() {
    const updates = subscribe<{ orderUpdates: { status: string; order: { id: string } } }>(gateway.url, backOffice, ORDER_UPDATES, { provider: 'PAYWAY' });
    await eventually(async () => {
      const warmUp = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete));
      return updates.waitFor((message) => message.orderUpdates.order.id === warmUp.id, 300).then(
        () => true,
        () => false,
      );
    }, 5000, 0);
    return updates;
  }


  it('complete -> CAPTURED at once: Payway order id, receipt as the payment reference, the period price as total', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete));
    const purchase = purchaseOf(order);
    expect(order).toMatchObject({
      provider: 'PAYWAY',
      status: 'CAPTURED',
      providerStatus: 'complete',
      providerOrderId: purchase.orderId,
      reference: null,
      total: { amount: PAYWAY_PERIOD.price, currency: 'SEK', minorUnits: 19_900 },
      creation: { status: 'COMPLETED', stopAction: null },
    });
    expect(order.payments).toEqual([
      expect.objectContaining({
        status: 'CAPTURED',
        method: 'scheme',
        providerReference: purchase.receiptId,
        capturedAmount: { amount: PAYWAY_PERIOD.price },
      }),
    ]);
    // Payway also announces the completed purchase (order_closed): the same fact, so no new event.
    await payway.eventsIdle();
    const delivered = payway.sentEvents().filter((delivery) => delivery.event.payload.order.id === purchase.orderId);
    expect(delivered.map((delivery) => [delivery.event.event, delivery.status])).toEqual([['order_closed', 200]]);
    expect((await getOrder(order.id)).events).toHaveLength(1);
  });

  it('action_required -> the shopper passes the challenge -> perform_additional_action -> CAPTURED, pushed to the subscriber', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.challenge));
    expect(order).toMatchObject({ status: 'ACTION_REQUIRED', providerStatus: 'action_required', providerOrderId: null, creation: { status: 'STOPPED' } });
    const threeDS = order.creation.stopAction?.threeDS;
    expect(order.creation.stopAction?.type).toBe('THREE_DS');
    expect(threeDS).toMatchObject({ type: 'threeDS2Challenge', paymentMethodType: 'scheme', token: expect.any(String) });
    expect(threeDS?.sessionReference).toMatch(/^[a-f\d]{24}$/);

    const subscription = await watch(order.id);
    const details = await shopperPerforms3DS(order, 'Y');
    const continued = await continueWith(order.id, details);
    expect(continued.data?.continueOrderCreation).toMatchObject({
      status: 'CAPTURED',
      providerOrderId: purchaseOf(order).orderId,
      creation: { status: 'COMPLETED', stopAction: null },
    });
    const captured = (await subscription.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged;
    // Payway sends order_closed for every purchase that completes, as it answers `complete`: the
    // client's answer or that event is stored first (a CI run saw the event first), and the other
    // is the same fact, recorded once.
    expect(captured).toMatchObject({ previousStatus: 'ACTION_REQUIRED', source: expect.stringMatching(/^(CLIENT|WEBHOOK)$/) });
    await subscription.dispose();
    await payway.eventsIdle();
    expect((await getOrder(order.id)).events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);

    const again = await continueWith(order.id, details);
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
  });

  it('action_required twice: a fingerprint, then a challenge, each pushed as its own step, then CAPTURED', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.fingerprintThenChallenge));
    expect(order.creation.stopAction?.threeDS?.type).toBe('threeDS2Fingerprint');
    const subscription = await watch(order.id);

    const second = await continueWith(order.id, await shopperPerforms3DS(order));
    const challenged = second.data?.continueOrderCreation;
    expect(challenged).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'THREE_DS', threeDS: { type: 'threeDS2Challenge' } } } });
    expect(challenged?.creation.stopAction?.threeDS?.sessionReference).toBe(order.creation.stopAction?.threeDS?.sessionReference);
    const step = (await subscription.next()).orderStatusChanged;
    expect(step).toMatchObject({ previousStatus: 'ACTION_REQUIRED', status: 'ACTION_REQUIRED' });

    const done = await continueWith(order.id, await shopperPerforms3DS(challenged as OrderView));
    expect(done.data?.continueOrderCreation.status).toBe('CAPTURED');
    expect((await subscription.next()).orderStatusChanged.status).toBe('CAPTURED');
    await subscription.dispose();
  });

  it('a failed challenge is PROVIDER_REJECTED with Adyen\'s correlation id, and the purchase ends FAILED', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.challenge));
    const subscription = await watch(order.id);
    const result = await continueWith(order.id, await shopperPerforms3DS(order, 'N'));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused', providerField: 'payment_method' });
    expect(result.errors?.[0]?.extensions?.correlationId).toEqual(expect.any(String));
    const failed = (await subscription.next()).orderStatusChanged;
    expect(failed).toMatchObject({ previousStatus: 'ACTION_REQUIRED', status: 'FAILED', source: 'CLIENT', final: true });
    expect(await getOrder(order.id)).toMatchObject({ status: 'FAILED', creation: { status: 'FAILED', stopAction: null }, payments: [{ status: 'FAILED' }] });
    await subscription.done;
    const again = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ' });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
  });

  it('pending -> order_closed event -> CAPTURED, pushed to the subscriber from the webhook', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingThenClosed));
    expect(order).toMatchObject({ status: 'PENDING', providerStatus: 'pending', providerOrderId: null, creation: { status: 'COMPLETED' } });
    expect(order.payments[0]).toMatchObject({ status: 'PENDING', capturedAmount: { amount: '0.00' } });
    const subscription: Watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    const closed = (await subscription.waitFor((message) => message.orderStatusChanged.status === 'CAPTURED')).orderStatusChanged;
    expect(closed).toMatchObject({ source: 'WEBHOOK', order: { providerStatus: 'order_closed', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '199.00' } }] } });
    const stored = await getOrder(order.id);
    expect(stored.providerOrderId).toBe(purchaseOf(order).orderId);
    expect(stored.payments[0]?.providerReference).toBe(purchaseOf(order).receiptId);
    await subscription.dispose();
  });

  it('pending -> payment_failure event -> FAILED, final, and the subscription ends', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingThenFailed));
    const subscription: Watch = subscribe(gateway.url, shop, WATCH_ORDER, { orderId: order.id });
    const failed = (await subscription.waitFor((message) => message.orderStatusChanged.final)).orderStatusChanged;
    expect(failed).toMatchObject({ status: 'FAILED', source: 'WEBHOOK', order: { providerStatus: 'payment_failure', payments: [{ status: 'FAILED' }] } });
    await subscription.done;
    expect((await getOrder(order.id)).creation).toMatchObject({ status: 'FAILED', infos: [{ code: 'payment_failure' }] });
  });

  it('a challenge, then pending, settled by the event: the additional action\'s pending answer is matched too', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.challengeThenPending));
    const pending = await continueWith(order.id, await shopperPerforms3DS(order));
    expect(pending.data?.continueOrderCreation).toMatchObject({ status: 'PENDING', creation: { status: 'COMPLETED', stopAction: null } });
    payway.settle(purchaseOf(order).orderId, 'order_closed');
    await eventually(async () => (await getOrder(order.id)).status === 'CAPTURED');
  });

  it("the client's own merchant_reference is sent as given, and its pending purchase is still matched", async () => {
    const reference = `campaign-${randomUUID()}`;
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld, { merchantReference: reference }));
    expect(order.reference).toBe(reference);
    const [purchase] = payway.purchasesWithReference(reference);
    expect(purchase?.state).toBe('pending');
    payway.settle(purchase!.orderId, 'order_closed');
    await eventually(async () => (await getOrder(order.id)).status === 'CAPTURED');
  });

  it("an event that names no event but posts the purchase's result as place_order answers it ({item: {status, order_id}}) settles the pending purchase", async () => {
    const closed = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
    const result = (order: OrderView, status: string, extra: Record<string, string> = {}) =>
      JSON.stringify({ item: { status, order_id: purchaseOf(order).orderId, merchant_reference: order.id, ...extra } });
    // Still pending: acknowledged, nothing changes.
    const pending = result(closed, 'pending');
    expect(await postPaywayEvent(gateway.url, pending, payway.signEvent(pending))).toBe(200);
    expect((await getOrder(closed.id)).status).toBe('PENDING');
    const complete = result(closed, 'complete', { receipt_id: 'receipt-of-the-result' });
    expect(await postPaywayEvent(gateway.url, complete, payway.signEvent(complete))).toBe(200);
    expect(await getOrder(closed.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: purchaseOf(closed).orderId, payments: [{ providerReference: 'receipt-of-the-result' }] });

    const failed = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
    const refused = result(failed, 'Failed', { message: 'Refused by the issuer' });
    expect(await postPaywayEvent(gateway.url, refused, payway.signEvent(refused))).toBe(200);
    expect((await getOrder(failed.id)).creation.infos).toContainEqual(expect.objectContaining({ code: 'payment_failure', message: 'Refused by the issuer' }));
  });

  it('a duplicate event changes nothing; forged, unsigned and replayed events are 401 and change nothing', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
    const purchase = purchaseOf(order);
    const updates = await liveUpdates();
    const failure = JSON.stringify({
      event: 'payment_failure',
      timestamp: new Date().toISOString(),
      payload: { order: { id: purchase.orderId, merchant_reference: order.id }, payment: { result_code: 'Refused', message: 'forged' } },
    });
    expect(await postPaywayEvent(gateway.url, failure, { 'content-type': 'application/json' })).toBe(401);
    const forged = { ...payway.signEvent(failure), 'x-payway-signature': `sha256=${'0'.repeat(64)}` };
    expect(await postPaywayEvent(gateway.url, failure, forged)).toBe(401);
    const stale = payway.signEvent(failure, Math.floor(Date.now() / 1000) - 3600);
    expect(await postPaywayEvent(gateway.url, failure, stale)).toBe(401);
    expect((await getOrder(order.id)).status).toBe('PENDING');

    payway.settle(purchase.orderId, 'order_closed');
    await payway.eventsIdle();
    payway.resendLastEvent(purchase.orderId);
    await payway.eventsIdle();
    const deliveries = payway.sentEvents().filter((delivery) => delivery.event.payload.order.id === purchase.orderId);
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
    const stored = await getOrder(order.id);
    expect(stored.status).toBe('CAPTURED');
    expect(stored.events.map((event) => event.type)).toEqual(['pending', 'order_closed']);
    // Exactly one change reached the back office for this order: the duplicate published nothing.
    await updates.waitFor((message) => message.orderUpdates.order.id === order.id && message.orderUpdates.status === 'CAPTURED');
    const other = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete));
    await updates.waitFor((message) => message.orderUpdates.order.id === other.id);
    expect(updates.messages.filter((message) => message.orderUpdates.order.id === order.id)).toHaveLength(1);
    await updates.dispose();
  });

  it('a captured timestamped signature is no untimed one: the body "<timestamp>.<body>" replayed without the timestamp is 401 and changes nothing', async () => {
    const secret = payway.config.webhookSecret ?? '';
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
    const purchase = purchaseOf(order);
    // A form-encoded event still reads as one behind a "<timestamp>." prefix: only its first
    // field's name takes the prefix (here a field the event does not need).
    const form = new URLSearchParams({ delivery: '1', event: 'payment_failure', merchant_reference: order.id, order_id: purchase.orderId }).toString();
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
    const hmac = (message: string, encoding: 'hex' | 'base64') => createHmac('sha256', secret).update(message).digest(encoding);

    // A delivery captured an hour ago: its timestamp is past the 5-minute window.
    const capturedAt = String(Math.floor(Date.now() / 1000) - 3600);
    const captured = payway.signEvent(form, Number(capturedAt));
    expect(await postPaywayEvent(gateway.url, form, { ...captured, ...formHeaders })).toBe(401);
    // The same signature is HMAC("<timestamp>.<body>"): sent as the untimed HMAC of that very text.
    const sidestep = `${capturedAt}.${form}`;
    expect(hmac(sidestep, 'hex')).toBe(captured['x-payway-signature']!.replace(/^sha256=/, ''));
    expect(await postPaywayEvent(gateway.url, sidestep, { ...formHeaders, 'x-payway-signature': captured['x-payway-signature']! })).toBe(401);
    // The timestamp in milliseconds or ISO 8601, or a t=,v1= header: the same.
    for (const written of [`${capturedAt}000`, new Date(Number(capturedAt) * 1000).toISOString()]) {
      expect(await postPaywayEvent(gateway.url, `${written}.${form}`, { ...formHeaders, 'x-signature': hmac(`${written}.${form}`, 'hex') }), written).toBe(401);
    }
    // A Standard Webhooks signature is over "<id>.<timestamp>.<body>": no untimed one either.
    const id = `msg_${randomUUID()}`;
    expect(await postPaywayEvent(gateway.url, `${id}.${capturedAt}.${form}`, { ...formHeaders, 'x-signature': hmac(`${id}.${capturedAt}.${form}`, 'base64') })).toBe(401);
    expect((await getOrder(order.id)).status).toBe('PENDING');

    // The body signed untimed as it is (the independent suites' hmac-hex) is still believed.
    expect(await postPaywayEvent(gateway.url, form, { ...formHeaders, 'x-signature': hmac(form, 'hex') })).toBe(200);
    expect((await getOrder(order.id)).status).toBe('FAILED');
  });

  it('events that prove the secret another common way are believed; the same ways with another secret are 401 and change nothing', async () => {
    const secret = payway.config.webhookSecret ?? '';
    expect(secret).not.toBe('');
    const closing = (order: OrderView) =>
      JSON.stringify({ event: 'order_closed', timestamp: new Date().toISOString(), payload: { order: { id: purchaseOf(order).orderId, merchant_reference: order.id } } });
    const hmac = (key: string, message: string, encoding: 'hex' | 'base64') => createHmac('sha256', key).update(message).digest(encoding);
    const now = () => String(Math.floor(Date.now() / 1000));
    const json = { 'content-type': 'application/json' };
    const ways: Record<string, (key: string, body: string) => Promise<{ body: string; headers: Record<string, string> }>> = {
      'body HMAC, hex, X-Signature': async (key, body) => ({ body, headers: { ...json, 'x-signature': hmac(key, body, 'hex') } }),
      'body HMAC, base64, X-Hub-Signature-256 with sha256=': async (key, body) => ({ body, headers: { ...json, 'x-hub-signature-256': `sha256=${hmac(key, body, 'base64')}` } }),
      't=,v1= (timestamped)': async (key, body) => {
        const t = now();
        return { body, headers: { ...json, 'x-webhook-signature': `t=${t},v1=${hmac(key, `${t}.${body}`, 'hex')}` } };
      },
      'the secret as a bearer token': async (key, body) => ({ body, headers: { ...json, authorization: `Bearer ${key}` } }),
      'the secret in X-Api-Key': async (key, body) => ({ body, headers: { ...json, 'x-api-key': key } }),
      'a vendor-named signature and timestamp (X-Tulo-Signature, X-Tulo-Timestamp)': async (key, body) => {
        const t = now();
        return { body, headers: { ...json, 'x-tulo-timestamp': t, 'x-tulo-signature': hmac(key, `${t}.${body}`, 'hex') } };
      },
      'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>)': async (key, body) => {
        const [id, t] = [`msg_${randomUUID()}`, now()];
        return { body, headers: { ...json, 'webhook-id': id, 'webhook-timestamp': t, 'webhook-signature': `v1,${hmac(key, `${id}.${t}.${body}`, 'base64')}` } };
      },
      'an HS256 JWT whose claims are the event': async (key, body) => ({
        body: await new SignJWT(JSON.parse(body) as JWTPayload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(key)),
        headers: { 'content-type': 'application/jwt' },
      }),
    };

    const untouched = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
    for (const [way, sign] of Object.entries(ways)) {
      const forged = await sign(`${secret}-not`, closing(untouched));
      expect([way, await postPaywayEvent(gateway.url, forged.body, forged.headers)]).toEqual([way, 401]);
    }
    expect((await getOrder(untouched.id)).status).toBe('PENDING');

    for (const [way, sign] of Object.entries(ways)) {
      const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld));
      const signed = await sign(secret, closing(order));
      expect([way, await postPaywayEvent(gateway.url, signed.body, signed.headers)]).toEqual([way, 200]);
      expect([way, (await getOrder(order.id)).status]).toEqual([way, 'CAPTURED']);
    }
  });

  it('a rejected attempt, then a corrected retry under the same merchant reference: the retry\'s pending purchase still settles', async () => {
    const reference = `retry-${randomUUID()}`;
    const refused = await place(placeInput(PAYWAY_TEST_CARDS.refused, { merchantReference: reference }));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused' });
    const retry = await placeOk(placeInput(PAYWAY_TEST_CARDS.pendingHeld, { merchantReference: reference }));
    expect(retry.status).toBe('PENDING');
    const [purchase, ...others] = payway.purchasesWithReference(reference).filter((candidate) => candidate.state === 'pending');
    expect(others).toHaveLength(0);
    payway.settle(purchase!.orderId, 'order_closed');
    const settled = await eventually(async () => {
      const order = await getOrder(retry.id);
      return order.status === 'CAPTURED' && order;
    });
    expect(settled).toMatchObject({ providerOrderId: purchase!.orderId, providerStatus: 'order_closed', reference });
  });

  it('a merchant reference in the form of a gateway order id is BAD_USER_INPUT, and Payway is never called', async () => {
    const reference = `ord_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    const result = await place(placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference }));
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.merchantReference' });
    expect(payway.purchasesWithReference(reference)).toHaveLength(0);
    // A reference that merely starts like one is the client's to use.
    expect((await placeOk(placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: `ord_campaign-${randomUUID()}` }))).status).toBe('CAPTURED');
  });

  it('an Adyen error that is not a refusal (a challenge result it cannot read) keeps the action open; the shopper then passes it', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.challenge));
    const unreadable = await continueWith(order.id, { 'threeds2.challengeResult': 'not-a-challenge-result' });
    expect(unreadable.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'third_party_error', providerField: 'details' });
    expect(unreadable.errors?.[0]?.extensions?.correlationId).toEqual(expect.any(String));
    expect(await getOrder(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS' } } });
    const done = await continueWith(order.id, await shopperPerforms3DS(order, 'Y'));
    expect(done.data?.continueOrderCreation).toMatchObject({ status: 'CAPTURED', creation: { status: 'COMPLETED' } });
  });

  it('a discount code prices the purchase: the total and the captured amount are the discounted price', async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete, { discountCode: 'WELCOME' }));
    expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '159.20', currency: 'SEK', minorUnits: 15_920 } });
    // The client stated the undiscounted price: Payway's own figure wins, and the order says so.
    expect(order.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.stated_total_differs' }));
    expect(order.items).toEqual([expect.objectContaining({ amount: expect.objectContaining({ amount: '159.20' }) })]);
    expect(order.payments).toEqual([expect.objectContaining({ status: 'CAPTURED', amount: expect.objectContaining({ amount: '159.20' }), capturedAmount: expect.objectContaining({ amount: '159.20' }) })]);
  });

  it("an Adyen action type the gateway has no kind for (await) is ACTION_REQUIRED with the whole action, and continues like any other", async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.awaitThenComplete));
    expect(order).toMatchObject({
      status: 'ACTION_REQUIRED',
      creation: {
        status: 'STOPPED',
        stopAction: { type: 'WORKFLOW', threeDS: { type: 'await', paymentMethodType: 'scheme', token: null, details: { type: 'await', paymentMethodType: 'scheme' } } },
      },
    });
    expect(order.creation.stopAction?.threeDS?.sessionReference).toMatch(/^[a-f\d]{24}$/);
    const done = await continueWith(order.id, { payload: 'approved-in-app' });
    expect(done.data?.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: purchaseOf(order).orderId });
  });

  it("a browserInfo without javaEnabled keeps GraphQL's own error, and Payway is never called", async () => {
    const reference = `graphql-${randomUUID()}`;
    const { javaEnabled: _dropped, ...browserInfo } = placeInput().browserInfo as Record<string, unknown>;
    const result = await place({ ...placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference }), browserInfo });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/javaEnabled/);
    expect(result.errors?.[0]?.extensions?.code).not.toBe('BAD_USER_INPUT');
    expect(payway.purchasesWithReference(reference)).toHaveLength(0);
  });

  it("an event echoing an order's id under another Payway order id than the order's own is not applied to it", async () => {
    const order = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete));
    await payway.eventsIdle();
    const before = await getOrder(order.id);
    const body = JSON.stringify({
      event: 'payment_failure',
      timestamp: new Date().toISOString(),
      payload: { order: { id: `SANDBOX-OTHER-${randomUUID()}`, merchant_reference: order.id }, payment: { result_code: 'Refused', message: 'not this order' } },
    });
    expect(await postPaywayEvent(gateway.url, body, payway.signEvent(body))).toBe(200);
    const after = await getOrder(order.id);
    expect(after).toMatchObject({ status: 'CAPTURED', providerOrderId: before.providerOrderId, payments: [{ status: 'CAPTURED' }] });
    expect(after.events).toEqual(before.events);
  });

  it('a Payway error becomes PROVIDER_REJECTED with its code and field, and no order is stored', async () => {
    const updates = await liveUpdates();
    const unknownDiscount = await place(placeInput(PAYWAY_TEST_CARDS.complete, { discountCode: 'NO-SUCH-CODE' }));
    expect(unknownDiscount.data ?? null).toBeNull();
    expect(unknownDiscount.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'invalid_discount_code', providerField: 'discount_code' });

    const refused = await place(placeInput(PAYWAY_TEST_CARDS.refused));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused', providerField: 'payment_method' });
    expect(refused.errors?.[0]?.extensions?.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.raw).not.toContain(PAYWAY_TEST_CARDS.refused);

    const unknownPeriod = await place(placeInput(PAYWAY_TEST_CARDS.complete, { periodId: 'ffffffffffffffffffffffff' }));
    expect(unknownPeriod.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'period_not_found', providerField: 'period_id' });

    // Had a failed call stored an order, its change would reach the back office before this one's.
    const next = await placeOk(placeInput(PAYWAY_TEST_CARDS.complete));
    const first = await updates.next();
    expect(first.orderUpdates.order.id).toBe(next.id);
    await updates.dispose();
  });

  it('Payway down (5xx) or answering garbage is PROVIDER_UNAVAILABLE', async () => {
    // place_order is a POST that may move money: never retried, so one fault is the answer. (A
    // faulted payment_methods read, a GET, would be retried and answered.)
    const placeOrder = /^POST \/external\/api\/v1\/adyen\/place_order$/;
    payway.faults.inject({ kind: 'status', status: 503, only: placeOrder });
    const down = await place(placeInput());
    expect(down.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    payway.faults.inject({ kind: 'status', status: 500, body: '<html>Internal Server Error</html>', only: placeOrder });
    const bare500 = await place(placeInput());
    expect(bare500.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    payway.faults.inject({ kind: 'truncated', only: placeOrder });
    const garbled = await place(placeInput());
    expect(garbled.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect(down.raw).not.toContain(payway.config.token);
  });

  it('a 500 carrying Payway\'s error body (the seed: errors come with a status "between 400-500") is PROVIDER_REJECTED with its code and correlation id', async () => {
    const placeOrder = /^POST \/external\/api\/v1\/adyen\/place_order$/;
    const body = JSON.stringify({ code: 'adyen_refused', field: null, message: 'Refused by Adyen', correlation_id: 'corr-500' });
    payway.faults.inject({ kind: 'status', status: 500, body, only: placeOrder });
    const refused = await place(placeInput());
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'adyen_refused', correlationId: 'corr-500' });
  });

  it("Payway refusing the gateway's own token (401 with its error body) is PROVIDER_REJECTED with Payway's code, naming no token", async () => {
    const badToken = `bad-token-${randomUUID()}`;
    const misconfigured = await env.startGateway({ payway: { ...payway.config, token: badToken } });
    try {
      const result = await gql<{ placeAdyenOrder: OrderView }>(misconfigured.url, PLACE_ADYEN_ORDER, { input: placeInput() }, shop);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'unauthorized' });
      expect(result.raw).not.toContain(badToken);
      expect(result.raw).not.toContain(payway.config.token);
    } finally {
      // Purchase events go to the newest gateway: hand them back to the one the other tests use.
      payway.setGatewayUrl(gateway.url);
    }
  });

  it('the same idempotency key places one purchase; another input under it is BAD_USER_INPUT', async () => {
    const reference = `idem-${randomUUID()}`;
    const input = placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference, idempotencyKey: reference });
    const [a, b] = await Promise.all([placeOk(input), placeOk(input)]);
    expect(a.id).toBe(b.id);
    expect(payway.purchasesWithReference(reference)).toHaveLength(1);
    const changed = await place({ ...input, trafficSource: 'web' });
    expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
  });

  it('createOrder(provider: PAYWAY) points to placeAdyenOrder', async () => {
    const result = await gql(gateway.url, CREATE_ORDER, { input: { provider: 'PAYWAY', currency: 'SEK', amount: '1.00' } }, shop);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.provider' });
  });

  const long = (length: number) => 'a'.repeat(length);
  const browser = (change: Record<string, unknown>) => ({ browserInfo: { ...(placeInput().browserInfo as object), ...change } });
  const address = (change: Record<string, unknown>) => ({ deliveryAddress: { ...(placeInput().deliveryAddress as object), ...change } });
  const rules: [string, Record<string, unknown>, string][] = [
    ['a payment method without a type', { paymentMethod: { encryptedCardNumber: 'test_4111111111111111' } }, 'input.paymentMethod.type'],
    ['an empty product code', { productCode: '' }, 'input.productCode'],
    ['a product code over 50 characters', { productCode: long(51) }, 'input.productCode'],
    ['a product code with a space', { productCode: 'package code' }, 'input.productCode'],
    ['a period id that is not 24 hex digits', { periodId: '5e4beac909c04c404a46c73' }, 'input.periodId'],
    ['a period id with a non-hex letter', { periodId: '5e4beac909c04c404a46c73z' }, 'input.periodId'],
    ['a relative return URL', { returnUrl: '/back' }, 'input.returnUrl'],
    ['a return URL over 1024 characters', { returnUrl: `https://shop.example/${long(1010)}` }, 'input.returnUrl'],
    ['a relative origin', { origin: 'example.purchase.org' }, 'input.origin'],
    ['an origin over 1024 characters', { origin: `https://shop.example/${long(1010)}` }, 'input.origin'],
    ['a traffic source over 100 characters', { trafficSource: long(101) }, 'input.trafficSource'],
    ['an empty discount code', { discountCode: '' }, 'input.discountCode'],
    ['a discount code over 100 characters', { discountCode: long(101) }, 'input.discountCode'],
    ['a merchant reference over 1024 characters', { merchantReference: long(1025) }, 'input.merchantReference'],
    ['a browser IP that is no address', browser({ browserIp: 'localhost' }), 'input.browserInfo.browserIp'],
    ['a browser language that is no tag', browser({ browserLanguage: 'swedish please' }), 'input.browserInfo.browserLanguage'],
    ['an empty user agent', browser({ browserUserAgent: '' }), 'input.browserInfo.browserUserAgent'],
    ['a relative referer', browser({ referer: 'adeprimo' }), 'input.browserInfo.referer'],
    ['an empty accept header', browser({ acceptHeader: '' }), 'input.browserInfo.acceptHeader'],
    ['a colour depth of 0', browser({ colorDepth: 0 }), 'input.browserInfo.colorDepth'],
    ['a negative screen height', browser({ screenHeight: -1 }), 'input.browserInfo.screenHeight'],
    ['a zero screen width', browser({ screenWidth: 0 }), 'input.browserInfo.screenWidth'],
    ['a time zone offset beyond 14 hours', browser({ timeZoneOffset: 900 }), 'input.browserInfo.timeZoneOffset'],
    ['an empty first name', address({ firstName: '' }), 'input.deliveryAddress.firstName'],
    ['an empty last name', address({ lastName: ' ' }), 'input.deliveryAddress.lastName'],
    ['an empty street', address({ street: '' }), 'input.deliveryAddress.street'],
    ['an empty zip code', address({ zipCode: '' }), 'input.deliveryAddress.zipCode'],
    ['an empty city', address({ city: '' }), 'input.deliveryAddress.city'],
    ['a country outside SE, FI, AX', address({ countryCode: 'NO' }), 'input.deliveryAddress.countryCode'],
  ];

  it.each(rules)('%s -> BAD_USER_INPUT naming the field, and Payway is never called', async (_name, change, field) => {
    const reference = `rule-${randomUUID()}`;
    const result = await place({ ...placeInput(PAYWAY_TEST_CARDS.complete, { merchantReference: reference }), ...change });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(payway.purchasesWithReference(reference)).toHaveLength(0);
  });

  it("a subscription start date that is no date keeps GraphQL's own error", async () => {
    const result = await place(placeInput(PAYWAY_TEST_CARDS.complete, { subscriptionStartDate: '2020-13-45' }));
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/Date/);
  });
});
