/**
 * The Payway adapter against an implementation we did not write: test/support/independent/payway-server.ts,
 * built from the seed alone (and CONTRACT §8's perform_additional_action / payment_methods). Each
 * flow a merchant uses goes through GraphQL over real HTTP, under the variations the seed leaves
 * open (see /work/tasks/payway-seed-freedoms.md): content types, missing optional fields, extra
 * fields, field order, error statuses 400..500 and error bodies with or without their optional
 * parts, Adyen actions of other types, a second action without its session_reference, event
 * bodies and signatures of several shapes, an event that overtakes place_order's answer, and a
 * Payway with no read-back of a purchase at all (reconciliation must not depend on one).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { APPLY_EVENTS, CONTINUE_ORDER, LIST_ORDERS, PLACE_ADYEN_ORDER, type OrderView } from '../support/documents.js';
import { eventually, type TestEnvironment } from '../support/gateway.js';
import { gql, gqlOk } from '../support/graphql.js';
import {
  actionRequired,
  complete,
  error,
  eventBody,
  hex24,
  pending,
  PAYMENT_METHODS,
  PERFORM_ACTION,
  PLACE_ORDER,
  sendEvent,
  startIndependentPayway,
  type Answer,
  type EventShape,
  type EventSigning,
  type IndependentPayway,
  type ItemShape,
} from '../support/independent/payway-server.js';
import { CARD, independentPaywayHarness } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation of the seed', () => {
  const harness = independentPaywayHarness('');
  const { TOKEN, SECRET, input, place, placeOk, continueWith, read, lastPlaced } = harness;
  let env: TestEnvironment;
  let gateway: Gateway;
  let payway: IndependentPayway;
  let shop: string;
  let backOffice: string;
  beforeAll(() => ({ env, gateway, payway, shop, backOffice } = harness.parts));
  /** Orders the gateway stored under a merchant reference (to prove a refused purchase stored none). */
  const storedUnder = async (reference: string): Promise<OrderView[]> =>
    (await gqlOk<{ orders: { nodes: OrderView[] } }>(gateway.url, LIST_ORDERS, { filter: { provider: 'PAYWAY', reference } }, backOffice)).orders.nodes;

  describe('place_order: the seed\'s request', () => {
    it('the body is the parameter table in snake_case, nothing else, with the bearer token (a strict Payway takes it)', async () => {
      const before = payway.to(PLACE_ORDER).length;
      const order = await placeOk({ merchantReference: 'adeprimo-campaign-001', discountCode: 'code' });
      expect(order.status).toBe('CAPTURED');
      const sent = payway.to(PLACE_ORDER);
      expect(sent).toHaveLength(before + 1);
      expect(sent.at(-1)!.body).toMatchObject({
        payment_method: CARD,
        product_code: 'package_code',
        period_id: '5e4beac909c04c404a46c730',
        return_url: 'https://returnurl.com',
        origin: 'https://example.purchase.org',
        merchant_reference: 'adeprimo-campaign-001',
        discount_code: 'code',
        browser_info: { browser_ip: '127.0.0.1', color_depth: 24, java_enabled: true },
        delivery_address: { first_name: 'Donald', country_code: 'SE' },
      });
    });

    it('only the required fields (no delivery address, no optional field): a strict Payway takes it', async () => {
      const order = await placeOk({ trafficSource: undefined, subscriptionStartDate: undefined, deliveryAddress: undefined });
      expect(order.status).toBe('CAPTURED');
      expect(lastPlaced().body).not.toHaveProperty('delivery_address');
    });
  });

  describe('complete, as the seed leaves it open', () => {
    const shapes: [string, ItemShape][] = [
      ['exactly as the seed shows it', {}],
      ['no Content-Type on the 200', { contentType: null }],
      ['"application/JSON" as the seed writes it', { contentType: 'application/JSON' }],
      ['"application/json; charset=utf-8"', { contentType: 'application/json; charset=utf-8' }],
      ['without its message', { omitMessage: true }],
      ['fields the seed does not show, in item and beside it', { extraItem: { psp_reference: 'K8Q2', amount: null, customer_id: 7 }, extraTop: { meta: { version: '4.2.0' } } }],
      ['fields in reverse order', { reverse: true }],
      ['JSON labelled text/plain', { contentType: 'text/plain' }],
      ['the word as a heading writes it ("Complete")', { statusWord: 'Complete' }],
    ];
    it.each(shapes)('%s -> CAPTURED with Payway\'s order id and receipt', async (_name, shape) => {
      const receiptId = hex24();
      const orderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      payway.answers = () => complete({ receiptId, orderId }, shape);
      const order = await placeOk();
      expect(order).toMatchObject({
        provider: 'PAYWAY',
        status: 'CAPTURED',
        providerOrderId: orderId,
        total: { amount: '149.00', currency: 'SEK' },
        creation: { status: 'COMPLETED' },
        payments: [{ status: 'CAPTURED', providerReference: receiptId, capturedAmount: { amount: '149.00' } }],
      });
      expect((await read(order.id)).status).toBe('CAPTURED');
    });
  });

  describe('pending, then Payway\'s events', () => {
    const cases: [EventShape, EventSigning][] = [
      ['flat', 'hmac-hex'],
      ['nested-data', 'hmac-base64-timestamped'],
      ['item-like', 'bearer-secret'],
    ];
    it.each(cases)('order_closed as a %s body signed %s -> CAPTURED (source WEBHOOK); a duplicate changes nothing', async (shape, signing) => {
      payway.answers = () => pending({ omitMessage: shape === 'flat' });
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'PENDING', providerOrderId: null, payments: [{ status: 'PENDING' }] });
      const reference = lastPlaced().body.merchant_reference as string;
      expect(reference).toBeTruthy();
      const event = eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 6)}`, receiptId: hex24() }, shape);
      expect(await sendEvent(gateway.url, event, SECRET, signing)).toBeLessThan(300);
      const closed = await read(order.id);
      expect(closed).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(closed.events.at(-1)).toMatchObject({ status: 'CAPTURED', source: 'WEBHOOK' });
      expect(await sendEvent(gateway.url, event, SECRET, signing)).toBeLessThan(300);
      expect((await read(order.id)).events).toHaveLength(closed.events.length);
    });

    it.each(['flat', 'nested-data', 'item-like'] as EventShape[])('payment_failure as a %s body -> FAILED', async (shape) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, shape), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'FAILED', payments: [{ status: 'FAILED' }] });
    });

    it('order_closed naming no Payway order, only the merchant_reference (the pending answer named none) -> CAPTURED; a duplicate changes nothing', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'nested-data');
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      const closed = await read(order.id);
      expect(closed).toMatchObject({ status: 'CAPTURED', providerStatus: 'order_closed', payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(order.id)).events).toHaveLength(closed.events.length);
    });

    it.each([
      ['unlabelled', null],
      ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
    ] as [string, string | null][])('an event %s is read like any other', async (_name, contentType) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const event = eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 6)}` }, 'flat');
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex', contentType)).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });

    it('pending after 3-D Secure (perform_additional_action answers pending), then order_closed naming only the reference -> CAPTURED', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired('s-then-pending') : pending({ statusWord: 'Pending' }));
      const order = await placeOk();
      const waiting = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(waiting.data?.continueOrderCreation).toMatchObject({ status: 'PENDING' });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: lastPlaced().body.merchant_reference }, 'item-like'), SECRET, 'hmac-base64-timestamped')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED' }] });
    });

    it('an event naming only a merchant reference two waiting purchases share (a reused campaign code) is refused (400) and settles neither', async () => {
      payway.answers = () => pending();
      const reference = `campaign-${randomUUID()}`;
      const first = await placeOk({ merchantReference: reference });
      const second = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBe(400);
      expect((await read(first.id)).status).toBe('PENDING');
      expect((await read(second.id)).status).toBe('PENDING');
    });

    it('a signed event naming only a merchant reference no purchase of this gateway has is acknowledged and changes nothing', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: `elsewhere-${randomUUID()}` }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });

    it('the merchant\'s own merchant_reference links the event too', async () => {
      payway.answers = () => pending();
      const reference = `campaign-${randomUUID()}`;
      const order = await placeOk({ merchantReference: reference });
      expect(lastPlaced().body.merchant_reference).toBe(reference);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: 'ADEPRIMO-77' }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-77' });
    });

    it.each(['none', 'wrong-secret'] as EventSigning[])('an event signed %s is 401 and changes nothing', async (signing) => {
      payway.answers = () => pending();
      const order = await placeOk();
      const reference = lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, signing)).toBe(401);
      expect(await read(order.id)).toMatchObject({ status: 'PENDING', events: order.events.map((event) => ({ id: event.id })) });
    });

    it('the event overtakes place_order\'s answer (Payway had Adyen\'s result first) -> the order still ends CAPTURED', async () => {
      payway.answers = (request) => ({
        ...pending(),
        before: async () => {
          const status = await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: request.body.merchant_reference, orderId: 'ADEPRIMO-EARLY' }, 'flat'), SECRET, 'hmac-hex');
          // Payway retries an event that was not taken; one that was parked is taken.
          if (status >= 300 && status !== 503 && status !== 409 && status !== 404) throw new Error(`early event answered ${status}`);
        },
      });
      const order = await placeOk();
      const settled = await eventually(async () => {
        const now = await read(order.id);
        return now.status === 'CAPTURED' ? now : undefined;
      }, 3000).catch(async () => read(order.id));
      expect(settled.status).toBe('CAPTURED');
    });

    it('an event naming only the reference overtakes place_order\'s answer -> taken (parked for the order), which ends CAPTURED', async () => {
      let early = 0;
      payway.answers = (request) => ({
        ...pending(),
        before: async () => {
          early = await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: request.body.merchant_reference }, 'nested-data'), SECRET, 'hmac-hex');
        },
      });
      const order = await placeOk();
      expect(early).toBeLessThan(300);
      await eventually(async () => (await read(order.id)).status === 'CAPTURED', 3000);
    });

    it('reconciliation of a waiting purchase asks Payway for nothing the seed does not show, and the order stays PENDING without errors', async () => {
      payway.answers = () => pending();
      const order = await placeOk();
      const since = payway.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      const unseen = payway.requests.slice(since).filter((request) => ![PLACE_ORDER, PERFORM_ACTION, PAYMENT_METHODS].includes(request.path));
      expect(unseen.map((request) => `${request.method} ${request.path}`)).toEqual([]);
      const now = await read(order.id);
      expect(now.status).toBe('PENDING');
      expect(now.creation.infos.map((info) => info.code)).not.toContain('provider.unknown_status');
    });
  });

  describe('action_required and perform_additional_action', () => {
    it('the seed\'s fingerprint action -> ACTION_REQUIRED THREE_DS; continuing posts {details, session_reference, origin} -> complete -> CAPTURED', async () => {
      const session = `session-${randomUUID()}`;
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(session) : complete({ orderId: 'ADEPRIMO-3DS' }));
      const order = await placeOk();
      expect(order).toMatchObject({
        status: 'ACTION_REQUIRED',
        creation: { status: 'STOPPED', stopAction: { type: 'THREE_DS', threeDS: { type: 'threeDS2Fingerprint', token: 'eyJ0aHJlZURTTWV0aG9kTm90aWZpY...', paymentMethodType: 'scheme', sessionReference: session } } },
      });
      const details = { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' };
      const done = await continueWith(order.id, details);
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-3DS', creation: { status: 'COMPLETED' } });
      expect(payway.to(PERFORM_ACTION).at(-1)!.body).toEqual({ details, session_reference: session, origin: 'https://example.purchase.org' });
    });

    it('an action with Adyen\'s extra fields, in any field order, is carried as given', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER
          ? actionRequired('s-extra', { type: 'threeDS2Challenge', subtype: 'challenge', authorisationToken: 'Ab02b4c0', paymentData: 'Ab02...' }, { reverse: true, contentType: null })
          : pending();
      const order = await placeOk();
      expect(order.creation.stopAction).toMatchObject({ threeDS: { type: 'threeDS2Challenge', sessionReference: 's-extra' } });
      const next = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(next.data?.continueOrderCreation).toMatchObject({ status: 'PENDING' });
    });

    it('a redirect action (Adyen: url and method, no token) -> ACTION_REQUIRED REDIRECT to its url; continued with the redirect\'s parameters', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER
          ? actionRequired('s-redirect', { type: 'redirect', url: 'https://test.adyen.com/hpp/3d/validate.shtml', method: 'GET', paymentMethodType: 'ideal', token: undefined })
          : complete({ orderId: 'ADEPRIMO-RED' });
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: 'https://test.adyen.com/hpp/3d/validate.shtml', threeDS: { type: 'redirect', sessionReference: 's-redirect' } } } });
      const done = await gql<{ continueOrderCreation: OrderView }>(
        gateway.url,
        CONTINUE_ORDER,
        { input: { orderId: order.id, redirectResult: { status: 'SUCCESS', parameters: [{ name: 'redirectResult', value: 'X6XtfGC3!Y' }] } } },
        shop,
      );
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: 'ADEPRIMO-RED' });
      expect(payway.to(PERFORM_ACTION).at(-1)!.body).toMatchObject({ details: { redirectResult: 'X6XtfGC3!Y' }, session_reference: 's-redirect' });
    });

    it('a second action_required without session_reference (the session goes on) is continued under the first one', async () => {
      const before = payway.to(PERFORM_ACTION).length;
      payway.answers = (request) => {
        if (request.path === PLACE_ORDER) return actionRequired('s-first');
        // The first perform_additional_action asks for a challenge in the same session, naming none.
        return payway.to(PERFORM_ACTION).length === before + 1 ? actionRequired(null, { type: 'threeDS2Challenge', token: 'challenge-token' }) : complete();
      };
      const order = await placeOk();
      const second = await continueWith(order.id, { 'threeds2.fingerprint': 'fp' });
      expect(second.errors).toBeUndefined();
      expect(second.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'threeDS2Challenge', token: 'challenge-token' } } } });
      const done = await continueWith(order.id, { 'threeds2.challengeResult': 'ok' });
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation.status).toBe('CAPTURED');
      expect(payway.to(PERFORM_ACTION).at(-1)!.body.session_reference).toBe('s-first');
    });

    it('continuing a purchase that is already complete is INVALID_STATE and asks Payway nothing', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired('s-done') : complete());
      const order = await placeOk();
      expect((await continueWith(order.id, { 'threeds2.fingerprint': 'fp' })).data?.continueOrderCreation.status).toBe('CAPTURED');
      const calls = payway.to(PERFORM_ACTION).length;
      const again = await continueWith(order.id, { 'threeds2.fingerprint': 'fp' });
      expect(again.errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect(payway.to(PERFORM_ACTION)).toHaveLength(calls);
    });

    it('perform_additional_action answering an error -> PROVIDER_REJECTED with Payway\'s code; the action stays open', async () => {
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired('s-err') : error(422, 'invalid_details', { field: 'details' }));
      const order = await placeOk();
      const refused = await continueWith(order.id, { 'threeds2.fingerprint': 'fp' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'invalid_details', providerField: 'details' });
      expect(await read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED' });
    });
  });

  describe('Payway\'s errors (status between 400 and 500)', () => {
    const cases: [string, Answer, Record<string, unknown>][] = [
      ['400 with every part', error(400, 'invalid_parameter', { field: 'period_id', correlationId: 'corr-1' }), { providerCode: 'invalid_parameter', providerField: 'period_id', correlationId: 'corr-1' }],
      ['404', error(404, 'period_not_found', { field: 'period_id' }), { providerCode: 'period_not_found', providerField: 'period_id' }],
      ['409 as application/json', error(409, 'purchase_in_progress', { field: null, contentType: 'application/json' }), { providerCode: 'purchase_in_progress' }],
      ['422 with Adyen\'s troubleshooting data', error(422, 'adyen_error', { field: null, correlationId: 'c-3p', extra: { details: { pspReference: 'PSP1', refusalReason: 'Refused' } } }), { providerCode: 'adyen_error', correlationId: 'c-3p' }],
      ['500 with Payway\'s body', error(500, 'internal_error', { field: null }), { providerCode: 'internal_error' }],
    ];
    it.each(cases)('%s -> PROVIDER_REJECTED with what Payway gave; no order stored', async (_name, answer, extensions) => {
      payway.answers = () => answer;
      const reference = `err-${randomUUID()}`;
      const result = await place({ merchantReference: reference });
      expect(result.data?.placeAdyenOrder ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', ...extensions });
      expect(await storedUnder(reference)).toEqual([]);
    });

    // CONTRACT §7's Payway row: a 4xx with Payway's error body is PROVIDER_REJECTED with its
    // code, a 401/403 too (the seed: every error carries the body; a token without the shopper's
    // identity is refused so). Without the body it is not Payway talking: PROVIDER_UNAVAILABLE.
    it.each([
      ['401 without correlation_id, field null', error(401, 'unauthorized', { field: null }), 'unauthorized'],
      ['403 without field', error(403, 'forbidden'), 'forbidden'],
      ['401 without a body', { status: 401, body: '', contentType: null }, undefined],
      ['403 with an HTML page', { status: 403, body: '<html>Forbidden</html>', contentType: 'text/html' }, undefined],
    ] as [string, Answer, string | undefined][])('%s (the gateway\'s own token refused) -> its code, naming no token; no order stored', async (_name, answer, code) => {
      payway.answers = () => answer;
      const reference = `auth-${randomUUID()}`;
      const result = await place({ merchantReference: reference });
      expect(result.data?.placeAdyenOrder ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject(code ? { code: 'PROVIDER_REJECTED', providerCode: code } : { code: 'PROVIDER_UNAVAILABLE' });
      expect(result.raw).not.toContain(TOKEN);
      expect(await storedUnder(reference)).toEqual([]);
    });
  });

  describe('idempotency', () => {
    it('the same key twice (at once) places one purchase at Payway and answers the same order', async () => {
      const key = `idem-${randomUUID()}`;
      const before = payway.to(PLACE_ORDER).length;
      const [a, b] = await Promise.all([placeOk({ idempotencyKey: key }), placeOk({ idempotencyKey: key })]);
      expect(a.id).toBe(b.id);
      expect(payway.to(PLACE_ORDER).length - before).toBe(1);
    });
  });

  describe('back office and payment_methods', () => {
    it('capture, refund and cancel are NOT_SUPPORTED (Payway has none), and nothing reaches Payway', async () => {
      const order = await placeOk();
      const since = payway.requests.length;
      for (const type of ['CAPTURE', 'REFUND', 'CANCEL']) {
        const result = await gql<{ applyOrderEvents: (OrderView | null)[] }>(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type, ...(type === 'CANCEL' ? {} : { amount: '1.00' }) }] }] }, backOffice);
        expect(result.data?.applyOrderEvents).toEqual([null]);
        expect(result.errors?.[0]?.extensions?.['code']).toBe('NOT_SUPPORTED');
      }
      expect(payway.requests.length).toBe(since);
    });

    it.each(['error500', 'slow'] as const)('payment_methods failing (%s) is asked once and holds the purchase up 2 s at most, whatever a provider call may take', async (paymentMethods) => {
      const failing = await startIndependentPayway({ token: TOKEN, strict: true, paymentMethods, slowMs: 6000 });
      const patient = await env.startGateway({ payway: { url: failing.url, token: TOKEN, webhookSecret: SECRET }, providerTimeoutMs: 8000 });
      try {
        const started = Date.now();
        const result = await gql<{ placeAdyenOrder: OrderView }>(patient.url, PLACE_ADYEN_ORDER, { input: input() }, shop);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(result.data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED', total: { amount: '149.00' } });
        expect(failing.to(PAYMENT_METHODS)).toHaveLength(1);
      } finally {
        await failing.close();
      }
    });

    it.each(['error500', 'slow'] as const)('payment_methods failing (%s) for several purchases at once does not stop the purchases themselves (the circuit breaker)', async (paymentMethods) => {
      const failing = await startIndependentPayway({ token: TOKEN, strict: true, paymentMethods, slowMs: 3000 });
      const other = await env.startGateway({ payway: { url: failing.url, token: TOKEN, webhookSecret: SECRET } });
      try {
        const results = await Promise.all(
          Array.from({ length: 8 }, () => gql<{ placeAdyenOrder: OrderView }>(other.url, PLACE_ADYEN_ORDER, { input: input() }, shop)),
        );
        const after = await gql<{ placeAdyenOrder: OrderView }>(other.url, PLACE_ADYEN_ORDER, { input: input() }, shop);
        expect([...results, after].map((result) => result.data?.placeAdyenOrder?.status ?? result.errors?.[0]?.extensions?.['code'])).toEqual(Array(9).fill('CAPTURED'));
      } finally {
        await failing.close();
      }
    });

    it('payment_methods not there (404) or without a price: the total is the stated one, with the Info', async () => {
      for (const paymentMethods of ['absent', 'adyen'] as const) {
        payway.options = { token: TOKEN, strict: true, paymentMethods };
        const order = await placeOk({ amount: '99.50' });
        expect(order).toMatchObject({ status: 'CAPTURED', total: { amount: '99.50', currency: 'SEK', minorUnits: 9950 } });
        expect((await read(order.id)).creation.infos.map((info) => info.code)).toContain('payway.total_as_stated');
      }
    });
  });
});
