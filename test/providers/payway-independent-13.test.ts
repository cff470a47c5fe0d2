/**
 * Round thirteen of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): what the seed's "pending" may carry.
 *
 * - A pending answer carrying Adyen's action (and a session_reference): Adyen answers `Pending`
 *   with an action where the shopper has yet to act in another app (Swish's `qrCode` on a
 *   computer, an `await` while the app is opened; Swish is Sweden's, and Payway's addresses are
 *   SE, FI or AX), and the seed's pending message is Adyen's own text for `Pending`: a Payway
 *   relaying Adyen's result code as its word passes the action on, as it does for
 *   action_required. Also as perform_additional_action's answer after 3-D Secure (no session in
 *   it: it goes on in the session it answers). Fixed: the action was dropped, so the order was
 *   PENDING with no step: the shopper never saw the QR code, the payment could never be made and
 *   the purchase could only end in its payment_failure. Such an answer is ACTION_REQUIRED with
 *   its step now (Payway's word `pending` shown), continued in its session; without a session it
 *   is shown all the same and continuing it is INVALID_STATE (nothing is sent), its event settles
 *   it. An action that cannot be shown (a redirect without its page, null, no type) leaves the
 *   plain pending answer, as before.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { actionRequired, complete, eventBody, pending, PERFORM_ACTION, PLACE_ORDER, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness, STATED } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round thirteen', () => {
  const harness = independentPaywayHarness('-13');
  const { SECRET, placeOk, read, continueWith } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const money = (order: { status: string; total: { amount: string; currency: string }; payments: { status: string; capturedAmount: { amount: string } | null }[] }) => ({
    status: order.status,
    total: `${order.total.amount} ${order.total.currency}`,
    payments: order.payments.map((payment) => `${payment.status} ${payment.capturedAmount?.amount ?? '0'}`),
  });

  describe("a pending answer carrying Adyen's action (Adyen's Pending with a step left to the shopper)", () => {
    const QR = { type: 'qrCode', qrCodeData: 'swish-qr-1', paymentMethodType: 'swish', url: undefined };

    it("Swish's QR code with its session: the order shows the step, and the purchase's order_closed captures it", async () => {
      const session = `s-${randomUUID()}`;
      payway.answers = () => pending({ extraItem: { action: QR, session_reference: session } });
      const order = await placeOk({ paymentMethod: { type: 'swish' } });
      expect(order).toMatchObject({
        status: 'ACTION_REQUIRED',
        providerStatus: 'pending',
        creation: { status: 'STOPPED', stopAction: { type: 'WORKFLOW', threeDS: { type: 'qrCode', sessionReference: session, paymentMethodType: 'swish', details: { qrCodeData: 'swish-qr-1' } } } },
      });
      expect(money(order)).toEqual({ status: 'ACTION_REQUIRED', total: '149.00 SEK', payments: ['ACTION_REQUIRED 0.00'] });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(money(await read(order.id))).toEqual({ status: 'CAPTURED', total: '149.00 SEK', payments: ['CAPTURED 149.00'] });
    });

    it("the QR code's result sent on in its session completes the purchase", async () => {
      const session = `s-${randomUUID()}`;
      const closed = paywayOrder();
      payway.answers = (request) => (request.path === PLACE_ORDER ? pending({ extraItem: { action: QR, session_reference: session } }) : complete({ orderId: closed }));
      const order = await placeOk({ paymentMethod: { type: 'swish' } });
      const done = await continueWith(order.id, { payload: 'swish-result' });
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: closed });
      expect(payway.to(PERFORM_ACTION).at(-1)!.body).toMatchObject({ session_reference: session, details: { payload: 'swish-result' } });
    });

    it('an `await` action without a session: the order shows the step, continuing it sends nothing, and its payment_failure fails it', async () => {
      payway.answers = () => pending({ extraItem: { action: { type: 'await', paymentMethodType: 'mbway' } } });
      const order = await placeOk({ paymentMethod: { type: 'mbway' } });
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', providerStatus: 'pending', creation: { stopAction: { type: 'WORKFLOW', threeDS: { type: 'await', sessionReference: null } } } });
      const sent = payway.to(PERFORM_ACTION).length;
      expect((await continueWith(order.id, { payload: 'x' })).errors?.[0]?.extensions?.['code']).toBe('INVALID_STATE');
      expect(payway.to(PERFORM_ACTION)).toHaveLength(sent);
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('payment_failure', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect((await read(order.id)).status).toBe('FAILED');
    });

    it("after 3-D Secure, perform_additional_action's pending with an `await` action goes on in the same session", async () => {
      const session = `s-${randomUUID()}`;
      const closed = paywayOrder();
      const answers = [pending({ extraItem: { action: { type: 'await', paymentMethodType: 'scheme' } } }), complete({ orderId: closed })];
      payway.answers = (request) => (request.path === PLACE_ORDER ? actionRequired(session) : answers.shift() ?? complete({ orderId: closed }));
      const order = await placeOk();
      const waiting = await continueWith(order.id, { threeDSResult: 'fingerprint' });
      expect(waiting.errors).toBeUndefined();
      expect(waiting.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', providerStatus: 'pending', creation: { stopAction: { type: 'WORKFLOW', threeDS: { type: 'await', sessionReference: session } } } });
      const done = await continueWith(order.id, { payload: 'approved-in-app' });
      expect(done.errors).toBeUndefined();
      expect(money(done.data!.continueOrderCreation)).toEqual({ status: 'CAPTURED', total: `${STATED.amount} SEK`, payments: ['CAPTURED 149.00'] });
      expect(payway.to(PERFORM_ACTION).slice(-2).map((request) => request.body.session_reference)).toEqual([session, session]);
    });

    it.each([
      ['a redirect without its page', { type: 'redirect', paymentMethodType: 'scheme' }],
      ['null', null],
      ['an action without a type', { paymentMethodType: 'swish' }],
    ])('an action that cannot be shown (%s) leaves the plain pending answer the seed shows', async (_, action) => {
      payway.answers = () => pending({ extraItem: { action } });
      const order = await placeOk();
      expect(money(order)).toEqual({ status: 'PENDING', total: '149.00 SEK', payments: ['PENDING 0.00'] });
      expect(order.creation).toMatchObject({ status: 'COMPLETED', stopAction: null });
    });
  });
});
