import { currencyExponent } from '../../domain/currencies.js';
import { currencyOfNumber } from '../currency-code.js';

/**
 * The currency of a figure of Payway's or Adyen's (`{currency, value}`) as the gateway names it:
 * the letter code in any case (`"sek"`), or, round twenty-seven, ISO 4217's numeric code written
 * as a number or as digits (`752`, `"752"`, `"036"`, or `36` which a number cannot write with its
 * zero). None of the seed's answers carries an amount at all; a Payway passing on an acquirer's
 * figure (ISO 8583's field 49 is the numeric code) or keeping currencies by number writes them
 * so. Before, such a figure was no figure: the total was the price the client stated (149.00
 * recorded and captured for a purchase Payway charged 129.00). Undefined for anything else: a
 * code the gateway does not know, a number not in ISO's table (../currency-code.ts, shared).
 */
export function currencyCodeOf(written: unknown): string | undefined {
  const numbered = currencyOfNumber(written);
  if (numbered || typeof written !== 'string') return numbered;
  const code = written.trim().toUpperCase();
  return currencyExponent(code) === undefined ? undefined : code;
}
