/**
 * Round twelve of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): how a Payway may deliver several purchase events
 * at once, ...
 *
 * - Several events in one delivery under a key rather than as the JSON array itself: `items` (as
 *   Payway's API answers a list: the seed wraps one answer in `item`), with a `meta` beside it;
 *   `events`; `data` (a list object). No document shows an event, let alone a batch; round two
 *   took the bare array only. Fixed: the wrapper was read as one event naming nothing, so the
 *   delivery was 400 on every try and each purchase in it stayed PENDING though Payway had closed
 *   (charged) or failed it. The list is the batch now when the object holding it is no purchase
 *   event itself; an event of another kind carrying a list is still acknowledged and ignored.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { eventBatch, eventBody, pending, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round twelve', () => {
  const harness = independentPaywayHarness('-12');
  const { SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const money = (order: { status: string; total: { amount: string; currency: string }; payments: { capturedAmount: { amount: string } | null }[] }) => ({
    status: order.status,
    total: `${order.total.amount} ${order.total.currency}`,
    captured: order.payments.map((payment) => payment.capturedAmount?.amount ?? '0'),
  });
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
      expect(money(await read(closed.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect((await read(failed.id)).status).toBe('FAILED');
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-hex')).toBeLessThan(300);
      const again = await read(closed.id);
      expect(money(again)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(again.events.filter((event) => event.status === 'CAPTURED')).toHaveLength(1);
    });

    it('a batch naming itself (`{type: "batch", events: [...]}`) is read as its events', async () => {
      const purchase = await pendingPurchase();
      const body = { type: 'batch', events: [eventBody('order_closed', { merchantReference: purchase.reference, orderId: paywayOrder() }, 'in-item')] };
      expect(await sendEvent(gateway.url, body, SECRET, 'hmac-base64-timestamped')).toBeLessThan(300);
      expect(money(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
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
      expect(money(await read(purchase.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
    });
  });
});
