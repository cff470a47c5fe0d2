/**
 * Round eleven of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): the money a purchase records, as a Payway may
 * write Payway's figure, what the gateway does once that figure differs from the price the
 * shopper was shown, and a refusal that says Adyen took the money.
 *
 * - payment_methods' price written as a JSON string: Rails (the stack round four's bracketed
 *   forms point to) writes a BigDecimal price column as `"129.0"`, and the seed shows no price at
 *   all. Fixed: such a value was no price, so the stated price became the total and, once
 *   complete, the captured amount (149.00 recorded for a period Payway charges 129.00). A decimal
 *   string is read as text (never through a float): with a decimal point it is major units, its
 *   digits alone a whole value read as a number is (round eight's nearer reading). "12,90",
 *   "free", "" and zero are still no price.
 * - Adyen's `amount` ({currency, value}) passed through in place_order's answer, as the seed's
 *   action object is Adyen's own passed through: what Payway charges. CONTRACT: "the order's
 *   total is Payway's own figure where an answer carries one". Fixed: it was not read, so a
 *   purchase Payway charged 129.00 for showed the stated (or payment_methods') 149.00 as total
 *   and captured amount, which only grows: its order_closed could not correct it. It is the
 *   total now for complete, pending and action_required answers and a status word the gateway
 *   does not know, and the attempt's price in the purchase index, so the later event (which
 *   carries no price) pays it too.
 * - Such an answer overtaken by its event (round one's race, with the answer now repriced): the
 *   event was taken at the price known before the call and parked for the order; applied after
 *   the answer it captured 149.00 of a 129.00 total. Fixed: the answer is then the purchase as
 *   the event said, at the answer's price, under the event's key (the parked copy changes
 *   nothing); an event naming only the Payway order a pending answer announces already was
 *   (round ten's endedEarly).
 * - A refusal (any status of the seed's "400-500") whose "additional data for troubleshooting"
 *   carries Adyen's result saying Adyen took or holds the payment (`Authorised`, `Pending`,
 *   `Received`): Payway failed at a step of its own after Adyen's payment. Fixed: a 4xx so
 *   answered counted as a refusal that made nothing, and the client's retry with the same
 *   idempotency key placed the purchase a second time (two charges). It is an outcome unknown now,
 *   as round seven's relayed 5xx: the retry places nothing, the purchase's event settles it. A 4xx
 *   whose result is `Refused`, or that carries none, is still a refusal the retry may place again;
 *   perform_additional_action so answered leaves the purchase open (not FAILED) for its event.
 *
 * Left (it.fails): Adyen's amount first given by perform_additional_action's answer (after 3-D
 * Secure). The order's total is fixed when placeAdyenOrder answers, the domain has no fact that
 * changes a total, and a captured amount only grows: the stated 149.00 stays the total and the
 * captured amount. An amount without a currency, in a currency the gateway does not know, or
 * not above zero is no amount (the README's zero price stays a known limitation).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { actionRequired, complete, eventBody, pending, PLACE_ORDER, sendEvent, type Answer, type IndependentPayway } from '../support/independent/payway-server.js';
import { eventually } from '../support/gateway.js';
import { independentPaywayHarness, STATED, moneyOf } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round eleven', () => {
  const harness = independentPaywayHarness('-11');
  const { TOKEN, SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const hexId = () => randomUUID().replace(/-/g, '').slice(0, 24);
  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;

  describe("payment_methods' price written as a JSON string (a Rails Payway's BigDecimal)", () => {
    it.each([
      ['"129.0" SEK where 149.00 was shown (BigDecimal#to_json of a major-unit price)', '"129.0"', { currency: 'SEK', value: 129 }, { amount: '149.00', currency: 'SEK' }, '129.00 SEK'],
      ['"9.9" EUR where 12.00 was shown', '"9.9"', { currency: 'EUR', value: 9.9 }, { amount: '12.00', currency: 'EUR' }, '9.90 EUR'],
      ['"12900" SEK in minor units where 149.00 was shown', '"12900"', { currency: 'SEK', value: 12_900 }, { amount: '149.00', currency: 'SEK' }, '129.00 SEK'],
    ] as const)('%s: the total is Payway\'s figure, and the purchase captures it once closed', async (_name, periodPriceText, periodPrice, stated, total) => {
      payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice, periodPriceText };
      payway.answers = () => pending();
      const placed = await placeOk(stated);
      expect(moneyOf(placed)).toEqual({ status: 'PENDING', total, captured: ['0.00'] });
      expect(placed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.stated_total_differs' }));
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual({ status: 'CAPTURED', total, captured: [total.split(' ')[0]] });
    });

    it('a string that is no amount ("free", "") is no price: the stated price stands', async () => {
      for (const text of ['"free"', '""', '"12,90"']) {
        payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice: { currency: 'SEK', value: 0 }, periodPriceText: text };
        payway.answers = () => pending();
        const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
        expect(moneyOf(placed)).toEqual({ status: 'PENDING', total: '149.00 SEK', captured: ['0.00'] });
        expect(placed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.total_as_stated' }));
      }
    });
  });
  describe("Adyen's amount passed through in place_order's answer (what Payway charged)", () => {
    // The seed's action object is Adyen's own, passed through (`paymentMethodType` in camelCase);
    // Adyen's /payments answer carries the payment's `amount` {currency, value} in minor units.
    const adyenAmount = (value: number | string, currency = 'SEK') => ({ amount: { currency, value } });

    it('complete with 12900 SEK where 149.00 was shown (the price changed since): the total and the captured amount are 129.00', async () => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(12_900) });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
      expect(placed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.stated_total_differs' }));
      expect(placed.creation.infos).not.toContainEqual(expect.objectContaining({ code: 'payway.total_as_stated' }));
    });

    it('complete naming no order with 12900 SEK, then its order_closed naming the reference and an order: still 129.00 captured, never the stated 149.00', async () => {
      payway.answers = () => ({ status: 200, body: { item: { status: 'complete', receipt_id: hexId(), message: 'Authorised', ...adyenAmount(12_900) } } });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it('pending with 12900 SEK where payment_methods priced 149.00 (the period before the discount): 129.00, captured once closed', async () => {
      payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice: { currency: 'SEK', value: 14_900 } };
      payway.answers = () => pending({ extraItem: adyenAmount('12900') });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'PENDING', total: '129.00 SEK', captured: ['0.00'] });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it.each([
      ['pending', 'naming only the reference', false],
      ['pending', 'naming the reference and Payway\'s order', true],
      ['complete', 'naming only the reference', false],
    ] as const)('%s with 12900 SEK overtaken by its order_closed %s: 129.00 captured, never the stated 149.00', async (word, _name, withOrder) => {
      const named = paywayOrder();
      payway.answers = (request) => ({
        ...(word === 'pending' ? pending({ extraItem: adyenAmount(12_900) }) : complete({ orderId: named }, { extraItem: adyenAmount(12_900) })),
        before: async () => {
          const facts = { merchantReference: request.body.merchant_reference as string, ...(withOrder ? { orderId: paywayOrder() } : {}) };
          expect(await sendEvent(gateway.url, eventBody('order_closed', facts, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
        },
      });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      const order = await read(placed.id);
      expect(moneyOf(order)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
      if (word === 'complete') expect(order.providerOrderId).toBe(named);
    });

    it('pending naming Payway\'s order with 12900 SEK, overtaken by an order_closed naming only that order: 129.00 captured', async () => {
      const named = paywayOrder();
      payway.answers = () => ({
        ...pending({ extraItem: { order_id: named, ...adyenAmount(12_900) } }),
        before: async () => {
          expect(await sendEvent(gateway.url, { event: 'order_closed', order_id: named }, SECRET, 'hmac-hex')).toBeLessThan(300);
        },
      });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(await read(placed.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it('a status word the gateway does not know ("authorised", Adyen\'s own) with 12900 SEK, then its order_closed: 129.00', async () => {
      const named = paywayOrder();
      payway.answers = () => ({ status: 200, body: { item: { status: 'authorised', order_id: named, ...adyenAmount(12_900) } } });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(placed).toMatchObject({ providerStatus: 'authorised', total: { amount: '129.00' } });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: named }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(moneyOf(await read(placed.id))).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    it('complete with the stated price (14900 SEK for 149.00): the total as before, Payway\'s figure (no Info about the stated price)', async () => {
      payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(14_900) });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      expect(placed.creation.infos.map((info) => info.code)).not.toContain('payway.total_as_stated');
      expect(placed.creation.infos.map((info) => info.code)).not.toContain('payway.stated_total_differs');
    });

    it('an amount that is no amount (no currency, a currency the gateway does not know, a negative value) changes nothing', async () => {
      for (const amount of [{ value: 12_900 }, { currency: 'XXQ', value: 12_900 }, { currency: 'SEK', value: -100 }, 12_900]) {
        payway.answers = () => complete({ orderId: paywayOrder() }, { extraItem: { amount } });
        const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
        expect(moneyOf(placed)).toEqual({ status: 'CAPTURED', total: '149.00 SEK', captured: ['149.00'] });
      }
    });

    it('action_required with 12900 SEK, then perform_additional_action completes (no amount): 129.00 captured', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`, {}, { extraItem: adyenAmount(12_900) }) : complete({ orderId: paywayOrder() });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(moneyOf(placed)).toEqual({ status: 'ACTION_REQUIRED', total: '129.00 SEK', captured: ['0.00'] });
      const continued = await harness.continueWith(placed.id, { threeDSResult: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(moneyOf(continued.data!.continueOrderCreation)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });

    // Not fixed: a purchase whose amount comes only once its 3-D Secure result is sent. The order's
    // total is fixed when placeAdyenOrder answers (the domain has no fact that changes a total),
    // and a captured amount only grows: the complete answer of perform_additional_action carrying
    // 12900 SEK leaves the stated 149.00 as total and captured amount.
    it.fails('3-D Secure, then perform_additional_action completes with 12900 SEK where 149.00 was shown: 129.00 (needs the domain to take a total from a fact)', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER ? actionRequired(`s-${randomUUID()}`) : complete({ orderId: paywayOrder() }, { extraItem: adyenAmount(12_900) });
      const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
      expect(placed.status).toBe('ACTION_REQUIRED');
      const continued = await harness.continueWith(placed.id, { threeDSResult: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' });
      expect(moneyOf(continued.data!.continueOrderCreation)).toEqual({ status: 'CAPTURED', total: '129.00 SEK', captured: ['129.00'] });
    });
  });
  describe("a 4xx error whose troubleshooting data says Adyen took the payment (Adyen's result Authorised, Pending, Received)", () => {
    const answer = (status: number, body: unknown): Answer => ({ status, body, contentType: 'application/JSON' });

    it.each([
      ['422, Authorised beside the error\'s properties', (correlationId: string) => answer(422, { code: 'order_creation_failed', field: null, message: 'The order could not be created', correlation_id: correlationId, result_code: 'Authorised' })],
      ['409, Received in a nested object', (correlationId: string) => answer(409, { code: 'third_party_error', field: null, message: 'Conflict', correlation_id: correlationId, details: { pspReference: 'PSP9', resultCode: 'Received' } })],
      ['400, Pending beside a list of messages', (correlationId: string) => answer(400, { errors: [{ code: 'third_party_error', field: null, message: 'Adyen answered Pending' }], correlation_id: correlationId, result_code: 'Pending' })],
    ] as const)('%s: Payway\'s refusal to the client, but the retry with the same key places nothing, and its order_closed settles it', async (_name, refusal) => {
      const key = `adyen-took-${randomUUID()}`;
      const correlationId = `adyen-${randomUUID()}`;
      payway.answers = () => refusal(correlationId);
      const refused = await harness.place({ idempotencyKey: key });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_REJECTED', correlationId });
      const reference = harness.lastPlaced().body.merchant_reference as string;
      const placed = payway.to(PLACE_ORDER).length;
      payway.answers = () => complete();
      const retry = await harness.place({ idempotencyKey: key });
      // Not placed a second time: Adyen has the first payment.
      expect(retry.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
      const paywayOrderId = paywayOrder();
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrderId }, 'flat'), SECRET, 'hmac-hex')).toBeLessThan(300);
      const known = await eventually(async () => (await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder, 5000);
      expect(known).toMatchObject({ status: 'CAPTURED', providerOrderId: paywayOrderId, payments: [{ capturedAmount: { amount: STATED.amount } }] });
      expect(payway.to(PLACE_ORDER)).toHaveLength(placed);
    });

    it('perform_additional_action answered so: the purchase is not failed, and its order_closed naming only the reference settles it', async () => {
      payway.answers = (request) =>
        request.path === PLACE_ORDER
          ? actionRequired(`s-${randomUUID()}`)
          : answer(422, { code: 'order_creation_failed', field: null, message: 'The order could not be created', correlation_id: `adyen-${randomUUID()}`, result_code: 'Authorised' });
      const placed = await placeOk();
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect((await harness.continueWith(placed.id, { threeDSResult: 'eyJ0cmFuc1N0YXR1cyI6IlkifQ==' })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
      expect((await read(placed.id)).status).toBe('ACTION_REQUIRED');
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(await read(placed.id)).toMatchObject({ status: 'CAPTURED', payments: [{ capturedAmount: { amount: STATED.amount } }] });
    });

    it('a 422 whose Adyen result is Refused (or none) is still a refusal that placed nothing: the retry with the same key places it', async () => {
      for (const extra of [{ result_code: 'Refused' }, {}]) {
        const key = `adyen-refused-${randomUUID()}`;
        payway.answers = () => answer(422, { code: 'third_party_error', field: null, message: 'Refused', correlation_id: `adyen-${randomUUID()}`, ...extra });
        expect((await harness.place({ idempotencyKey: key })).errors?.[0]?.extensions?.code).toBe('PROVIDER_REJECTED');
        payway.answers = () => complete();
        expect((await harness.place({ idempotencyKey: key })).data?.placeAdyenOrder).toMatchObject({ status: 'CAPTURED' });
      }
    });
  });
});
