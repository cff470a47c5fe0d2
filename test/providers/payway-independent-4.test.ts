/**
 * Round four of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): a fourth reading of the seed.
 *
 * - Events serialised the way the seed serialises everything: the whole event, its name too,
 *   inside `item` (`{item: {event: "order_closed", order_id, merchant_reference}}`), or inside
 *   `data` with the name as its `type`; or Stripe's shape, the purchase under `data.object`.
 * - `event_name` names the event; a header never does (no body signature covers it).
 * - Events posted as a form, flat or nested in Rack's brackets (a plain client of Payway's stack).
 * - A pending or action_required answer naming Payway's order (an extra field the seed's lack):
 *   an event naming only that order settles the purchase.
 * - Error messages in a list (`{errors: [...]}`) or under `error`; the ending refusal code in
 *   another letter case (`PAYMENT_REFUSED`); a session_reference written as a number.
 * - A 4xx from in front of Payway's API (no Payway error body: a proxy's 429, a router's 404):
 *   no purchase was placed, so the retry with the same key places it, and the attempt does not
 *   linger as a candidate for its merchant reference's events.
 * - A refused purchase's payment_failure under a reused reference (an it.fails until round five's
 *   fixes): it may be the refused attempt's, so it fails no purchase waiting there.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import type { TestEnvironment } from '../support/gateway.js';
import { PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { gql } from '../support/graphql.js';
import { actionRequired, complete, error, eventBody, pending, PERFORM_ACTION, PLACE_ORDER, sendEvent, sendRawEvent, type Answer, type EventShape, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round four', () => {
  const harness = independentPaywayHarness('-4');
  const { TOKEN, SECRET, input, placeOk, continueWith, read, lastPlaced } = harness;
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: IndependentPayway;
  let shop: string;
  beforeAll(() => ({ env, gateway, payway, shop } = harness.parts));

  describe('events with their name inside the wrapper, or the purchase two wrappers deep', () => {
    it.each([
      ['in-item', 'order_closed', 'CAPTURED'],
      ['in-item', 'payment_failure', 'FAILED'],
      ['in-data', 'order_closed', 'CAPTURED'],
      ['in-data', 'payment_failure', 'FAILED'],
      ['data-object', 'order_closed', 'CAPTURED'],
      ['data-object', 'payment_failure', 'FAILED'],
    ] as [EventShape, 'order_closed' | 'payment_failure', string][])('%s %s settles the pending purchase -> %s', async (shape, name, status) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const paywayOrderId = name === 'order_closed' ? `ADEPRIMO-${randomUUID().slice(0, 8)}` : undefined;
      const event = eventBody(name, { merchantReference: reference, ...(paywayOrderId ? { orderId: paywayOrderId } : {}) }, shape);
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status, payments: [{ status }], ...(paywayOrderId ? { providerOrderId: paywayOrderId } : {}) });
    });

    it('inside the wrapper, a `type` or `name` that is not a purchase event (the product\'s, a person\'s) does not hide the result it posts', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const event = { item: { type: 'subscription', name: 'Donald Duck', status: 'complete', order_id: 'ADEPRIMO-TYPED', merchant_reference: reference } };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-TYPED' });
    });

    it('another of Payway\'s events inside the wrapper is acknowledged and changes nothing; unsigned, it is 401', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const other = { item: { event: 'account_changed', merchant_reference: reference, order_id: 'ADEPRIMO-OTHER' } };
      expect(await sendEvent(gateway.url, other, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'in-item'), SECRET, 'none')).toBe(401);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });
  });

  describe('the event\'s name: event_name; never a header (a body signature does not cover it)', () => {
    it('`event_name` in the body names the event, before a `type` of something else', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      expect(await sendEvent(gateway.url, { type: 'webhook', event_name: 'payment_failure', merchant_reference: lastPlaced().body.merchant_reference }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('FAILED');
    });

    it('a body naming no event, signed over its bytes, with X-Payway-Event: order_closed beside it changes nothing (the header could be swapped on a replay)', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const purchase = { merchant_reference: lastPlaced().body.merchant_reference, order_id: 'ADEPRIMO-UNNAMED' };
      expect(await sendRawEvent(gateway.url, JSON.stringify(purchase), SECRET, 'hmac-hex', 'application/json', { 'X-Payway-Event': 'order_closed' })).toBe(400);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });
  });

  describe('events posted as a form (application/x-www-form-urlencoded)', () => {
    it('flat fields: order_closed settles the pending purchase; a duplicate changes nothing', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const form = new URLSearchParams({ event: 'order_closed', order_id: 'ADEPRIMO-FORM-1', merchant_reference: reference, receipt_id: 'r-form' }).toString();
      expect(await sendRawEvent(gateway.url, form, SECRET, 'hmac-hex', 'application/x-www-form-urlencoded')).toBeLessThan(300);
      const closed = await read(order.id);
      expect(closed).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-FORM-1', payments: [{ status: 'CAPTURED', providerReference: 'r-form' }] });
      expect(await sendRawEvent(gateway.url, form, SECRET, 'hmac-base64-timestamped', 'application/x-www-form-urlencoded; charset=utf-8')).toBeLessThan(300);
      expect((await read(order.id)).events).toHaveLength(closed.events.length);
    });

    it('nested in Rack\'s brackets (payload[order][merchant_reference]): payment_failure -> FAILED', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      const form = `event=payment_failure&payload[order][id]=ADEPRIMO-FORM-2&payload[order][merchant_reference]=${encodeURIComponent(reference)}&payload[payment][message]=Refused`;
      expect(await sendRawEvent(gateway.url, form, SECRET, 'bearer-secret', 'application/x-www-form-urlencoded')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'FAILED', providerOrderId: 'ADEPRIMO-FORM-2', payments: [{ status: 'FAILED' }] });
    });

    it('unsigned or signed with another secret: 401, nothing changes', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const form = new URLSearchParams({ event: 'order_closed', merchant_reference: lastPlaced().body.merchant_reference }).toString();
      expect(await sendRawEvent(gateway.url, form, SECRET, 'none', 'application/x-www-form-urlencoded')).toBe(401);
      expect(await sendRawEvent(gateway.url, form, SECRET, 'wrong-secret', 'application/x-www-form-urlencoded')).toBe(401);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });
  });

  describe('a pending (or action_required) answer that names Payway\'s order all the same (an extra field)', () => {
    it('pending with order_id, then an event naming only that order (no merchant reference) -> CAPTURED', async () => {
      payway.answers = () => pending({ extraItem: { order_id: 'ADEPRIMO-PENDING-NAMED' } });
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'PENDING', providerOrderId: 'ADEPRIMO-PENDING-NAMED' });
      expect(await sendEvent(gateway.url, { event: 'order_closed', order_id: 'ADEPRIMO-PENDING-NAMED', receipt_id: 'r-named' }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', providerReference: 'r-named' }] });
    });

    it('pending with order_id, then an event naming only the merchant reference -> still CAPTURED', async () => {
      payway.answers = () => pending({ extraItem: { order_id: 4712 } });
      const order = await placeOk();
      expect(order.providerOrderId).toBe('4712');
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: lastPlaced().body.merchant_reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'FAILED' });
    });

    it('two pending purchases under one campaign reference, each answer naming its order: each event (reference and order) settles its own', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending({ extraItem: { order_id: 'ADEPRIMO-TWIN-1' } });
      const first = await placeOk({ merchantReference: reference });
      payway.answers = () => pending({ extraItem: { order_id: 'ADEPRIMO-TWIN-2' } });
      const second = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference, orderId: 'ADEPRIMO-TWIN-2' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-TWIN-1' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(first.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-TWIN-1', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(await read(second.id)).toMatchObject({ status: 'FAILED', providerOrderId: 'ADEPRIMO-TWIN-2', payments: [{ status: 'FAILED' }] });
    });

    it('action_required with order_id, continued to pending, then an event naming only that order -> CAPTURED', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired('s-named', {}, { extraItem: { order_id: 'ADEPRIMO-3DS-NAMED' } }) : pending());
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', providerOrderId: 'ADEPRIMO-3DS-NAMED' });
      expect((await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' })).data?.continueOrderCreation.status).toBe('PENDING');
      expect(await sendEvent(gateway.url, { item: { event: 'order_closed', order_id: 'ADEPRIMO-3DS-NAMED' } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
    });

    it('3-D Secure continued to a pending answer that names the order (place_order\'s did not), then an event naming only that order -> CAPTURED with its payment', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired('s-named-later') : pending({ extraItem: { order_id: 'ADEPRIMO-NAMED-LATER' } }));
      const order = await placeOk();
      expect((await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' })).data?.continueOrderCreation).toMatchObject({ status: 'PENDING', providerOrderId: 'ADEPRIMO-NAMED-LATER' });
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: '', orderId: 'ADEPRIMO-NAMED-LATER' }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'FAILED', payments: [{ status: 'FAILED' }] });
    });

    it('an event naming only an order no answer announced changes no purchase, even the one waiting alone', async () => {
      payway.answers = () => pending({ extraItem: { order_id: 'ADEPRIMO-ANNOUNCED' } });
      const order = await placeOk();
      expect(await sendEvent(gateway.url, { event: 'order_closed', order_id: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });
  });

  describe('Payway\'s error properties in a list or under `error` ("an error message will contain these properties")', () => {
    const bodies: [string, unknown][] = [
      ['{errors: [...]} (every field\'s error)', { errors: [{ code: 'invalid_parameter', field: 'discount_code', message: 'Unknown code' }, { code: 'invalid_parameter', field: 'traffic_source', message: 'Not set up in PAP' }] }],
      ['{error: {...}}', { error: { code: 'invalid_parameter', field: 'discount_code', message: 'Unknown code', correlation_id: null } }],
      ['a bare list', [{ code: 'invalid_parameter', field: 'discount_code', message: 'Unknown code' }]],
    ];
    it.each(bodies)('place_order refused with %s -> PROVIDER_REJECTED with the first error\'s code and field', async (_name, body) => {
      payway.answers = () => ({ status: 422, body, contentType: 'application/JSON' });
      const result = await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input({ discountCode: 'NOPE' }) }, shop);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'invalid_parameter', providerField: 'discount_code' });
    });

    it('perform_additional_action refusing the 3-D Secure result as {errors: [{code: "payment_refused"}]} ends the purchase (FAILED)', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER ? actionRequired('s-refused-list') : { status: 422, body: { errors: [{ code: 'payment_refused', field: null, message: 'Refused', correlation_id: 'adyen-9' }] }, contentType: 'application/JSON' };
      const order = await placeOk();
      const refused = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6Ik4ifQ==' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'payment_refused', correlationId: 'adyen-9' });
      expect(await read(order.id)).toMatchObject({ status: 'FAILED' });
    });
  });

  describe('the refusal that ends a purchase, written another way', () => {
    it.each(['PAYMENT_REFUSED', 'PaymentRefused', 'payment-refused'])('perform_additional_action refusing with %s -> FAILED (the same word as payment_refused)', async (code) => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-${code}`) : { status: 422, body: { code, field: null, message: 'Refused', correlation_id: 'adyen-1' }, contentType: 'application/JSON' });
      const order = await placeOk();
      expect((await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6Ik4ifQ==' })).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: code });
      expect(await read(order.id)).toMatchObject({ status: 'FAILED' });
    });

    it('a code that only contains the word (payment_refused_by_issuer_maybe) is not it: the action stays open', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER ? actionRequired('s-not-quite') : { status: 422, body: { code: 'payment_refused_by_issuer_maybe', message: 'Hm' }, contentType: 'application/JSON' };
      const order = await placeOk();
      expect((await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6Ik4ifQ==' })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    });
  });

  describe('session_reference written as a number (the seed\'s example is a placeholder)', () => {
    it('-> ACTION_REQUIRED; continuing sends it back and completes', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(null, {}, { extraItem: { session_reference: 918273 } }) : complete({ orderId: 'ADEPRIMO-NUMSESSION' }));
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { sessionReference: '918273' } } } });
      expect((await continueWith(order.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).data?.continueOrderCreation).toMatchObject({ status: 'CAPTURED' });
      expect(String(payway.to(PERFORM_ACTION).at(-1)!.body.session_reference)).toBe('918273');
    });
  });

  describe('a 4xx without Payway\'s error body (from in front of Payway\'s API)', () => {
    const turnedAway: [string, Answer][] = [
      ['429 Too Many Requests (a proxy)', { status: 429, body: 'Too Many Requests', contentType: 'text/plain' }],
      ['404 as HTML (a router)', { status: 404, body: '<html><body>Not Found</body></html>', contentType: 'text/html' }],
      ['413 with no body', { status: 413, body: '', contentType: null }],
    ];

    it.each(turnedAway)('%s: PROVIDER_UNAVAILABLE, and the retry with the same key places the purchase', async (_name, answer) => {
      const key = `turned-away-${randomUUID()}`;
      const attempt = () => gql<{ placeAdyenOrder: OrderView }>(gateway.url, PLACE_ADYEN_ORDER, { input: input({ idempotencyKey: key }) }, shop);
      const before = payway.to(PLACE_ORDER).length;
      payway.answers = () => answer;
      expect((await attempt()).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      payway.answers = () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      const retried = await attempt();
      expect(retried.errors).toBeUndefined();
      expect(retried.data?.placeAdyenOrder.status).toBe('CAPTURED');
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 2);
      // And a third call with the key answers that order, placing nothing more.
      expect((await attempt()).data?.placeAdyenOrder.id).toBe(retried.data?.placeAdyenOrder.id);
      expect(payway.to(PLACE_ORDER)).toHaveLength(before + 2);
    });

    it('under a reused merchant reference, the turned-away attempt is no candidate for the next purchase\'s event (naming only the reference)', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => ({ status: 429, body: 'Too Many Requests', contentType: 'text/plain' });
      expect((await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference }) }, shop)).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED' });
    });

    it('the same with Payway not reachable at all (a refused connection, from another gateway instance): the next purchase under the reference is settled by its event', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const unreachable = await env.startGateway({ payway: { url: `http://127.0.0.1:${port}`, token: TOKEN, webhookSecret: SECRET }, reconcileIntervalMs: 100 });
      const reference = `adeprimo-campaign-${randomUUID()}`;
      expect((await gql(unreachable.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference }) }, shop)).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED' });
    });

    it('a 400 with Payway\'s error body is still PROVIDER_REJECTED with its code (nothing changes for Payway\'s own refusals)', async () => {
      payway.answers = () => ({ status: 400, body: { code: 'invalid_discount_code', field: 'discount_code', message: 'Unknown code' }, contentType: 'application/JSON' });
      expect((await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input() }, shop)).errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'invalid_discount_code' });
    });
  });

  describe('a refused purchase\'s payment_failure under a reused reference', () => {
    // A refused purchase (place_order's error, e.g. Adyen declining the card) may still trigger
    // Payway's payment_failure ("all the events associated with a failed purchase"). The gateway
    // forgot the refused attempt (so a corrected retry under the reference is its only purchase),
    // so under a reused reference that event, naming a Payway order the gateway never heard of,
    // matched the one purchase still waiting there, which became FAILED for good (FAILED is
    // final: its own order_closed could not undo it). A refusal that reached Adyen (a third-party
    // error, or payment_refused) is now kept for an hour as a possible owner of such a failure:
    // the failure waits (parked under Payway's order id) instead. The price: a waiting purchase's
    // own failure in that hour waits as well, its order PENDING (never FAILED by a guess).
    it('a refused purchase\'s payment_failure under a reused reference does not fail the purchase waiting there', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      payway.answers = () => error(402, 'payment_refused', { field: null, correlationId: 'adyen-declined' });
      expect((await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference }) }, shop)).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference, orderId: 'ADEPRIMO-DECLINED' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-WAITING' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED' });
    });

    it('a refusal of the request itself (no payment reached Adyen) is forgotten: a failure under the reference is the waiting purchase\'s', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      payway.answers = () => error(400, 'invalid_discount_code', { field: 'discount_code' });
      expect((await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference }) }, shop)).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference, orderId: 'ADEPRIMO-WAITING-FAILED' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'FAILED' });
    });

    it.each(['flat', 'reference only'] as const)('the waiting purchase\'s own failure beside a refused attempt (%s): PENDING, not FAILED by a guess, and the order says why', async (naming) => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      payway.answers = () => error(402, 'payment_refused', { field: null, correlationId: 'adyen-declined' });
      expect((await gql(gateway.url, PLACE_ADYEN_ORDER, { input: input({ merchantReference: reference }) }, shop)).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_REJECTED');
      const about = naming === 'flat' ? { merchantReference: reference, orderId: 'ADEPRIMO-WHOSE' } : { merchantReference: reference };
      expect(await sendEvent(gateway.url, eventBody('payment_failure', about, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const told = await read(waiting.id);
      expect(told).toMatchObject({ status: 'PENDING' });
      expect(told.providerOrderId ?? null).toBeNull();
      expect(told.creation.infos.filter((info) => info.code === 'payway.failure_unplaced')).toHaveLength(1);
      // Its own order_closed still settles it.
      const closed = `ADEPRIMO-WAITED-${randomUUID().slice(0, 8)}`;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: closed }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: closed });
    });
  });
});
