/**
 * Round fourteen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): Adyen's own asynchronous result as a Payway may
 * pass it on to the merchant. The seed says of a pending payment only that "Payway will receive a
 * callback when it is" (Adyen's callback, to Payway) and that the events of the purchase's end are
 * triggered; it shows no event. Earlier rounds varied Payway's own events (order_closed,
 * payment_failure, payment_success) in every shape; none tried Adyen's.
 *
 * - Adyen's standard notification passed on as it came (`{live, notificationItems:
 *   [{NotificationRequestItem: {eventCode, success: "true"|"false", merchantReference,
 *   pspReference, amount, reason}}]}`), Adyen's merchantReference being the merchant_reference
 *   the purchase was placed under: AUTHORISATION true or false, OFFER_CLOSED (a pending Swish
 *   payment never finished), several items in one notification, one item alone, its fields posted
 *   flat as a form (Adyen's HTTP POST notifications), Adyen's Basic authentication or an HMAC of
 *   the body; beside round thirteen's Swish QR code and a 3-D Secure step; beside Payway's own
 *   order_closed. Fixed: the notification named no event the gateway knew, nor a list it reads,
 *   so it was 400 on every delivery and each purchase Adyen authorised (and Payway charged)
 *   stayed PENDING for good, each one Adyen refused too (event-adyen.ts). AUTHORISATION true is
 *   the purchase closed (the seed's `complete` is "successfully authorised"; one key with
 *   order_closed), false and OFFER_CLOSED its failure; other event codes are acknowledged and
 *   ignored, as Payway's other events are.
 * - The same notification proved only by Adyen's own signature of each item
 *   (`additionalData.hmacSignature`, base64 HMAC-SHA256 of its eight signed fields, keyed by the
 *   secret, hex-decoded where it is hex as Adyen's HMAC keys are): no header, no timestamp.
 *   Fixed: it was 401 on every delivery (event-adyen-hmac.ts). Only the signed fields are read
 *   from it; a changed signed field, another key, or one item unsigned beside a signed one is
 *   still 401 and changes nothing.
 * - An event that names no event but posts Adyen's result (its /payments/details answer:
 *   `resultCode: "Authorised"`, or Adyen's word as `status`). Fixed: `resultCode` was not read (400
 *   on every delivery) and `status: "Authorised"` was another word (acknowledged and dropped), so
 *   the purchase Payway charged stayed PENDING; `Cancelled` is its failure now, `Pending` and
 *   `Error` still end nothing (event-shape.ts).
 *
 * Left (it.fails): a completed purchase's REFUND, as Adyen notifies it, is acknowledged and
 * dropped (the gateway has no refund of a Payway purchase, nor a fact to record one: see the
 * test). Found in review: round five's it.fails (a completed purchase's reference-only
 * completion taken for the purchase waiting under a reused reference) became the rule once the
 * notification was read (every payment gets its AUTHORISATION, naming only the reference): an
 * AUTHORISATION under a reference another purchase was paid under now leaves the waiting order's
 * status as it is and tells it (Info payway.authorisation_unplaced; PurchaseIndex.paidBeside).
 * Looked at and holding: a pending
 * purchase whose place_order answer was lost, then its AUTHORISATION (the retry with the same
 * key answers it CAPTURED, placing nothing again); a purchase completed at once whose own
 * AUTHORISATION comes after it (nothing changes); a pending purchase's AUTHORISATION then
 * Payway's order_closed naming its order (CAPTURED once). Left as it was: the README's known
 * limitations; round eleven's it.fails.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { actionRequired, adyenNotification, sendAdyenNotification, adyenSigned, complete, eventBody, pending, PLACE_ORDER, sendEvent, sendRawEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round fourteen', () => {
  const harness = independentPaywayHarness('-14');
  const { SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  /** A pending purchase and the merchant reference it was placed under. */
  const pendingPurchase = async (overrides: Record<string, unknown> = {}) => {
    payway.answers = () => pending();
    const placed = await placeOk(overrides);
    return { id: placed.id, reference: harness.lastPlaced().body.merchant_reference as string };
  };
  const sendNotification = (body: unknown, secret = SECRET) => sendAdyenNotification(gateway.url, body, secret);

  describe("Adyen's notification passed on as it came (`notificationItems[].NotificationRequestItem`)", () => {
    it('AUTHORISATION with success "true" closes the pending purchase: CAPTURED with its money; a redelivery changes nothing', async () => {
      const purchase = await pendingPurchase();
      const body = adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]);
      expect(await sendNotification(body)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(await sendNotification(body)).toBeLessThan(300);
      const again = await read(purchase.id);
      expect(moneyOf(again)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(again.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('AUTHORISATION with success "false" (Adyen refused the payment) fails the pending purchase, nothing captured', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'false', merchantReference: purchase.reference, reason: 'Refused' }]))).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'FAILED', total: '149.00 SEK', captured: ['0.00'] });
    });

    it('OFFER_CLOSED (a pending payment the shopper never finished, Adyen closed its offer) fails the pending purchase', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(adyenNotification([{ eventCode: 'OFFER_CLOSED', success: 'true', merchantReference: purchase.reference, reason: '' }]))).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('FAILED');
    });

    it('two items in one notification settle two purchases, each its own way', async () => {
      const closed = await pendingPurchase();
      const failed = await pendingPurchase();
      const body = adyenNotification([
        { eventCode: 'AUTHORISATION', success: 'true', merchantReference: closed.reference },
        { eventCode: 'AUTHORISATION', success: 'false', merchantReference: failed.reference },
      ]);
      expect(await sendNotification(body)).toBeLessThan(300);
      expect(moneyOf(await read(closed.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect((await read(failed.id)).status).toBe('FAILED');
    });

    it('signed with the secret as an HMAC of the body (not Basic authentication), it is read the same', async () => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('CAPTURED');
    });

    it('a notification of another kind (REPORT_AVAILABLE) is acknowledged and changes nothing', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(adyenNotification([{ eventCode: 'REPORT_AVAILABLE', success: 'true', merchantReference: purchase.reference }]))).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it('one item alone, wrapped in its NotificationRequestItem (no list), is read the same', async () => {
      const purchase = await pendingPurchase();
      const [item] = (adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]) as { notificationItems: unknown[] }).notificationItems;
      expect(await sendNotification(item)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it("posted as a form, as Adyen's HTTP POST notifications post their fields flat (`eventCode=AUTHORISATION&success=false&...`), it is read the same", async () => {
      const purchase = await pendingPurchase();
      const form = new URLSearchParams({ live: 'false', eventCode: 'AUTHORISATION', success: 'false', merchantReference: purchase.reference, pspReference: '8816178914079738', value: '14900', currency: 'SEK', reason: 'Refused' }).toString();
      expect(await sendRawEvent(gateway.url, form, SECRET, 'hmac-hex', 'application/x-www-form-urlencoded')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('FAILED');
    });

    it('a purchase at its 3-D Secure step whose authorisation Adyen refused (the shopper failed the challenge, notified): FAILED', async () => {
      payway.answers = () => actionRequired(`session-${randomUUID()}`);
      const placed = await placeOk();
      expect(placed.status).toBe('ACTION_REQUIRED');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'false', merchantReference: reference }]))).toBeLessThan(300);
      expect((await read(placed.id)).status).toBe('FAILED');
    });

    it("a purchase completed at once, then its own AUTHORISATION (naming only its reference), then Payway's order_closed: CAPTURED once, its money as the answer said", async () => {
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      payway.answers = () => complete({ orderId: paywayOrderId });
      const placed = await placeOk();
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference }]))).toBeLessThan(300);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const order = await read(placed.id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(order.providerOrderId).toBe(paywayOrderId);
    });

    it("a pending purchase's AUTHORISATION, then Payway's order_closed naming its order: CAPTURED with its money once, Payway's order named", async () => {
      const purchase = await pendingPurchase();
      const paywayOrderId = `ADEPRIMO-${randomUUID().slice(0, 8)}`;
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]))).toBeLessThan(300);
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrderId }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it.each([
      ['AUTHORISATION "true" (the shopper paid in the Swish app): CAPTURED with its money', 'AUTHORISATION', 'CAPTURED', ['149.00']],
      ['OFFER_CLOSED (the QR code never scanned): FAILED, nothing captured', 'OFFER_CLOSED', 'FAILED', ['0.00']],
    ] as const)("a Swish purchase shown its QR code (a pending answer carrying Adyen's action, round thirteen), then %s", async (_name, eventCode, status, captured) => {
      payway.answers = () => pending({ extraItem: { action: { type: 'qrCode', qrCodeData: 'swish-qr-14', paymentMethodType: 'swish' }, session_reference: `session-${randomUUID()}` } });
      const placed = await placeOk({ paymentMethod: { type: 'swish' } });
      expect(placed.status).toBe('ACTION_REQUIRED');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendNotification(adyenNotification([{ eventCode, success: 'true', merchantReference: reference }]))).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual({ status, total: '149.00 SEK', captured });
    });

    // Left: a refund made at Payway (its back office) after the purchase, as Adyen notifies it.
    // The gateway has no refund of a Payway purchase (README: NOT_SUPPORTED) and so no fact that
    // records one: Adyen's REFUND names only the merchant reference (its pspReference and
    // originalReference are Adyen's, not Payway's order), the purchase index looks up a reference
    // only for purchases still waiting for their end (a completed one is named by its Payway
    // order, never a candidate), and Adyen notifies each refund's own amount while the gateway's
    // facts carry absolute amounts (two partial refunds would need a sum kept per order). The
    // notification is acknowledged and dropped: the order shows CAPTURED 149.00 with nothing
    // refunded though Payway paid it back.
    it.fails("a completed purchase's REFUND, as Adyen notifies it, shows the money paid back (REFUNDED)", async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]))).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('CAPTURED');
      expect(await sendNotification(adyenNotification([{ eventCode: 'REFUND', success: 'true', merchantReference: purchase.reference }]))).toBeLessThan(300);
      const order = await read(purchase.id);
      expect(order.status).toBe('REFUNDED');
      expect(order.payments[0]?.refundedAmount.amount).toBe('149.00');
    });

    // Round five's it.fails (a completed purchase's late order_closed naming only the reference is
    // taken for the purchase waiting under it), which Adyen's notifications would make the rule:
    // Adyen sends an AUTHORISATION for every payment, the one completed at once too, naming only
    // the merchant reference (its pspReference is Adyen's, never shown by an answer). Found in
    // review: with the notification read, the completed one's AUTHORISATION settled the purchase
    // waiting under a reused reference (CAPTURED, nothing paid for it). Now an AUTHORISATION
    // under a reference another purchase was paid under is told to the waiting order (the Info
    // payway.authorisation_unplaced), which keeps its status; Payway's order_closed naming its
    // order still settles it.
    it("under a reused reference, a purchase completed at once and its AUTHORISATION after the next purchase there went pending: the waiting one stays PENDING, told why; its own order_closed settles it", async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => complete({ orderId: `ADEPRIMO-${randomUUID().slice(0, 8)}` });
      const paid = await placeOk({ merchantReference: reference });
      const waiting = await pendingPurchase({ merchantReference: reference });
      const authorisation = adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference }]);
      expect(await sendNotification(authorisation)).toBeLessThan(300);
      expect(await sendNotification(authorisation)).toBeLessThan(300);
      const told = await read(waiting.id);
      expect(told.status).toBe('PENDING');
      expect(told.payments.map((payment) => payment.capturedAmount?.amount ?? '0.00')).toEqual(['0.00']);
      expect(told.creation.infos.filter((info) => info.code === 'payway.authorisation_unplaced')).toHaveLength(1);
      expect(moneyOf(await read(paid.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      const closed = `ADEPRIMO-WAITED-${randomUUID().slice(0, 8)}`;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: closed }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(waiting.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it("place_order's pending answer lost (a reset): the retry with the same key places nothing; once Adyen's AUTHORISATION comes, it answers the order CAPTURED with its money", async () => {
      const key = `adyen-lost-${randomUUID()}`;
      payway.answers = () => ({ ...pending(), lose: 'reset' });
      const first = await harness.place({ idempotencyKey: key });
      expect(first.errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.['code']).toBe('PROVIDER_UNAVAILABLE');
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: reference }]))).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(moneyOf(known)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('with another password it is 401 and changes nothing', async () => {
      const purchase = await pendingPurchase();
      expect(await sendNotification(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]), `${SECRET}-not`)).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });
  });

  describe("Adyen's notification proved only by Adyen's own signature of each item (additionalData.hmacSignature, keyed by the secret)", () => {
    const sendSigned = (body: unknown) => sendRawEvent(gateway.url, JSON.stringify(body), SECRET, 'none', 'application/json');

    it('AUTHORISATION "true", no header at all: the pending purchase is CAPTURED with its money; a redelivery changes nothing', async () => {
      const purchase = await pendingPurchase();
      const body = adyenSigned(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]), SECRET);
      expect(await sendSigned(body)).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(await sendSigned(body)).toBeLessThan(300);
      expect((await read(purchase.id)).events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('two items, each signed: both purchases settled, each its own way', async () => {
      const closed = await pendingPurchase();
      const failed = await pendingPurchase();
      const body = adyenSigned(
        adyenNotification([
          { eventCode: 'AUTHORISATION', success: 'true', merchantReference: closed.reference },
          { eventCode: 'AUTHORISATION', success: 'false', merchantReference: failed.reference },
        ]),
        SECRET,
      );
      expect(await sendSigned(body)).toBeLessThan(300);
      expect((await read(closed.id)).status).toBe('CAPTURED');
      expect((await read(failed.id)).status).toBe('FAILED');
    });

    it('signed with another key: 401, nothing changes', async () => {
      const purchase = await pendingPurchase();
      expect(await sendSigned(adyenSigned(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: purchase.reference }]), `${SECRET}-not`))).toBe(401);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });

    it("a signed field changed after signing (a refusal's success turned \"true\", or its reference turned to another purchase's): 401, nothing changes", async () => {
      const refused = await pendingPurchase();
      const other = await pendingPurchase();
      const signed = adyenSigned(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'false', merchantReference: refused.reference }]), SECRET) as { notificationItems: { NotificationRequestItem: Record<string, unknown> }[] };
      const item = signed.notificationItems[0]!.NotificationRequestItem;
      expect(await sendSigned({ notificationItems: [{ NotificationRequestItem: { ...item, success: 'true' } }] })).toBe(401);
      expect(await sendSigned({ notificationItems: [{ NotificationRequestItem: { ...item, merchantReference: other.reference } }] })).toBe(401);
      expect((await read(refused.id)).status).toBe('PENDING');
      expect((await read(other.id)).status).toBe('PENDING');
    });

    it('one item signed and one not: 401, neither purchase changes', async () => {
      const first = await pendingPurchase();
      const second = await pendingPurchase();
      const signed = adyenSigned(adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: first.reference }]), SECRET) as { notificationItems: unknown[] };
      const unsigned = (adyenNotification([{ eventCode: 'AUTHORISATION', success: 'true', merchantReference: second.reference }]) as { notificationItems: unknown[] }).notificationItems;
      expect(await sendSigned({ live: 'false', notificationItems: [...signed.notificationItems, ...unsigned] })).toBe(401);
      expect((await read(first.id)).status).toBe('PENDING');
      expect((await read(second.id)).status).toBe('PENDING');
    });
  });

  describe("an event posting Adyen's result code (Adyen's /payments/details answer) rather than naming an event", () => {
    it.each([
      ['`resultCode: "Authorised"` under `item`', (reference: string) => ({ item: { merchant_reference: reference, resultCode: 'Authorised', pspReference: randomUUID() } })],
      ['`status: "Authorised"` beside the reference', (reference: string) => ({ merchantReference: reference, status: 'Authorised' })],
      ['`result_code: "AUTHORISED"`', (reference: string) => ({ merchant_reference: reference, result_code: 'AUTHORISED' })],
    ] as const)('%s closes the pending purchase: CAPTURED with its money', async (_name, body) => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, body(purchase.reference), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });

    it('`resultCode: "Cancelled"` (the shopper cancelled in the other app) fails it', async () => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, { item: { merchant_reference: purchase.reference, resultCode: 'Cancelled' } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('FAILED');
    });

    it('`resultCode: "Pending"` (or Adyen\'s `Error`) ends nothing: the purchase stays PENDING', async () => {
      const purchase = await pendingPurchase();
      expect(await sendEvent(gateway.url, { item: { merchant_reference: purchase.reference, resultCode: 'Pending' } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await sendEvent(gateway.url, { item: { merchant_reference: purchase.reference, resultCode: 'Error' } }, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(purchase.id)).status).toBe('PENDING');
    });
  });
});
