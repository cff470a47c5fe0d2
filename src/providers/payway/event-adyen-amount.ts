import type { Money } from '../../domain/money.js';
import { currencyCodeOf } from './currency-code.js';

/**
 * The amount an item of Adyen's notification says the payment was for: Adyen's `{currency,
 * value}` with the value in the currency's minor units (Adyen's own convention for its own
 * format, not a reading: no nearer-unit guess as for Payway's figures), the value a whole number
 * or its digits (Adyen's HMAC-signed form writes it as text); the currency its letters in any
 * case or ISO 4217's numeric code (currency-code.ts). A currency the gateway does not
 * know, a fraction, a negative or any other value is no amount. `flat` is the item's own
 * `value` / `currency` where Adyen's HTTP POST form posts them without the `amount` object.
 */
export function adyenAmount(amount: unknown, flat?: { value: unknown; currency: unknown }): Money | undefined {
  const written = amount !== null && typeof amount === 'object' && !Array.isArray(amount) ? (amount as Record<string, unknown>) : flat;
  if (!written) return undefined;
  const { value, currency } = written;
  // The letters in any case, or ISO 4217's numeric code (round twenty-seven: currency-code.ts).
  const code = currencyCodeOf(currency);
  if (code === undefined) return undefined;
  const minor = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(minor) && minor >= 0 ? { currency: code, minor } : undefined;
}
