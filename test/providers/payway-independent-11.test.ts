/**
 * Round eleven of the Payway adapter against an implementation we did not write
 * (test/support/independent/payway-server.ts): the money a purchase records, as a Payway may
 * write it.
 *
 * - (header completed below as findings are made)
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/app.js';
import { eventBody, pending, sendEvent, type IndependentPayway } from '../support/independent/payway-server.js';
import { independentPaywayHarness } from '../support/independent/payway-harness.js';

describe('Payway adapter against an independent implementation, round eleven', () => {
  const harness = independentPaywayHarness('-11');
  const { TOKEN, SECRET, placeOk, read } = harness;
  let gateway: Gateway;
  let payway: IndependentPayway;
  beforeAll(() => ({ gateway, payway } = harness.parts));

  const paywayOrder = () => `ADEPRIMO-${randomUUID().slice(0, 8)}`;
  const money = (order: { status: string; total: { amount: string; currency: string }; payments: { capturedAmount: { amount: string } | null }[] }) => ({
    status: order.status,
    total: `${order.total.amount} ${order.total.currency}`,
    captured: order.payments.map((payment) => payment.capturedAmount?.amount ?? '0'),
  });

  describe("payment_methods' price written as a JSON string (a Rails Payway's BigDecimal)", () => {
    it.each([
      ['"129.0" SEK where 149.00 was shown (BigDecimal#to_json of a major-unit price)', '"129.0"', { currency: 'SEK', value: 129 }, { amount: '149.00', currency: 'SEK' }, '129.00 SEK'],
      ['"9.9" EUR where 12.00 was shown', '"9.9"', { currency: 'EUR', value: 9.9 }, { amount: '12.00', currency: 'EUR' }, '9.90 EUR'],
      ['"12900" SEK in minor units where 149.00 was shown', '"12900"', { currency: 'SEK', value: 12_900 }, { amount: '149.00', currency: 'SEK' }, '129.00 SEK'],
    ] as const)('%s: the total is Payway\'s figure, and the purchase captures it once closed', async (_name, periodPriceText, periodPrice, stated, total) => {
      payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice, periodPriceText };
      payway.answers = () => pending();
      const placed = await placeOk(stated);
      expect(money(placed)).toEqual({ status: 'PENDING', total, captured: ['0.00'] });
      expect(placed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.stated_total_differs' }));
      const reference = harness.lastPlaced().body.merchant_reference as string;
      expect(await sendEvent(gateway.url, eventBody('order_closed', { merchantReference: reference, orderId: paywayOrder() }, 'nested-data'), SECRET, 'hmac-hex')).toBeLessThan(300);
      expect(money(await read(placed.id))).toEqual({ status: 'CAPTURED', total, captured: [total.split(' ')[0]] });
    });

    it('a string that is no amount ("free", "") is no price: the stated price stands', async () => {
      for (const text of ['"free"', '""', '"12,90"']) {
        payway.options = { token: TOKEN, strict: true, paymentMethods: 'priced', periodPrice: { currency: 'SEK', value: 0 }, periodPriceText: text };
        payway.answers = () => pending();
        const placed = await placeOk({ amount: '149.00', currency: 'SEK' });
        expect(money(placed)).toEqual({ status: 'PENDING', total: '149.00 SEK', captured: ['0.00'] });
        expect(placed.creation.infos).toContainEqual(expect.objectContaining({ code: 'payway.total_as_stated' }));
      }
    });
  });
});
