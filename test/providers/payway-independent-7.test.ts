/**
 * Round seven of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): where the adapter decides "money moved" or "this
 * is final", and the purchase's money as each step shows it. The harness's closing money check
 * (new this round for Payway) fails the suite if any order shows a charge Payway did not make.
 *
 * - A third-party (Adyen) error answered with a 5xx and Payway's error body, a correlation id in
 *   it (an Adyen timeout relayed): Payway's refusal to the client (CONTRACT §7), but the payment's
 *   outcome unknown. Fixed: the retry with the same key placed it again (round six's it.fails).
 *   Followed to the purchase's event; two clients with one key at once; the client placing it
 *   again under its reference with a new key; told apart from the refusals that are final (a 4xx,
 *   a code that ends the purchase, a 500 of Payway's own).
 * - A completed purchase's late order_closed naming only the merchant reference and the receipt
 *   its `complete` answer gave, also once a campaign code's 100 later purchases pushed its attempt
 *   out of the index. Fixed: it settled the purchase waiting under the reference.
 * - The purchase's money at each step (3-D Secure, pending, its event, the event again), priced
 *   by payment_methods in EUR minor units or in the stated major units.
 * - A continue and the purchase's event at once (the event closes it while perform_additional_
 *   action is under way; a complete answer and its order_closed together); two continues with
 *   the same fingerprint at once, the first answered with the challenge. Fixed: the second sent
 *   the fingerprint result to Payway as the challenge's.
 * - The purchase index busy before place_order is sent, or once Payway answered. Fixed: the
 *   retry with the same key was PROVIDER_UNAVAILABLE for a day, though nothing had been sent; a
 *   purchase Payway completed was answered PROVIDER_UNAVAILABLE with no order stored.
 */
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { eventually } from '../support/gateway.js';
import { actionRequired, complete, error, eventBody, hex24, pending, PERFORM_ACTION, PLACE_ORDER, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness, STATED } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round seven', () => {
  const harness = independentPaywayHarness('-7');
  const { SECRET, place, placeOk, continueWith, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  describe('a third-party error answered with a 5xx: the payment\'s outcome unknown', () => {
    /** place_order answers Adyen's timeout relayed as a 500; the client is told Payway's words. Answers the reference sent. */
    async function adyenTimesOut(key: string, overrides: Record<string, unknown> = {}): Promise<string> {
      const correlationId = `adyen-${randomUUID()}`;
      payway.answers = () => error(500, 'third_party_error', { field: null, correlationId });
      const refused = await place({ idempotencyKey: key, ...overrides });
      expect(refused.data?.placeAdyenOrder ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'third_party_error', correlationId });
      return harness.lastPlaced().body.merchant_reference as string;
    }

    it('the retry with the same key places nothing, and answers the order once Payway\'s order_closed came', async () => {
      const key = `adyen-timeout-${randomUUID()}`;
      const reference = await adyenTimesOut(key);
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const retry = await place({ idempotencyKey: key });
      // Not placed again, and not said to be absent either: Payway may still close it.
      expect(retry.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      // Adyen authorised it after all, and Payway closes the order.
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId, total: { amount: STATED.amount, currency: STATED.currency } });
      expect(await read(known.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('its payment_failure naming only the reference: the retry with the same key answers the failed order, no money shown', async () => {
      const key = `adyen-timeout-${randomUUID()}`;
      const reference = await adyenTimesOut(key);
      const placed = payway.to(PLACE_ORDER).length;
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'FAILED' });
      expect(known.payments.every((payment) => payment.status !== 'CAPTURED')).toBe(true);
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('its order_closed overtaking the 5xx answer: the retry with the same key answers the order, placing nothing', async () => {
      const key = `adyen-timeout-${randomUUID()}`;
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      let status = 0;
      payway.answers = () => ({
        ...error(500, 'third_party_error', { field: null, correlationId: `adyen-${randomUUID()}` }),
        before: async () => void (status = await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'in-data'), SECRET, 'hmac-hex')),
      });
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      expect(status).toBeLessThan(300);
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const known = await eventually(async () => (await place({ idempotencyKey: key, merchantReference: reference })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId, payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    // The client was told Payway refused the purchase (PROVIDER_REJECTED), so it may well place it
    // again, with a new key, under its own reference: that purchase's events are still its own.
    it('placed again under the same reference with a new key, pending: its order_closed naming only the reference settles it', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const key = `adyen-timeout-${randomUUID()}`;
      await adyenTimesOut(key, { merchantReference: reference });
      payway.answers = () => pending();
      const again = await placeOk({ merchantReference: reference, idempotencyKey: `again-${randomUUID()}` });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(again.id)).toMatchObject({ status: 'CAPTURED', payments: [{ status: 'CAPTURED', capturedAmount: { amount: STATED.amount } }] });
      // The first attempt is still not placed again.
      const placed = payway.to(PLACE_ORDER).length;
      expect((await place({ idempotencyKey: key, merchantReference: reference })).errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('placed again under the same reference, pending: a payment_failure naming only the reference does not fail it on a guess', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      await adyenTimesOut(`adyen-timeout-${randomUUID()}`, { merchantReference: reference });
      payway.answers = () => pending();
      const again = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      // Either purchase's failure: the waiting one is told, and keeps waiting for its own end.
      expect(await read(again.id)).toMatchObject({ status: 'PENDING' });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(again.id)).toMatchObject({ status: 'CAPTURED' });
    });

    it('two clients placing with the same key at once, Payway slow to relay Adyen\'s timeout: place_order once', async () => {
      const key = `adyen-timeout-${randomUUID()}`;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => ({ ...error(500, 'third_party_error', { field: null, correlationId: `adyen-${randomUUID()}` }), before: () => new Promise((resolve) => setTimeout(resolve, 300)) });
      const results = await Promise.all([place({ idempotencyKey: key }), place({ idempotencyKey: key })]);
      expect(results.map((result) => result.errors?.[0]?.extensions?.code).sort()).toEqual(['PROVIDER_REJECTED', 'PROVIDER_UNAVAILABLE']);
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed + 1);
    });

    it.each([
      ['a 4xx with a correlation id (Adyen refused the payment)', () => error(422, 'adyen_refused', { field: null, correlationId: `adyen-${randomUUID()}` })],
      ['a 500 whose code ends the purchase', () => error(500, 'payment_refused', { field: null, correlationId: `adyen-${randomUUID()}` })],
      ['a 500 of Payway\'s own (no correlation id: not a third-party error)', () => error(500, 'internal_error', { field: null })],
    ] as const)('%s made nothing: the retry with the same key places the purchase', async (_name, answer) => {
      const key = `final-refusal-${randomUUID()}`;
      payway.answers = () => answer();
      expect((await place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const retry = await place({ idempotencyKey: key });
      expect(retry.data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED' });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed + 1);
    });
  });

  describe('a completed purchase\'s late order_closed naming only the reference and its receipt', () => {
    // Round five left a completed purchase's late order_closed naming only the merchant reference
    // taken for the purchase waiting under it (CAPTURED, no money moved for it). One that names
    // the receipt the `complete` answer gave (the seed: "receipt_id" identifies the payment made)
    // is now that purchase's.
    it.each([
      ['its receipt_id beside the reference', (reference: string, receiptId: string) => eventBody('order_closed', { merchantReference: reference, receiptId }, 'nested-data')],
      ['a receipt object, as Payway\'s events overview', (reference: string, receiptId: string) => ({ event: 'order_closed', timestamp: new Date().toISOString(), payload: { order: { merchant_reference: reference }, receipt: { id: receiptId } } })],
    ] as const)('%s: the purchase waiting under the reference stays PENDING, and its own event still settles it', async (_name, build) => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const receiptId = hex24();
      payway.answers = () => complete({ receiptId, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      const completed = await placeOk({ merchantReference: reference });
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, build(reference, receiptId), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
      expect(await read(completed.id)).toMatchObject({ status: 'CAPTURED' });
      // The waiting purchase's own end, naming only the reference (its pending answer named nothing).
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED' });
    });

    it('completed through perform_additional_action: its late order_closed naming the reference and receipt is still its own', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const receiptId = hex24();
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const continued = await placeOk({ merchantReference: reference });
      payway.answers = () => complete({ receiptId });
      expect((await continueWith(continued.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).data?.continueOrderCreation.status).toBe('CAPTURED');
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, receiptId }, 'in-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
    });
  });

  describe('the purchase\'s money at each step', () => {
    const money = (order: { status: string; total: { amount: string; currency: string }; payments: { status: string; amount: { amount: string } | null; capturedAmount: { amount: string } | null }[] }) => ({
      status: order.status,
      total: `${order.total.amount} ${order.total.currency}`,
      captured: order.payments.map((payment) => Number(payment.capturedAmount?.amount ?? 0)),
    });

    it.each([
      ['EUR from payment_methods in minor units (a Finnish purchase)', { currency: 'EUR', value: 990 }, { amount: '9.90', currency: 'EUR' }, '9.90 EUR', 9.9],
      ['the stated price written in major units by payment_methods', { currency: 'SEK', value: 149 }, { amount: '149', currency: 'SEK' }, '149.00 SEK', 149],
    ] as const)('%s: nothing captured until Payway closes the purchase, then the total once', async (_name, periodPrice, stated, total, captured) => {
      payway.options = { ...payway.options, paymentMethods: 'priced', periodPrice };
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const order = await placeOk(stated);
      expect(money(order)).toMatchObject({ status: 'ACTION_REQUIRED', total, captured: [0] });
      payway.answers = () => pending();
      const continued = (await continueWith(order.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' })).data!.continueOrderCreation;
      expect(money(continued)).toMatchObject({ status: 'PENDING', total, captured: [0] });
      expect(money(await read(order.id))).toMatchObject({ status: 'PENDING', total, captured: [0] });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const event = eventBody('order_closed', { merchantReference: reference, orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` }, 'nested-data');
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(money(await read(order.id))).toEqual({ status: 'CAPTURED', total, captured: [captured] });
      // The event again (Payway redelivers): the same money, not twice.
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(money(await read(order.id))).toEqual({ status: 'CAPTURED', total, captured: [captured] });
    });
  });

  describe('a continue and the purchase\'s event at once', () => {
    it('the event closes the purchase while perform_additional_action is under way and then asks for a challenge: CAPTURED, nothing left to continue', async () => {
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const order = await placeOk();
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      let status = 0;
      payway.answers = () => ({
        ...actionRequired(null, { type: 'threeDS2Challenge', token: 'eyJjaGFsbGVuZ2UiOiJ5ZXMifQ' }),
        before: async () => void (status = await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'flat'), SECRET, 'hmac-hex')),
      });
      await continueWith(order.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' });
      const after = await eventually(async () => {
        const seen = await read(order.id);
        return seen.status === 'CAPTURED' ? seen : undefined;
      }, 3000);
      expect({ status, providerOrderId: after.providerOrderId, payments: after.payments.map((payment) => payment.status) }).toMatchObject({ providerOrderId: paywayOrderId, payments: ['CAPTURED'] });
      expect(status).toBeLessThan(300);
      // A closed purchase has no step left: continuing it sends nothing to Payway.
      const sent = payway.to(PERFORM_ACTION).length;
      const again = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(payway.to(PERFORM_ACTION)).toHaveLength(sent);
      expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
      expect((await read(order.id)).creation.status).not.toBe('STOPPED');
    });

    // Two continues of one purchase at once (a double-submitted fingerprint) send Adyen's details
    // once, and the second is then judged against the order the first left. Before, when the
    // first answer asked for a further step (the challenge), the second sent its fingerprint
    // result to Payway as the challenge's: Adyen may refuse that authentication, which ends the
    // purchase (FAILED) though the shopper was about to complete it.
    it('two continues with the same fingerprint at once, the first asked for the challenge: the second sends nothing, the challenge still completes', async () => {
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const order = await placeOk();
      const fingerprint = { 'threeds2.fingerprint': `eyJ0aHJlZURTQ29tcEluZCI6IlkifQ-${randomUUID()}` };
      const before = payway.to(PERFORM_ACTION).length;
      payway.answers = (request) =>
        request.body?.details?.['threeds2.fingerprint']
          ? payway.to(PERFORM_ACTION).length - before === 1
            ? { ...actionRequired(null, { type: 'threeDS2Challenge', token: 'eyJjaGFsbGVuZ2UiOiJ5ZXMifQ' }), before: () => new Promise((resolve) => setTimeout(resolve, 300)) }
            : error(422, 'payment_refused', { field: null, correlationId: `adyen-${randomUUID()}` })
          : complete();
      const results = await Promise.all([continueWith(order.id, fingerprint), continueWith(order.id, fingerprint)]);
      expect(payway.to(PERFORM_ACTION).length - before).toBe(1);
      expect(results.map((result) => result.data?.continueOrderCreation?.status ?? result.errors?.[0]?.extensions?.code).sort()).toEqual(['ACTION_REQUIRED', 'INVALID_STATE']);
      expect(await read(order.id)).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'threeDS2Challenge' } } } });
      const challenged = await continueWith(order.id, { 'threeds2.challengeResult': 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(challenged.data?.continueOrderCreation).toMatchObject({ status: 'CAPTURED' });
    });

    it('the same step asked again after a result: the same result may be sent to it again', async () => {
      const session = `s-${randomUUID()}`;
      payway.answers = () => actionRequired(session);
      const order = await placeOk();
      const fingerprint = { 'threeds2.fingerprint': `eyJ0aHJlZURTQ29tcEluZCI6IlkifQ-${randomUUID()}` };
      // Payway asks for the same fingerprint step again (the seed's action, the same token).
      expect((await continueWith(order.id, fingerprint)).data?.continueOrderCreation.status).toBe('ACTION_REQUIRED');
      payway.answers = () => complete();
      const sent = payway.to(PERFORM_ACTION).length;
      expect((await continueWith(order.id, fingerprint)).data?.continueOrderCreation.status).toBe('CAPTURED');
      expect(payway.to(PERFORM_ACTION)).toHaveLength(sent + 1);
    });

    it('perform_additional_action completes while the same purchase\'s order_closed comes: one payment, captured once', async () => {
      payway.answers = () => actionRequired(`s-${randomUUID()}`);
      const order = await placeOk();
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      payway.answers = () => ({
        ...complete({ orderId: paywayOrderId }),
        before: async () => void (await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'nested-data'), SECRET, 'hmac-hex')),
      });
      const continued = await continueWith(order.id, { 'threeds2.fingerprint': 'eyJ0aHJlZURTQ29tcEluZCI6IlkifQ==' });
      expect(continued.data?.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId });
      const seen = await read(order.id);
      expect(seen.payments).toHaveLength(1);
      expect(seen.payments[0]).toMatchObject({ status: 'CAPTURED', capturedAmount: { amount: STATED.amount } });
    });
  });

  describe('the purchase index busy before anything is sent', () => {
    // The adapter records the attempt under its merchant reference before place_order, under a
    // short lock per reference. Before, a failure there (the lock held past its wait, as another
    // instance's long write or a store hiccup holds it) counted as a lost answer though nothing
    // had been sent: the retry with the same key was PROVIDER_UNAVAILABLE for the intent's day.
    it('the creation fails having sent nothing, and the retry with the same key places the purchase', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const key = `index-busy-${randomUUID()}`;
      const kv = harness.parts.env.newStore().kv;
      const lock = `payway:purchase-lock:${createHash('sha256').update(reference).digest('base64url')}`;
      expect(await kv.setIfAbsent(lock, 'another-instance', 10_000)).toBe(true);
      const placed = payway.to(PLACE_ORDER).length;
      const busy = await place({ merchantReference: reference, idempotencyKey: key });
      expect(busy.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      await kv.delete(lock);
      const retry = await place({ merchantReference: reference, idempotencyKey: key });
      expect(retry.data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED' });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed + 1);
    }, 10_000);

    // After Payway's answer the attempt is marked placed under the same lock. Before, a failure
    // there was thrown as it came: Payway had charged the shopper, and the client was told
    // PROVIDER_UNAVAILABLE with no order stored (the retry with the same key waited for the event).
    it('busy once Payway answered complete: the purchase is still CAPTURED at once', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const kv = harness.parts.env.newStore().kv;
      const lock = `payway:purchase-lock:${createHash('sha256').update(reference).digest('base64url')}`;
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      payway.answers = () => ({ ...complete({ orderId: paywayOrderId }), before: async () => void (await kv.setIfAbsent(lock, 'another-instance', 10_000)) });
      const placed = await place({ merchantReference: reference });
      await kv.delete(lock);
      expect(placed.data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId, payments: [{ capturedAmount: { amount: STATED.amount } }] });
    }, 10_000);
  });

  describe('a campaign code past the index\'s 100 attempts', () => {
    it('a redelivered order_closed naming a completed purchase\'s own Payway order, dropped from the index, does not settle the purchase waiting there', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const firstOrderId = `ADEPRIMO-FIRST-${randomUUID().slice(0, 8)}`;
      payway.answers = () => complete({ orderId: firstOrderId });
      const first = await placeOk({ merchantReference: reference });
      payway.answers = () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 10 }, () => placeOk({ merchantReference: reference })));
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: firstOrderId }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING', providerOrderId: null });
      expect(await read(first.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: firstOrderId });
    }, 20_000);

    it('a late order_closed naming only the code and a completed purchase\'s receipt, its attempt dropped from the index, does not settle the purchase waiting there', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      const receiptId = hex24();
      payway.answers = () => complete({ receiptId });
      await placeOk({ merchantReference: reference });
      payway.answers = () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 10 }, () => placeOk({ merchantReference: reference })));
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, receiptId }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'PENDING' });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED' });
    }, 20_000);
  });
});
