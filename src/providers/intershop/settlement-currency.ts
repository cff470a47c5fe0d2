import { providerUnavailable } from '../../domain/errors.js';
import { add, type Money } from '../../domain/money.js';
import type { IntershopMoney } from './wire.js';

/*
 * A payment's amount in its order's currency. Pure (the wire amount's reader is passed in).
 *
 * The seed writes every amount of an order in its `purchaseCurrency` (USD: the payment's
 * `baseAmount` and `totalAmount`, §2.2 and §3.1) and says nothing of a payment in another one. A
 * PSP with dynamic currency conversion charges the buyer's card in her own currency (EUR for a USD
 * basket) and ICM may record the payment as the PSP settled it: `totalAmount` in EUR, `baseAmount`
 * (the share of the basket the payment pays) still in USD. Before (round twenty-nine), the EUR
 * `totalAmount` was read as the payment's amount and, the order's `totals` elided as in the seed,
 * as the order's total: a USD order shown CAPTURED for 578.07 EUR, and beside a gift card in USD
 * every answer unreadable (two currencies in one sum): PROVIDER_UNAVAILABLE after ICM had taken
 * the money.
 *
 * So an amount in another currency than the order's is never the order's money. The payment's
 * amount is its `totalAmount` when that is in the order's currency; else its `baseAmount` with its
 * `paymentCosts` added (§2.2's payment carries both beside `totalAmount`, which is their sum; a
 * payment whose answer writes no costs has none), when both are in the order's currency; else
 * nothing says it, and the answer is unreadable (never converted, never guessed). Without a
 * currency of the order's (no readable `purchaseCurrency`), `totalAmount` is read as before.
 */

/** The amounts of one of ICM's payments this reading uses (an included payment or a payments-resource entry). */
export interface PaymentAmounts {
  totalAmount: IntershopMoney;
  baseAmount?: IntershopMoney | undefined;
  paymentCosts?: IntershopMoney | undefined;
}

export function paymentAmountInOrderCurrency(payment: PaymentAmounts, orderCurrency: string | undefined, read: (money: IntershopMoney) => Money): Money {
  const total = read(payment.totalAmount);
  if (orderCurrency === undefined || total.currency === orderCurrency) return total;
  const { baseAmount, paymentCosts } = payment;
  if (baseAmount === undefined || baseAmount.currency !== orderCurrency || (paymentCosts !== undefined && paymentCosts.currency !== orderCurrency)) {
    throw providerUnavailable('Intershop', new Error(`a payment of ${total.currency} on an order in ${orderCurrency}, its amount in ${orderCurrency} unsaid`));
  }
  const base = read(baseAmount);
  return paymentCosts === undefined ? base : add(base, read(paymentCosts));
}
