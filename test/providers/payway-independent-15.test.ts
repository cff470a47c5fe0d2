/**
 * Round fifteen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): whose reference Adyen's notification names, and
 * how much of it.
 *
 * - Adyen's notification passed on as it came (round fourteen), its `merchantReference` being
 *   Payway's own order id (the `order_id` of Payway's answers, "ADEPRIMO-123"), not the
 *   merchant_reference place_order was given. Payway is the merchant at Adyen and must give Adyen
 *   a reference for every payment, also for a purchase placed without one (the table: the
 *   parameter is optional, "a code or an url", a customer's); the seed's own order id has the form
 *   of an Adyen merchant reference. Round fourteen read only the other way. Combined with a
 *   pending (or action_required, or perform_additional_action's pending) answer that names
 *   Payway's order (round four's extra field). Found: the item found no purchase under that
 *   "reference", was acknowledged and dropped, and the purchase Adyen authorised (Payway
 *   charged) stayed PENDING for good, one Adyen refused as well; under a reused client reference
 *   where another purchase was paid, nothing at all was said of it. Fixed (webhook.ts
 *   adyensOrderOf): an item whose merchantReference is a Payway order an answer announced is
 *   that order's event (CAPTURED or FAILED with the purchase's money, one key with Payway's
 *   order_closed); it is also kept as an early event of that order, so that one overtaking the
 *   answer announcing the order is the purchase's end as round ten's are. An item naming a
 *   client's reference is read as before.
 * - The same notification naming the purchase's merchant_reference (round fourteen's reading),
 *   where that reference is longer than Adyen keeps: the table allows "..1024" ("a code or an
 *   url": an article's URL with its tracking parameters), Adyen's payment reference has "Maximum
 *   length: 80 characters", so a Payway passing it on can pass on its first 80. Found: the item
 *   naming those 80 found no purchase, was acknowledged and dropped, and the purchase stayed
 *   PENDING for good though Adyen authorised (or refused) it. Fixed (PurchaseIndex.cutFrom): a
 *   reference longer than 80 is remembered under its first 80 when placed; an Adyen item naming
 *   exactly those 80 is that reference's, unless a purchase was placed under the 80 characters
 *   themselves (that one is meant) or several references begin so (no guess: acknowledged, both
 *   stay PENDING for Payway's own events, which echo the whole reference). Also after a lost
 *   place_order answer: the retry with the same key answers the order the item settled, placing
 *   nothing again. The harness's money check reads such an item (and a form-posted AUTHORISATION
 *   with success=true) as backing the charge it tells of.
 *
 * Looked at and holding: an item whose merchantReference is neither (an order no answer
 * announced, a reference nobody used) is acknowledged and changes nothing; a purchase completed
 * at once is not changed by a later item naming its order (one key with its `complete`); a
 * pending answer carrying Adyen's amount (round eleven) is captured at that amount by the item
 * naming its order. Left as it was: the README's known limitations (a purchase whose answers
 * name no Payway order, as the seed's pending does, or whose answer was lost, cannot be found by
 * an item naming that order: Payway's own order_closed, which echoes the reference, settles it);
 * round eleven's and round fourteen's it.fails.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { actionRequired, adyenNotification, sendAdyenNotification, complete, PLACE_ORDER, pending, sendEvent, sendRawEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round fifteen', () => {
  const harness = independentPaywayHarness('-15');
  const { SECRET, placeOk, read, continueWith } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  /** A Payway order id in the seed's form ("ADEPRIMO-123"), unique per test. */
  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const sendNotification = (body: unknown) => sendAdyenNotification(gateway.url, body, SECRET);
  /** Adyen's notification of one item whose merchantReference is `reference`. */
  const authorisation = (reference: string, success: 'true' | 'false') => adyenNotification([{ eventCode: 'AUTHORISATION', success, merchantReference: reference }]);
  /** A purchase whose pending answer names Payway's order `paywayOrderId` (an extra field, round four). */
  const pendingNaming = async (paywayOrderId: string, overrides: Record<string, unknown> = {}) => {
    payway.answers = () => pending({ extraItem: { order_id: paywayOrderId } });
    return placeOk(overrides);
  };

  describe("Adyen's merchantReference is Payway's order id, which the pending answer named", () => {
    it('AUTHORISATION "true": CAPTURED with its money and that Payway order; a redelivery, then Payway\'s order_closed naming the order, change nothing', async () => {
      const named = paywayOrder();
      const order = await pendingNaming(named);
      expect(order).toMatchObject({ status: 'PENDING', providerOrderId: named });
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      const closed = await read(order.id);
      expect(moneyOf(closed)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(closed.providerOrderId).toBe(named);
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      expect(await sendEvent(gateway.url, { event: 'order_closed', payload: { order: { id: named } } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      const after = await read(order.id);
      expect(moneyOf(after)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(after.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('AUTHORISATION "false" (Adyen refused it): FAILED, nothing captured', async () => {
      const named = paywayOrder();
      const order = await pendingNaming(named);
      expect(await sendNotification(authorisation(named, 'false'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it("the purchase placed under the client's own reference: the item naming Payway's order settles it all the same", async () => {
      const named = paywayOrder();
      const order = await pendingNaming(named, { merchantReference: `shop-order-${randomUUID()}` });
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it("under a client reference reused after a completed purchase: the item naming the waiting purchase's own order is CAPTURED, not told as another's authorisation", async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => complete({ orderId: paywayOrder() });
      const paid = await placeOk({ merchantReference: reference });
      expect(paid.status).toBe('CAPTURED');
      const named = paywayOrder();
      const waiting = await pendingNaming(named, { merchantReference: reference });
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      const closed = await read(waiting.id);
      expect(moneyOf(closed)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(closed.creation.infos.map((info) => info.code)).not.toContain('payway.authorisation_unplaced');
      expect((await read(paid.id)).status).toBe('CAPTURED');
    });

    it("posted as a form with its fields flat (Adyen's HTTP POST notifications): read the same", async () => {
      const named = paywayOrder();
      const order = await pendingNaming(named);
      const form = new URLSearchParams({ live: 'false', eventCode: 'AUTHORISATION', success: 'true', merchantReference: named, pspReference: '8816178914079738', value: '14900', currency: 'SEK', reason: '' }).toString();
      expect(await sendRawEvent(gateway.url, form, SECRET, 'hmac-hex', 'application/x-www-form-urlencoded')).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it("a Swish QR code (a pending answer with Adyen's action, round thirteen) naming Payway's order: the shopper pays in the app, the item naming the order closes it", async () => {
      const named = paywayOrder();
      payway.answers = () => pending({ extraItem: { order_id: named, session_reference: `s-${randomUUID()}`, action: { type: 'qrCode', paymentMethodType: 'swish', qrCodeData: 'swish-qr' } } });
      const order = await placeOk({ paymentMethod: { type: 'swish' } });
      expect(order.status).toBe('ACTION_REQUIRED');
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it("OFFER_CLOSED naming the order of a Swish purchase the shopper never paid: FAILED, nothing captured", async () => {
      const named = paywayOrder();
      payway.answers = () => pending({ extraItem: { order_id: named, session_reference: `s-${randomUUID()}`, action: { type: 'await', paymentMethodType: 'swish' } } });
      const order = await placeOk({ paymentMethod: { type: 'swish' } });
      expect(await sendNotification(adyenNotification([{ eventCode: 'OFFER_CLOSED', success: 'true', merchantReference: named, reason: '' }]))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it("after 3-D Secure: perform_additional_action's pending answer names the order, then the item naming it closes the purchase", async () => {
      const named = paywayOrder();
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`) : pending({ extraItem: { order_id: named } }));
      const order = await placeOk();
      expect(order.status).toBe('ACTION_REQUIRED');
      const continued = await continueWith(order.id, { 'threeds2.fingerprint': 'fp' });
      expect(continued.errors).toBeUndefined();
      expect(continued.data!.continueOrderCreation.status).toBe('PENDING');
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('the item overtaking the pending answer that names the order: the answer is the purchase as the item said, with its money', async () => {
      const named = paywayOrder();
      let early = 0;
      payway.answers = () => ({
        ...pending({ extraItem: { order_id: named } }),
        before: async () => {
          early = await sendNotification(authorisation(named, 'true'));
        },
      });
      const order = await placeOk();
      expect(early).toBeLessThan(300);
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: named, payments: [{ status: 'CAPTURED', capturedAmount: { amount: '149.00' } }] });
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });
  });

  describe("Adyen's merchantReference is the first 80 characters of a longer merchant_reference (Adyen keeps no more)", () => {
    /** A merchant reference as the table allows it ("a code or an url", ..1024): an article's URL, longer than Adyen's 80. */
    const longReference = (stem = `https://adeprimokuriren.se/nyheter/2026/12/06/${randomUUID()}`) => `${stem}/kommunen-bygger-ny-bro-over-alven-till-hosten?utm_source=facebook`;
    const cut = (reference: string) => reference.slice(0, 80);

    it('AUTHORISATION "true" naming the cut reference: CAPTURED with its money; a redelivery changes nothing', async () => {
      const reference = longReference();
      expect(reference.length).toBeGreaterThan(80);
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      expect(harness.lastPlaced().body.merchant_reference).toBe(reference);
      expect(await sendNotification(authorisation(cut(reference), 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(await sendNotification(authorisation(cut(reference), 'true'))).toBeLessThan(300);
      expect((await read(order.id)).events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('AUTHORISATION "false" naming the cut reference: FAILED, nothing captured', async () => {
      const reference = longReference();
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendNotification(authorisation(cut(reference), 'false'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it("place_order's pending answer lost (a reset): the retry with the same key places nothing; once the item naming the cut comes, it answers the order CAPTURED with its money", async () => {
      const reference = longReference();
      const key = `cut-lost-${randomUUID()}`;
      payway.answers = () => ({ ...pending(), lose: 'reset' });
      const first = await harness.place({ merchantReference: reference, idempotencyKey: key });
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      expect(await sendNotification(authorisation(cut(reference), 'true'))).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ merchantReference: reference, idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(moneyOf(known)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('two waiting purchases whose long references share their first 80 characters: the item settles neither (never by a guess)', async () => {
      const stem = `https://adeprimokuriren.se/nyheter/2026/12/06/${randomUUID()}/kommunen-bygger-ny-bro`;
      const [first, second] = [`${stem}-over-alven?utm_source=facebook`, `${stem}-over-alven?utm_source=newsletter`];
      expect(cut(first)).toBe(cut(second));
      payway.answers = () => pending();
      const one = await placeOk({ merchantReference: first });
      const other = await placeOk({ merchantReference: second });
      expect(await sendNotification(authorisation(cut(first), 'true'))).toBeLessThan(500);
      expect((await read(one.id)).status).toBe('PENDING');
      expect((await read(other.id)).status).toBe('PENDING');
    });

    it('a purchase placed under the 80 characters themselves is the one the item names, not the longer one', async () => {
      const reference = longReference();
      payway.answers = () => pending();
      const longer = await placeOk({ merchantReference: reference });
      const exact = await placeOk({ merchantReference: cut(reference) });
      expect(await sendNotification(authorisation(cut(reference), 'true'))).toBeLessThan(300);
      expect((await read(exact.id)).status).toBe('CAPTURED');
      expect((await read(longer.id)).status).toBe('PENDING');
    });

    it("Payway's own order_closed echoing the whole reference still settles it (only Adyen's items are cut)", async () => {
      const reference = longReference();
      payway.answers = () => pending();
      const order = await placeOk({ merchantReference: reference });
      expect(await sendEvent(gateway.url, { event: 'order_closed', payload: { order: { id: paywayOrder(), merchant_reference: reference } } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('CAPTURED');
    });
  });

  describe('holding', () => {
    it("a pending answer carrying Adyen's amount (round eleven) and naming its order: the item naming the order captures the answer's 129.00, not the stated 149.00", async () => {
      const named = paywayOrder();
      payway.answers = () => pending({ extraItem: { order_id: named, amount: { currency: 'SEK', value: 12_900 } } });
      const order = await placeOk();
      expect(order.total.amount).toBe('129.00');
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it('an item naming an order no answer announced (nor any reference used) is acknowledged and changes nothing', async () => {
      const order = await pendingNaming(paywayOrder());
      expect(await sendNotification(authorisation(paywayOrder(), 'true'))).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('PENDING');
    });

    it("a purchase completed at once: Adyen's later AUTHORISATION naming its Payway order changes nothing", async () => {
      const named = paywayOrder();
      payway.answers = () => complete({ orderId: named });
      const order = await placeOk();
      expect(order.status).toBe('CAPTURED');
      expect(await sendNotification(authorisation(named, 'true'))).toBeLessThan(300);
      const after = await read(order.id);
      expect(moneyOf(after)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(after.events).toHaveLength(order.events.length);
    });

    it("an item naming the client's reference is read as before (round fourteen)", async () => {
      const reference = `shop-order-${randomUUID()}`;
      const order = await pendingNaming(paywayOrder(), { merchantReference: reference });
      expect(await sendNotification(authorisation(reference, 'true'))).toBeLessThan(300);
      expect(moneyOf(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });
  });
});
