import { badInput } from './errors.js';
import { exponentOf, parsePositiveMoney, type Money } from './money.js';

/**
 * The price a client says the shopper was shown (placeAdyenOrder's `amount` and `currency`),
 * checked as every amount is: an ISO 4217 code, no more decimals than the currency has, above
 * zero. Both or neither: an amount without its currency (or the reverse) is BAD_USER_INPUT
 * naming the missing one.
 */
export function parseStatedPrice(amount: string | null | undefined, currency: string | null | undefined): Money | undefined {
  if (amount == null && currency == null) return undefined;
  if (currency == null) throw badInput('input.currency', 'The currency of the amount is required (ISO 4217, e.g. "SEK")');
  if (amount == null) throw badInput('input.amount', 'A currency is given with the amount it is for');
  exponentOf(currency, 'input.currency');
  return parsePositiveMoney(amount, currency, 'input.amount');
}
