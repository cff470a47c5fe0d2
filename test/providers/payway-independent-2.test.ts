/**
 * Round two of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): what round one did not try.
 *
 * - Money moves once: place_order applied and its answer lost (a reset connection, a hang past
 *   the timeout), retried with the same idempotency key, with Payway's event before or after.
 * - Values at the edges and freedoms combined: `null` where the seed shows a string (message,
 *   session_reference, action fields, error parts), empty strings, a 201 with no Content-Type, a
 *   status word with spaces around it, ids as numbers.
 * - Events: labelled text/plain (a plain HTTP client's default for a string body), PascalCase,
 *   duplicated and out of order (a late payment_failure after order_closed).
 * - Whole life of each kind of purchase: 3-D Secure then pending then payment_failure; a decline
 *   through perform_additional_action.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { LIST_ORDERS, PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { eventually, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import {
  actionRequired,
  complete,
  error,
  eventBody,
  hex24,
  pending,
  PERFORM_ACTION,
  PLACE_ORDER,
  sendEvent,
  sentEvents,
  startIndependentPayway,
  type Answer,
  type IndependentPayway,
  type SeenRequest,
} from '../support/independent/payway-server.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round two', () => {
  const harness = independentPaywayHarness('-2');
  const { TOKEN, SECRET, input, place, placeOk, continueWith, read, lastPlaced } = harness;
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: IndependentPayway;
  let shop: string;
  let backOffice: string;
  beforeAll(() => ({ env, gateway, payway, shop, backOffice } = harness.parts));
  const placedUnder = (reference: string): SeenRequest[] => payway.to(PLACE_ORDER).filter((request) => request.body?.merchant_reference === reference);

  /**
   * Lost answers count against Payway's circuit breaker (one per Payway origin, in the process):
   * tests that lose answers each get a Payway (and a gateway) of their own, so that no call of a
   * later test is refused unsent.
   */
  const isolateLostAnswers = () => {
    let saved: { payway: IndependentPayway; gateway: Gateway };
    beforeEach(async () => {
      saved = { payway, gateway };
      payway = await startIndependentPayway({ token: TOKEN, strict: true });
      gateway = await env.startGateway({ payway: { url: payway.url, token: TOKEN, webhookSecret: SECRET }, reconcileIntervalMs: 100 });
      Object.assign(harness.parts, { payway, gateway }); // the harness's calls go to them too
    });
    afterEach(async () => {
      await payway.close();
      ({ payway, gateway } = saved);
      Object.assign(harness.parts, saved);
    });
  };

  describe('null, empty and absent where the seed shows a value', () => {
    it('complete with message null -> CAPTURED (the shopper was charged; prose is no reason to call it unavailable)', async () => {
      payway.answers = () => complete({ orderId: 'ADEPRIMO-NULLMSG' }, { extraItem: { message: null } });
      expect(await placeOk()).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-NULLMSG' });
    });

    it('complete with order_id "" and receipt_id null -> CAPTURED, naming no Payway order', async () => {
      payway.answers = () => complete({}, { extraItem: { order_id: '', receipt_id: null } });
      expect(await placeOk()).toMatchObject({ status: 'CAPTURED', providerOrderId: null, payments: [{ status: 'CAPTURED', providerReference: null }] });
    });

    it('pending with message null -> PENDING', async () => {
      payway.answers = () => pending({ extraItem: { message: null } });
      expect(await placeOk()).toMatchObject({ status: 'PENDING' });
    });

    it('a redirect action with token and paymentMethodType null -> ACTION_REQUIRED REDIRECT', async () => {
      payway.answers = () =>
        actionRequired('s-null-action', { type: 'redirect', url: 'https://test.adyen.com/hpp/3d/validate.shtml', method: 'GET', token: null, paymentMethodType: null }, { extraItem: { message: null } });
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: 'https://test.adyen.com/hpp/3d/validate.shtml', threeDS: { sessionReference: 's-null-action' } } } });
    });

    it.each([
      ['null', null],
      ['""', ''],
    ])('a second action_required with session_reference %s goes on in the first session', async (_name, value) => {
      const session = `s-first-${randomUUID()}`;
      payway.answers = (request) => {
        if (request.path === PLACE_ORDER) return actionRequired(session);
        return request.body.details.step === 'fingerprint' ? actionRequired(null, { type: 'threeDS2Challenge', token: 'challenge' }, { extraItem: { session_reference: value } }) : complete();
      };
      const order = await placeOk();
      const second = await continueWith(order.id, { step: 'fingerprint' });
      expect(second.errors).toBeUndefined();
      expect(second.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'threeDS2Challenge', sessionReference: session } } } });
      const done = await continueWith(order.id, { step: 'challenge' });
      expect(done.data?.continueOrderCreation.status).toBe('CAPTURED');
      expect(payway.to(PERFORM_ACTION).at(-1)!.body.session_reference).toBe(session);
    });

    it.each([
      ['message null', { status: 422, body: { code: 'invalid_period', field: 'period_id', message: null, correlation_id: null } }, { providerCode: 'invalid_period', providerField: 'period_id' }],
      ['field "" and correlation_id ""', { status: 400, body: { code: 'invalid_request', field: '', message: 'bad', correlation_id: '' } }, { providerCode: 'invalid_request' }],
      ['message absent', { status: 409, body: { code: 'purchase_in_progress', field: null } }, { providerCode: 'purchase_in_progress' }],
    ] as [string, Answer, Record<string, unknown>][])('an error body with %s -> PROVIDER_REJECTED with its code; no order stored', async (_name, answer, extensions) => {
      payway.answers = () => answer;
      const reference = `err2-${randomUUID()}`;
      const result = await place({ merchantReference: reference });
      expect(result.data?.placeAdyenOrder ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', ...extensions });
      expect(result.errors?.[0]?.extensions).not.toHaveProperty('providerField', '');
      // A corrected retry under the same reference is that reference's only purchase.
      payway.answers = () => pending();
      const retried = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(retried.id)).status).toBe('CAPTURED');
    });
  });

  describe('freedoms combined', () => {
    it('201, no Content-Type, " Complete " with spaces, ids as numbers, fields reversed, extra fields, no message -> CAPTURED', async () => {
      payway.answers = () => {
        const answer = complete({}, { contentType: null, statusWord: ' Complete ', reverse: true, omitMessage: true, extraItem: { order_id: 4711, receipt_id: 99, psp: 'X' }, extraTop: { version: 4 } });
        return { ...answer, status: 201 };
      };
      expect(await placeOk()).toMatchObject({ status: 'CAPTURED', providerOrderId: '4711', payments: [{ providerReference: '99' }] });
    });

    it('"Action Required" (the heading\'s words) with the action\'s type in other letters -> ACTION_REQUIRED THREE_DS', async () => {
      payway.answers = () => actionRequired('s-heading', { type: 'ThreeDS2Challenge' }, { statusWord: 'Action Required', contentType: 'application/JSON' });
      expect(await placeOk()).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'THREE_DS', threeDS: { sessionReference: 's-heading' } } } });
    });

    it('a status word the seed does not show, with its order id as a number -> stored, status unchanged, the word shown', async () => {
      payway.answers = () => ({ status: 200, body: { item: { status: 'authorised', order_id: 4712, message: null } } });
      const result = await place();
      expect(result.errors).toBeUndefined();
      expect(result.data!.placeAdyenOrder).toMatchObject({ providerStatus: 'authorised' });
    });
  });

  describe('events', () => {
    it('an event labelled text/plain (a plain client\'s default for a string body), signed -> taken', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 6)}` }, 'flat');
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex', 'text/plain;charset=UTF-8')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    it('an event labelled text/plain but not signed is still 401 and changes nothing', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'flat');
      expect(await sendEvent(gateway.url, event, SECRET, 'none', 'text/plain')).toBe(401);
      expect(await sendEvent(gateway.url, event, SECRET, 'wrong-secret', 'text/plain')).toBe(401);
      expect((await read(order.id)).status).toBe('PENDING');
    });

    it('PascalCase keys, the name with spaces, ids as numbers, labelled text/plain -> taken', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = { Event: ' Order Closed ', Payload: { Order: { Id: 5150, MerchantReference: lastPlaced().body.merchant_reference }, Receipt: { Id: 77 } } };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex', 'text/plain')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: '5150' });
    });

    /** Posts `raw` signed as HMAC-SHA256 of "<timestamp>.<raw>" (hex) with the timestamp as written. */
    const postSigned = async (raw: Buffer, timestamp: string, contentType = 'application/json'): Promise<number> => {
      const signature = createHmac('sha256', SECRET).update(`${timestamp}.`).update(raw).digest('hex');
      sentEvents.push(raw.toString('utf8')); // for the harness's money check
      const response = await fetch(`${gateway.url}/webhooks/payway`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-payway-timestamp': timestamp, 'x-payway-signature': signature },
        body: new Uint8Array(raw),
      });
      await response.text();
      return response.status;
    };

    it('an event whose JSON starts with a byte order mark (signed over its bytes) -> taken', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const json = JSON.stringify(eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'flat'));
      const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
      expect(await postSigned(raw, String(Math.floor(Date.now() / 1000)), 'application/json; charset=utf-8')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    const now = new Date();
    const local = new Date(now.getTime()).toISOString().replace(/\.\d+Z$/, '');
    it.each([
      ['Unix milliseconds', String(now.getTime())],
      ['ISO 8601 with Z and fractions', now.toISOString()],
      ['ISO 8601 with an offset', now.toISOString().replace(/\.\d+Z$/, '+00:00')],
      ['ISO 8601 without a zone (UTC)', local],
    ])('a signing time in %s is read (signed "<timestamp>.<body>")', async (_name, timestamp) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const raw = Buffer.from(JSON.stringify(eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'nested-data')));
      expect(await postSigned(raw, timestamp)).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    it.each([
      ['Unix milliseconds an hour old', String(Date.now() - 3_600_000)],
      ['ISO 8601 an hour old', new Date(Date.now() - 3_600_000).toISOString()],
    ])('a signing time in %s is a replay: 401, nothing changes', async (_name, timestamp) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const raw = Buffer.from(JSON.stringify(eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'flat')));
      expect(await postSigned(raw, timestamp)).toBe(401);
      expect((await read(order.id)).status).toBe('PENDING');
    });

    it('two events in one delivery (a batch: a JSON array), signed as one -> both purchases end', async () => {
      payway.answers = () => pending();
      const first = await placeOk();
      const firstReference = lastPlaced().body.merchant_reference as string;
      const second = await placeOk();
      const secondReference = lastPlaced().body.merchant_reference as string;
      const batch = [eventBody('order_closed', { merchantReference: firstReference, orderId: 'ADEPRIMO-B1' }, 'flat'), eventBody('payment_failure', { merchantReference: secondReference }, 'nested-data')];
      expect(await sendEvent(gateway.url, batch, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(first.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-B1' });
      expect((await read(second.id)).status).toBe('FAILED');
      expect(await sendEvent(gateway.url, batch, SECRET, 'wrong-secret')).toBe(401);
    });

    it('`order` as the order\'s id itself, `receipt` as the receipt\'s id -> both read', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = { event: 'order_closed', order: 'ADEPRIMO-STR', receipt: 'R-STR', merchant_reference: lastPlaced().body.merchant_reference };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-STR', payments: [{ providerReference: 'R-STR' }] });
    });

    it('order_closed, then a late payment_failure for the same purchase (out of order) -> stays CAPTURED', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-OOO' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const failure = await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference, orderId: 'ADEPRIMO-OOO' }, 'flat'), SECRET, 'hmac-hex');
      expect(failure).toBeLessThan(500);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED' }] });
    });

    it('the same event three times at once -> one change', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'nested-data');
      const statuses = await Promise.all([1, 2, 3].map(() => sendEvent(gateway.url, event, SECRET, 'hmac-hex')));
      expect(statuses.every((status) => status < 300)).toBe(true);
      const closed = await read(order.id);
      expect(closed.status).toBe('CAPTURED');
      expect(closed.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });
  });

  describe('whole life of each kind of purchase', () => {
    it('3-D Secure fingerprint -> challenge -> pending -> payment_failure event -> FAILED; a later order_closed duplicate of nothing changes nothing', async () => {
      const session = `s-life-${randomUUID()}`;
      payway.answers = (request) => {
        if (request.path === PLACE_ORDER) return actionRequired(session);
        return request.body.details.step === 'fingerprint' ? actionRequired(session, { type: 'threeDS2Challenge', token: 'c' }) : pending();
      };
      const order = await placeOk();
      expect((await continueWith(order.id, { step: 'fingerprint' })).data?.continueOrderCreation.status).toBe('ACTION_REQUIRED');
      expect((await continueWith(order.id, { step: 'challenge' })).data?.continueOrderCreation.status).toBe('PENDING');
      const reference = lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, 'item-like'), SECRET, 'bearer-secret')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'FAILED', creation: { status: 'FAILED' }, payments: [{ status: 'FAILED' }] });
    });

    it('a decline at perform_additional_action (payment_refused) -> FAILED, and continuing again asks Payway nothing', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-decl-${randomUUID()}`) : error(422, 'payment_refused', { field: null, correlationId: 'c-ref' }));
      const order = await placeOk();
      const refused = await continueWith(order.id, { step: 'challenge' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused' });
      expect(await read(order.id)).toMatchObject({ status: 'FAILED' });
      const calls = payway.to(PERFORM_ACTION).length;
      expect((await continueWith(order.id, { step: 'again' })).errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect(payway.to(PERFORM_ACTION)).toHaveLength(calls);
    });
  });

  describe('perform_additional_action under faults', () => {
    isolateLostAnswers();

    it('two continues of one purchase at once send Adyen\'s details to Payway once', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-twice-${randomUUID()}`) : complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 6)}` }));
      const order = await placeOk();
      const before = payway.to(PERFORM_ACTION).length;
      const results = await Promise.all([continueWith(order.id, { step: 'fp' }), continueWith(order.id, { step: 'fp' })]);
      expect(payway.to(PERFORM_ACTION).length - before).toBe(1);
      expect(results.some((result) => result.data?.continueOrderCreation?.status === 'CAPTURED')).toBe(true);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    it('its answer lost after Payway completed the purchase: the order stays waiting, Payway\'s event ends it, and a further continue sends nothing', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-lost-${randomUUID()}`) : { ...complete({ orderId: 'ADEPRIMO-CONT-LOST' }), lose: 'reset' });
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const lost = await continueWith(order.id, { step: 'fp' });
      expect(lost.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect((await read(order.id)).status).toBe('ACTION_REQUIRED');
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-CONT-LOST' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-CONT-LOST' });
      const calls = payway.to(PERFORM_ACTION).length;
      expect((await continueWith(order.id, { step: 'fp' })).errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect(payway.to(PERFORM_ACTION)).toHaveLength(calls);
    });
  });

  describe('values at the edges of the parameter table', () => {
    it('a merchant reference of 1024 characters with unicode reaches Payway as given, and its event finds the order', async () => {
      payway.answers = () => pending();
      const reference = `kampanj-åäö-€-${randomUUID()}-`.padEnd(1024, 'x');
      const order = await placeOk({ merchantReference: reference });
      expect(lastPlaced().body.merchant_reference).toBe(reference);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex', 'text/plain')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    it('a delivery address in unicode, with only its required fields, passes a strict Payway', async () => {
      const order = await placeOk({ deliveryAddress: { firstName: 'Åsa', lastName: 'Öberg-Ñúñez', street: 'Storgatan 北', zipCode: '22100', city: 'Mariehamn', countryCode: 'AX' } });
      expect(order.status).toBe('CAPTURED');
      expect(lastPlaced().body.delivery_address).toEqual({ first_name: 'Åsa', last_name: 'Öberg-Ñúñez', street: 'Storgatan 北', zip_code: '22100', city: 'Mariehamn', country_code: 'AX' });
    });

    it.each([
      ['a merchant reference over 1024 characters', { merchantReference: 'r'.repeat(1025) }],
      ['a traffic source over 100 characters', { trafficSource: 't'.repeat(101) }],
      ['an empty discount code', { discountCode: '' }],
      ['a product code with a space', { productCode: 'package code' }],
      ['a period id of 23 hex digits', { periodId: '5e4beac909c04c404a46c73' }],
      ['a country outside SE, FI, AX', { deliveryAddress: { firstName: 'A', lastName: 'B', street: 'C', zipCode: '1', city: 'D', countryCode: 'NO' } }],
      ['a relative return URL', { returnUrl: '/back' }],
    ])('%s is BAD_USER_INPUT and nothing reaches Payway', async (_name, overrides) => {
      const before = payway.to(PLACE_ORDER).length;
      const result = await place(overrides);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(payway.to(PLACE_ORDER)).toHaveLength(before);
    });
  });

  describe('money moves once when place_order\'s answer is lost', () => {
    isolateLostAnswers();

    it('two clients place with the same key at once while the answer is lost: one purchase at Payway', async () => {
      const key = `lost-race-${randomUUID()}`;
      const reference = `lost-race-ref-${randomUUID()}`;
      payway.answers = () => ({ ...pending(), lose: 'reset' });
      const fresh = await env.startGateway({ payway: { url: payway.url, token: TOKEN, webhookSecret: SECRET } });
      const twice = () => gql<{ placeAdyenOrder: OrderView }>(fresh.url, PLACE_ADYEN_ORDER, { input: input({ idempotencyKey: key, merchantReference: reference }) }, shop);
      const results = await Promise.all([twice(), twice()]);
      expect(results.map((result) => result.errors?.[0]?.extensions?.['code'])).toEqual(['PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE']);
      expect(placedUnder(reference)).toHaveLength(1);
    });

    it.each(['reset', 'hang'] as const)('answer lost (%s): the retry with the same key places nothing again; Payway\'s event then makes the order known', async (lose) => {
      const key = `lost-${randomUUID()}`;
      const reference = `lost-ref-${randomUUID()}`;
      payway.answers = () => ({ ...complete({ orderId: `ADEPRIMO-LOST-${lose}` }), lose });
      const first = await place({ idempotencyKey: key, merchantReference: reference });
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(placedUnder(reference)).toHaveLength(1);
      payway.answers = () => complete();
      const retry = await place({ idempotencyKey: key, merchantReference: reference });
      expect(retry.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(placedUnder(reference)).toHaveLength(1);
      // Payway announces the purchase it made.
      const event = eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-LOST-${lose}`, receiptId: hex24() }, 'flat');
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => {
        const again = await place({ idempotencyKey: key, merchantReference: reference });
        return again.data?.placeAdyenOrder;
      }, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', providerOrderId: `ADEPRIMO-LOST-${lose}`, reference, total: { amount: '149.00' } });
      expect(placedUnder(reference)).toHaveLength(1);
    });

    it('the event arrives while the answer is being lost (before the reset): the retry with the same key answers the order, placing nothing again', async () => {
      const key = `lost-early-${randomUUID()}`;
      payway.answers = (request) => ({
        ...pending(),
        lose: 'reset',
        before: async () => {
          await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: request.body.merchant_reference }, 'nested-data'), SECRET, 'hmac-hex');
        },
      });
      const first = await place({ idempotencyKey: key });
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const reference = lastPlaced().body.merchant_reference as string;
      payway.answers = () => complete();
      const known = await eventually(async () => (await place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'FAILED' });
      expect(placedUnder(reference)).toHaveLength(1);
    });

    it('answer lost and nobody retries: once Payway\'s event comes, the gateway\'s sweep makes the order known by itself', async () => {
      // A short provider timeout, so the sweep looks for the lost creation within the test.
      const quick = await env.startGateway({ payway: { url: payway.url, token: TOKEN, webhookSecret: SECRET }, reconcileIntervalMs: 100, providerTimeoutMs: 400 });
      const reference = `lost-sweep-${randomUUID()}`;
      payway.answers = () => ({ ...pending(), lose: 'reset' });
      const first = await gql<{ placeAdyenOrder: OrderView }>(quick.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference, idempotencyKey: `k-${reference}` }) }, shop);
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(await sendEvent(quick.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-SWEPT' }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const listed = async () =>
        (await gqlOk<{ orders: { nodes: OrderView[] } }>(quick.url, LIST_ORDERS, { filter: { provider: 'PAYWAY', reference } }, backOffice)).orders.nodes;
      const [order] = await eventually(async () => {
        const nodes = await listed();
        return nodes.length ? nodes : undefined;
      }, 10_000, 200);
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-SWEPT', total: { amount: '149.00' }, payments: [{ status: 'CAPTURED' }] });
      expect(await listed()).toHaveLength(1);
      expect(placedUnder(reference)).toHaveLength(1);
    }, 20_000);

    it.each([
      ['a 502 page from a proxy', { status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' }],
      ['a 504 without a body', { status: 504, body: '', contentType: null }],
    ] as [string, Answer][])('place_order applied, then %s: the same as a lost answer (nothing placed again; the event makes it known)', async (_name, answer) => {
      const key = `lost-5xx-${randomUUID()}`;
      const reference = `lost-5xx-ref-${randomUUID()}`;
      payway.answers = () => answer;
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      payway.answers = () => complete();
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, 'item-like'), SECRET, 'bearer-secret')).toBeLessThan(300);
      const known = await eventually(async () => (await place({ idempotencyKey: key, merchantReference: reference })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'FAILED', reference });
      expect(placedUnder(reference)).toHaveLength(1);
    });

    it('Payway refused the first attempt (its error body): the retry with the same key places it again (no money moved)', async () => {
      const key = `refused-${randomUUID()}`;
      const reference = `refused-ref-${randomUUID()}`;
      payway.answers = () => error(422, 'payment_refused', { field: null, correlationId: 'c-1' });
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused' });
      payway.answers = () => complete({ orderId: 'ADEPRIMO-SECOND' });
      expect(await placeOk({ idempotencyKey: key, merchantReference: reference })).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-SECOND' });
      expect(placedUnder(reference)).toHaveLength(2);
    });

    it('a forged event after a lost answer makes nothing known, and the retry still places nothing', async () => {
      const key = `lost-forged-${randomUUID()}`;
      const reference = `lost-forged-ref-${randomUUID()}`;
      payway.answers = () => ({ ...pending(), lose: 'reset' });
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-FORGED' }, 'flat'), SECRET, 'wrong-secret')).toBe(401);
      payway.answers = () => complete();
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(placedUnder(reference)).toHaveLength(1);
    });

  });
});
