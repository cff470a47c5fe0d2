import { currencyOfNumber } from '../currency-code.js';

/*
 * Round twenty-seven: an order's currency as its ISO 4217 numeric code. Pure.
 *
 * The seed writes "<Currency of order>" in its answers and shows a currency only in a request
 * (`"currency": "EUR"`). An Intergiro whose acquiring core keeps currencies as ISO 8583 does (its
 * field 49: the numeric code) may answer EUR as `"978"` or `978`. Read as letters only, every such
 * order was unreadable: a card order Intergiro authorized (or charged) was PROVIDER_UNAVAILABLE to
 * the shop, and its retry's search of the listing could not read it.
 */

/**
 * The ISO 4217 letter code an order's `currency` names: three letters in any case (upper-cased),
 * or a numeric code of ISO's table (../currency-code.ts), as text (`"978"`, `"036"`) or a JSON number (`978`, `36`);
 * undefined for anything else.
 */
export function currencyCodeOf(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(value)) return value.trim().toUpperCase();
  // ISO's table, shared (../currency-code.ts): a code not in it is not read, the order unreadable as before.
  return currencyOfNumber(value);
}
