import { currencyOfNumber } from '../currency-code.js';

/*
 * The currency of an ICM amount (`{currency, value}`) and of an order's `purchaseCurrency`, as
 * ISO 4217's letters. Pure.
 *
 * The seed writes `"USD"` and says nothing of the type. ICM keeps a java.util.Currency, and a JSON
 * writer may give it as ISO 4217's number instead of its letters (`getNumericCode()`: the JSON
 * number `840`, or the three digits `"840"`, `"036"`), or in lower case. Before (round
 * twenty-seven), a number made the amount, and with it the whole answer, unreadable: every create
 * PROVIDER_UNAVAILABLE after ICM had made the order (paid without a redirect: its money taken),
 * every retry's search found the order and failed the same way, and listings skipped it.
 *
 * ISO 4217's numbers are a published table, not a guess: each names one currency (the table is
 * shared: ../currency-code.ts). A number not in the table (or one naming no money, 999 XXX) is kept as written, and the amount stays
 * unreadable, as before: an amount in a currency the gateway cannot name is never counted.
 */

/** ISO 4217's letters for a currency written as letters (any case) or as its number; anything else as written (then no currency). */
export function icmCurrency(written: string | number): string {
  const numbered = currencyOfNumber(written);
  if (numbered) return numbered;
  return typeof written === 'number' ? String(written) : written.trim().toUpperCase();
}
