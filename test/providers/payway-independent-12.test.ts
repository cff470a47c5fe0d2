/**
 * Round twelve of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): how a Payway may deliver several purchase events
 * at once, where a third-party error may say that it reached Adyen, Payway's figure written as a
 * decimal string, how a timed event signature may write its time, and one more of Adyen's results
 * that holds money.
 *
 * - Several events in one delivery under a key rather than as the JSON array itself: `items` (as
 *   Payway's API answers a list: the seed wraps one answer in `item`), with a `meta` beside it;
 *   `events`; `data` (a list object). No document shows an event, let alone a batch; round two
 *   took the bare array only. Fixed: the wrapper was read as one event naming nothing, so the
 *   delivery was 400 on every try and each purchase in it stayed PENDING though Payway had closed
 *   (charged) or failed it. The list is the batch now when the object holding it is no purchase
 *   event itself; an event of another kind carrying a list is still acknowledged and ignored.
 * - A third-party (Adyen) error whose `correlation_id` is absent, null or empty while its
 *   "additional data for troubleshooting" (seed) carries Adyen's `pspReference` (beside the
 *   error's properties or one object down, as round eight's result code; a string or Adyen's
 *   older all-digit number). Adyen gives every payment request it received a pspReference, so it
 *   says the request reached Adyen as the correlation id does. Fixed: such an error counted as a
 *   refusal that made nothing, so an Adyen timeout relayed as a 500 let the client's retry with
 *   the same idempotency key place the purchase a second time (two charges once Adyen authorised
 *   the first). The pspReference is the error's correlation id now (the client is given it); a
 *   4xx so answered is still a refusal the retry may place again, and a 500 of Payway's own with
 *   neither is still "made nothing" (README: Known limitations).
 * - Payway's figure (payment_methods' price, or Adyen's amount in place_order's answer) as a
 *   decimal string whose fraction is zero, `"12900.0"`: a minor-unit amount kept as a BigDecimal
 *   (Rails writes `BigDecimal("12900")` so), the same value round eight reads right when written
 *   as the JSON number 12900.0. Fixed: round eleven read any string with a decimal point as
 *   major units, so the total was 12900.00 SEK where 149.00 was shown (and, once complete, the
 *   captured amount: a hundred times what Payway charged). Such a string is the whole value now,
 *   read in the unit nearer the stated price as a number is; a fraction that is not zero
 *   (`"129.50"`) is major units as before, and so is any decimal string in another currency than
 *   the stated price's (nothing to be nearer to).
 * - A timed signature (an HMAC of "<timestamp>.<raw body>", the time in `X-Payway-Timestamp`)
 *   whose time is written as a Rails Payway interpolates a Time (Ruby's Time#to_s, "2026-12-06
 *   11:38:15 UTC" or with its offset), as an HTTP date, or as Unix seconds with a fraction
 *   (Time#to_f). No document names the scheme, let alone the time's format. Fixed: only seconds,
 *   milliseconds and ISO 8601 were read, so every event was 401 on every delivery and each
 *   pending purchase stayed PENDING though Payway had charged it. The time is part of what is
 *   signed, so reading its other spellings believes nothing the secret did not sign; an event
 *   so signed an hour ago (a replay) or with another secret is still 401.
 * - A 4xx refusal whose troubleshooting data carries Adyen's result `PartiallyAuthorised` (Adyen
 *   authorises part of the amount on a card without funds for the whole, where partial
 *   authorisations are on). Round eleven took `Authorised`, `Pending` and `Received` as "Adyen
 *   holds the money". Fixed: this one was a refusal that made nothing, so the client's retry with
 *   the same key asked Adyen for the payment again beside the part it held. It is an outcome
 *   unknown now: the retry places nothing, and the purchase's event settles it.
 *
 * Left as it was: the README's known limitations; round eleven's it.fails (Adyen's amount first
 * given after 3-D Secure). Looked at and holding: a batch's events redelivered (each fact once),
 * an event of another kind carrying a list, a 500 of Payway's own without a correlation id or a
 * pspReference (still "made nothing", as the README says).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { complete, error, eventBatch, eventBody, pending, PLACE_ORDER, sendEvent, sendRawEvent, writtenSigningTime, type IndependentPayway } from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, STATED, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round twelve', () => {
  const harness = independentPaywayHarness('-12');
  const { SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  /** A pending purchase and the merchant reference it was placed under. */
  const pendingPurchase = async () => {
    payway.answers = () => pending();
    const placed = await placeOk();
    return { id: placed.id, reference: harness.lastPlaced().body.merchant_reference as string };
  };

  describe('several events in one delivery, listed under a key', () => {
    it.each(['items', 'events', 'data'] as const)('under `%s`: the closed purchase is CAPTURED with its money, the failed one FAILED; a redelivery changes nothing', async (batch) => {
      const closed = await pendingPurchase();
      const failed = await pendingPurchase();
      const body = eventBatch(
        [eventBody('order_closed', { merchantReference: closed.reference, orderId: paywayOrder() }, 'flat'), eventBody('payment_failure', { merchantReference: failed.reference }, 'nested-data')],
        batch,
      );
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(closed.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect((await read(failed.id)).status).toBe('FAILED');
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      const again = await read(closed.id);
      expect(moneyOf(again)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(again.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('a batch naming itself (`{type: "batch", events: [...]}`) is read as its events', async () => {
      const purchase = await pendingPurchase();
      const body = { type: 'batch', events: [eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'in-item')] };
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-base64-timestamped')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('a batch under a key is still signed as one: a wrong signature is 401 and changes nothing', async () => {
      const purchase = await pendingPurchase();
      const body = eventBatch([eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'flat')], 'items');
      expect(await sendEvent(gateway.url, body, SECRET, 'wrong-secret')).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it('an event of another kind carrying a list of its own is acknowledged and changes nothing', async () => {
      const purchase = await pendingPurchase();
      const body = { event: 'account_updated', merchant_reference: purchase.reference, items: [{ code: 'package_code', quantity: 1 }] };
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it('a purchase event carrying its order lines under `items` is read as that one event', async () => {
      const purchase = await pendingPurchase();
      const body = { ...(eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'flat') as object), items: [{ code: 'package_code', quantity: 1 }] };
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });
  });

  describe("a third-party error carrying Adyen's pspReference in its troubleshooting data, without a correlation_id", () => {
    // Adyen gives every payment request it received a pspReference; the seed's "additional data
    // for troubleshooting" of a third-party error may carry it under Adyen's own name.
    it.each([
      ['a null correlation_id, the pspReference under additional_data', { correlation_id: null, additional_data: { pspReference: 'NC6HT9CRT65ZGN82', refusalReason: 'Acquirer timeout' } }],
      ['no correlation_id, psp_reference beside the error\'s properties', { psp_reference: 'QJ7P3KDWXLTZ5W92' }],
      ['an empty correlation_id, the pspReference as a number (Adyen\'s older all-digit references) under details', { correlation_id: '', details: { pspReference: 8815658961765250 } }],
    ] as const)('a 500 (an Adyen timeout relayed), %s: Payway\'s refusal to the client, but the retry with the same key places nothing, and its order_closed settles it', async (_name, extra) => {
      const key = `psp-${randomUUID()}`;
      payway.answers = () => error(500, 'third_party_error', { field: null, extra });
      const refused = await harness.place({ idempotencyKey: key });
      expect(refused.errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const retry = await harness.place({ idempotencyKey: key });
      // Not placed a second time: Adyen has the first payment, whose outcome is not known yet.
      expect(retry.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      const paywayOrderId = paywayOrder();
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId, payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('the client is given the pspReference as the correlation id', async () => {
      payway.answers = () => error(500, 'third_party_error', { field: null, extra: { correlation_id: null, additional_data: { pspReference: 'NC6HT9CRT65ZGN82' } } });
      const refused = await harness.place({ idempotencyKey: `psp-${randomUUID()}` });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', correlationId: 'NC6HT9CRT65ZGN82' });
    });

    it('a 422 so answered (Adyen refused, or Payway refused after asking it) is still a refusal that placed nothing: the retry with the same key places it', async () => {
      for (const extra of [{ additional_data: { pspReference: 'NC6HT9CRT65ZGN83', resultCode: 'Refused' } }, { psp_reference: 'NC6HT9CRT65ZGN84' }]) {
        const key = `psp-refused-${randomUUID()}`;
        payway.answers = () => error(422, 'third_party_error', { field: null, extra });
        expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
        payway.answers = () => complete();
        expect((await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED' });
      }
    });

    it("a 500 of Payway's own (no correlation_id, no pspReference) is still taken as made nothing (README: Known limitations)", async () => {
      const key = `own-500-${randomUUID()}`;
      payway.answers = () => error(500, 'internal_error', { field: null, extra: { correlation_id: null } });
      expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      payway.answers = () => complete();
      expect((await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED' });
    });
  });

  describe('Payway\'s figure as a decimal string whose fraction is zero ("12900.0": a minor-unit amount kept as a BigDecimal)', () => {
    it.each([
      ['payment_methods\' price "12900.0" SEK where 149.00 was shown', '"12900.0"', '129.00 SEK'],
      ['payment_methods\' price "12900.00" SEK where 149.00 was shown', '"12900.00"', '129.00 SEK'],
      ['payment_methods\' price "129.0" SEK (major units, round eleven) where 149.00 was shown', '"129.0"', '129.00 SEK'],
      ['payment_methods\' price 12900.0 written as a number (round eight) where 149.00 was shown', '12900.0', '129.00 SEK'],
    ] as const)('%s: the total is read as the same value written as a number is, and captured so once closed', async (_name, periodPriceText, total) => {
      payway.options = { token: harness.TOKEN, strict: true, paymentMethods: 'priced', periodPrice: { currency: 'SEK', value: 12_900 }, periodPriceText };
      const purchase = await pendingPurchase();
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'PENDING', total, captured: ['0.00'] });
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total, captured: [total.split(' ')[0]] });
    });

    it('place_order\'s complete carrying Adyen\'s amount {currency: "SEK", value: "12900.0"} where 149.00 was shown: 129.00 captured, never 12900.00', async () => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: { amount: { currency: 'SEK', value: '12900.0' } } });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it('a fraction that is not zero ("129.50") is major units, as before; so is "129.0" in another currency than the stated price', async () => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: { amount: { currency: 'SEK', value: '129.50' } } });
      expect(moneyOf(await placeOk({ amount: '149.00', currency: 'SEK' }))).toEqual({ status: 'CAPTURED', total: '129.50 SEK', captured: ['129.50'] });
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: { amount: { currency: 'EUR', value: '12.0' } } });
      expect(moneyOf(await placeOk({ amount: '149.00', currency: 'SEK' }))).toEqual({ status: 'CAPTURED', total: '12.00 EUR', captured: ['12.00'] });
    });
  });

  describe('a timed signature whose signing time is written otherwise than Unix seconds, milliseconds or ISO 8601', () => {
    it.each(['ruby', 'ruby-offset', 'http-date', 'float'] as const)('signing time as `%s`: the event is believed, its purchase CAPTURED', async (format) => {
      const purchase = await pendingPurchase();
      const body = eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'flat');
      expect(await sendEvent(gateway.url, body, SECRET, `hmac-hex-timestamped-${format}`)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it.each(['ruby', 'http-date', 'float'] as const)('signed as `%s` an hour ago (a replay), or with another secret: 401, and the purchase stays PENDING', async (format) => {
      const purchase = await pendingPurchase();
      const raw = JSON.stringify(eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'flat'));
      const signed = (secret: string, at: Date) => {
        const timestamp = writtenSigningTime(format, at);
        return { 'x-payway-timestamp': timestamp, 'x-payway-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}` };
      };
      expect(await sendRawEvent(gateway.url, raw, SECRET, 'none', 'application/json', signed(SECRET, new Date(Date.now() - 3_600_000)))).toBe(401);
      expect(await sendRawEvent(gateway.url, raw, SECRET, 'none', 'application/json', signed(`${SECRET}-not`, new Date()))).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });
  });

  describe("a 4xx whose troubleshooting data carries Adyen's PartiallyAuthorised (part of the money held)", () => {
    it.each([
      ['beside the error\'s properties', { correlation_id: 'adyen-partial-1', result_code: 'PartiallyAuthorised' }],
      ['one object down, without a correlation id', { additional_data: { resultCode: 'PartiallyAuthorised', authorisedAmount: { currency: 'SEK', value: 5_000 } } }],
    ] as const)('%s: Payway\'s refusal to the client, but the retry with the same key places nothing, and the purchase\'s event settles it', async (_name, extra) => {
      const key = `partial-${randomUUID()}`;
      payway.answers = () => error(422, 'insufficient_funds', { field: null, extra });
      expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'FAILED', payments: [{ capturedAmount: { amount: '0.00' } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });
  });
});
