/**
 * Round ten of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): Adyen's actions that carry no token, one after
 * another in one session, and where a purchase event may carry the merchant reference.
 *
 * - A second action of the same type in the same session, without a token (the seed: "you need
 *   to perform additional action(s)"; its one example is a 3-D Secure action with a `token`, but
 *   Adyen's redirect, qrCode, await and sdk actions carry none): a redirect answered by another
 *   redirect to a new page (a bank's page, then its 3-D Secure page), a QR code answered by a
 *   fresh one. Fixed: the fact's key told steps apart by their token alone, so the second step
 *   was taken for the first one again and changed nothing: the order kept the first redirect's
 *   url (a page the shopper had already been through) and the purchase could never go on.
 * - A purchase event carrying the merchant reference (and Payway's order) on its `payment` or
 *   `receipt` object, or under `purchase`, rather than on its `order`: Adyen's merchantReference
 *   is the payment's, and no seed shows an event. Fixed: the reference was not looked for there,
 *   so a pending purchase's order_closed naming an order the pending answer never gave was
 *   acknowledged and parked under that order (the purchase Payway charged PENDING for good), and
 *   one under `purchase`, or a payment_failure naming only the payment, was 400 on every delivery
 *   (it names neither an order nor a reference where they were looked for).
 * - An event naming only Payway's order that overtakes the pending answer naming that order (an
 *   extra field the seed's pending answer lacks, read since round four; round one's overtaking
 *   event named the merchant reference). Fixed: the event found no purchase (no answer had
 *   announced the order yet), was parked under Payway's order and applied once the order was
 *   stored, without the purchase's payment (an event carries no price): the order showed CAPTURED
 *   with 0.00 captured (a failure: FAILED with its payment still PENDING); overtaking
 *   perform_additional_action's pending answer (after 3-D Secure) it was parked for an order that
 *   existed already, never applied, and the purchase Payway charged stayed PENDING for good. Such
 *   an event is kept by Payway's order now, and the answer announcing that order is the purchase
 *   as the event said.
 *
 * Left as it was: the README's known limitations (a zero price, references shared by purchases
 * waiting at the same time, no read-back of a purchase). The same step asked again (the same
 * action, token or not) is still the same fact: it changes nothing, and the shopper's result of
 * it may be sent to it once more.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { CONTINUE_ORDER, type OrderView } from '../support/documents.js';
import { gql } from '../support/graphql.js';
import { actionRequired, complete, hex24, pending, PERFORM_ACTION, PLACE_ORDER, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness, STATED } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round ten', () => {
  const harness = independentPaywayHarness('-10');
  const { SECRET, placeOk, continueWith, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const continueRedirect = (orderId: string, value: string) =>
    gql<{ continueOrderCreation: OrderView }>(
      gateway.url,
      CONTINUE_ORDER,
      { input: { orderId, redirectResult: { status: 'SUCCESS', parameters: [{ name: 'redirectResult', value }] } } },
      harness.parts.shop,
    );

  /**
   * place_order answers `first`; each perform_additional_action answers the next of `then` in
   * turn (the last one again once they run out).
   */
  function answering(first: ReturnType<typeof actionRequired>, then: ReturnType<typeof actionRequired>[]): void {
    const before = payway.to(PERFORM_ACTION).length;
    payway.answers = (request) => {
      if (request.path === PLACE_ORDER) return first;
      const index = payway.to(PERFORM_ACTION).length - before - 1;
      return then[Math.min(index, then.length - 1)]!;
    };
  }

  describe('a second action of the same type in one session, without a token', () => {
    const BANK = 'https://bank.example.se/authorise?session=1';
    const ACS = 'https://acs.example.se/3ds1/challenge?md=2';

    it('a redirect answered by a redirect to another page: the order sends the shopper to the new page, and its result completes the purchase', async () => {
      const session = `s-${randomUUID()}`;
      const closed = paywayOrder();
      answering(actionRequired(session, { type: 'redirect', url: BANK, method: 'GET', paymentMethodType: 'scheme', token: undefined }), [
        actionRequired(null, { type: 'redirect', url: ACS, method: 'POST', data: { MD: 'md-2', PaReq: 'pareq-2' }, paymentMethodType: 'scheme', token: undefined }),
        complete({ orderId: closed }),
      ]);
      const order = await placeOk();
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'REDIRECT', redirectUrl: BANK } } });

      const second = await continueRedirect(order.id, 'from-the-bank');
      expect(second.errors).toBeUndefined();
      expect(second.data!.continueOrderCreation).toMatchObject({
        status: 'ACTION_REQUIRED',
        creation: { status: 'STOPPED', stopAction: { type: 'REDIRECT', redirectUrl: ACS, threeDS: { type: 'redirect', sessionReference: session, details: { data: { MD: 'md-2' } } } } },
      });
      expect(await read(order.id)).toMatchObject({ creation: { stopAction: { redirectUrl: ACS } } });

      const done = await continueRedirect(order.id, 'from-the-acs');
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: closed, payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PERFORM_ACTION).slice(-2).map((request) => request.body.details)).toEqual([{ redirectResult: 'from-the-bank' }, { redirectResult: 'from-the-acs' }]);
    });

    it('a QR code answered by a fresh one (the first expired): the order shows the fresh code', async () => {
      const session = `s-${randomUUID()}`;
      answering(actionRequired(session, { type: 'qrCode', qrCodeData: 'swish-code-1', paymentMethodType: 'swish', token: undefined }), [
        actionRequired(session, { type: 'qrCode', qrCodeData: 'swish-code-2', paymentMethodType: 'swish', token: undefined }),
      ]);
      const order = await placeOk({ paymentMethod: { type: 'swish' } });
      expect(order).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { type: 'WORKFLOW', threeDS: { type: 'qrCode', details: { qrCodeData: 'swish-code-1' } } } } });
      const fresh = await continueWith(order.id, { payload: 'expired' });
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { threeDS: { type: 'qrCode', details: { qrCodeData: 'swish-code-2' } } } } });
      expect(await read(order.id)).toMatchObject({ creation: { stopAction: { threeDS: { details: { qrCodeData: 'swish-code-2' } } } } });
    });

    it('the same redirect asked again (Payway re-asking the step) changes nothing, and its result may be sent again', async () => {
      const session = `s-${randomUUID()}`;
      const same = actionRequired(session, { type: 'redirect', url: BANK, method: 'GET', paymentMethodType: 'scheme', token: undefined });
      const closed = paywayOrder();
      answering(same, [same, complete({ orderId: closed })]);
      const order = await placeOk();
      const again = await continueRedirect(order.id, 'try-1');
      expect(again.data!.continueOrderCreation).toMatchObject({ status: 'ACTION_REQUIRED', creation: { stopAction: { redirectUrl: BANK } } });
      expect((await read(order.id)).events).toHaveLength(order.events.length);
      const done = await continueRedirect(order.id, 'try-1');
      expect(done.errors).toBeUndefined();
      expect(done.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: closed });
    });
  });

  describe('a purchase event carrying the merchant reference beside the order, on another object', () => {
    it.each([
      ['on `payment`, the order only its id', (reference: string, orderId: string) => ({ event: 'order_closed', timestamp: new Date().toISOString(), payload: { order: { id: orderId }, payment: { merchant_reference: reference, message: 'Authorised' } } })],
      ['on `receipt`', (reference: string, orderId: string) => ({ event: 'order_closed', payload: { order: { id: orderId }, receipt: { id: hex24(), merchant_reference: reference } } })],
      ['on `purchase`, with its order id', (reference: string, orderId: string) => ({ event: 'payment_success', data: { purchase: { order_id: orderId, merchant_reference: reference } } })],
    ] as const)('pending, then order_closed with the reference %s: CAPTURED under that order', async (_name, build) => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      const closed = paywayOrder();
      expect(await sendEvent(gateway.url, build(reference, closed), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: closed, payments: [{ status: 'CAPTURED', capturedAmount: { amount: STATED.amount } }] });
    });

    it('pending, then payment_failure naming only the payment and its reference (no order was made): FAILED, no money shown', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      const failure = { event: 'payment_failure', payload: { payment: { merchant_reference: reference, message: 'Refused' } } };
      expect(await sendEvent(gateway.url, failure, SECRET, 'hmac-hex')).toBeLessThan(300);
      const failed = await read(waiting.id);
      expect(failed).toMatchObject({ status: 'FAILED' });
      expect(failed.payments.every((payment) => payment.status !== 'CAPTURED')).toBe(true);
    });

    it('the order\'s own reference still wins over one on the payment', async () => {
      const reference = `adeprimo-campaign-${randomUUID()}`;
      payway.answers = () => pending();
      const waiting = await placeOk({ merchantReference: reference });
      const closed = paywayOrder();
      const event = { event: 'order_closed', payload: { order: { id: closed, merchant_reference: reference }, payment: { merchant_reference: `elsewhere-${randomUUID()}` } } };
      expect(await sendEvent(gateway.url, event, SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(waiting.id)).toMatchObject({ status: 'CAPTURED', providerOrderId: closed });
    });
  });
  describe('an event naming only Payway\'s order that overtakes the pending answer naming it', () => {
    /** place_order answers pending naming `paywayOrderId`, once `event` (naming only that order) was taken. */
    async function overtaken(paywayOrderId: string, event: unknown): Promise<OrderView> {
      let early = 0;
      payway.answers = () => ({
        ...pending({ extraItem: { order_id: paywayOrderId } }),
        before: async () => {
          early = await sendEvent(gateway.url, event, SECRET, 'hmac-hex');
        },
      });
      const order = await placeOk();
      expect(early).toBeLessThan(300);
      return order;
    }

    it('order_closed: the order is CAPTURED with the purchase\'s money, and the parked event changes nothing more', async () => {
      const closed = paywayOrder();
      const order = await overtaken(closed, { event: 'order_closed', payload: { order: { id: closed }, receipt: { id: 'receipt-early' } } });
      expect(order).toMatchObject({ status: 'CAPTURED', providerOrderId: closed, payments: [{ status: 'CAPTURED', capturedAmount: { amount: STATED.amount }, providerReference: 'receipt-early' }] });
      const now = await read(order.id);
      expect(now).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(now.events).toHaveLength(order.events.length);
    });

    it('after 3-D Secure: perform_additional_action\'s pending answer naming the order, overtaken by its order_closed: CAPTURED with the purchase\'s money', async () => {
      const closed = paywayOrder();
      let early = 0;
      payway.answers = (request) =>
        request.path === PLACE_ORDER
          ? actionRequired(`s-${randomUUID()}`)
          : {
              ...pending({ extraItem: { order_id: closed } }),
              before: async () => {
                early = await sendEvent(gateway.url, { event: 'order_closed', payload: { order: { id: closed } } }, SECRET, 'hmac-hex');
              },
            };
      const order = await placeOk();
      expect(order.status).toBe('ACTION_REQUIRED');
      const continued = await continueWith(order.id, { 'threeds2.fingerprint': 'fp' });
      expect(continued.errors).toBeUndefined();
      expect(early).toBeLessThan(300);
      expect(continued.data!.continueOrderCreation).toMatchObject({ status: 'CAPTURED', providerOrderId: closed, payments: [{ status: 'CAPTURED', capturedAmount: { amount: STATED.amount } }] });
      expect(await read(order.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: STATED.amount } }] });
    });

    it('payment_failure: the order and its payment are FAILED, no money shown', async () => {
      const failed = paywayOrder();
      const order = await overtaken(failed, { event: 'payment_failure', order_id: failed, message: 'Refused' });
      expect(order).toMatchObject({ status: 'FAILED', providerOrderId: failed, payments: [{ status: 'FAILED', capturedAmount: { amount: '0.00' } }] });
      expect(await read(order.id)).toMatchObject({ status: 'FAILED', payments: [{ status: 'FAILED', capturedAmount: { amount: '0.00' } }] });
    });
  });
});
