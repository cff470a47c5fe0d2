import { currencyOfNumber } from '../currency-code.js';

/*
 * A transaction's `currency` as Dintero may write it (round twenty-seven). The seed writes
 * `"currency": "NOK"`, in request bodies only; no seed shows a read. An implementation whose money
 * passes through a card acquirer may write the ISO 4217 numeric code instead (ISO 8583's field 49
 * carries `578` for NOK), as a JSON number or as text. ISO's table (../currency-code.ts, shared) is
 * one to one with the letters: reading it is no guess. A number not in it is no currency (none, as
 * an unreadable one always was): a read without a currency is completed from its order
 * (binding.ts boundToOrder).
 */

/**
 * `written` as ISO 4217 letters in upper case: letters as written (any case, spaces around them
 * dropped), or a numeric code (`578`, `"578"`, `"036"`) of ISO's table. Anything else is returned
 * as it is, for the caller's own check to refuse.
 */
export function currencyLetters(written: unknown): unknown {
  if (typeof written === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(written)) return written.trim().toUpperCase();
  return currencyOfNumber(written) ?? written;
}
