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
 * ISO 4217's numbers are a published table, not a guess: each names one currency. A number not in
 * the table below (or one naming no money, 999 XXX) is kept as written, and the amount stays
 * unreadable, as before: an amount in a currency the gateway cannot name is never counted.
 */

/** ISO 4217's numbers of currencies a shop sells in (domain/currencies.ts knows their decimals), as ISO writes them. */
const NUMBERED =
  'AED 784 AUD 036 BGN 975 BHD 048 BRL 986 CAD 124 CHF 756 CNY 156 CZK 203 DKK 208 EUR 978 GBP 826 HKD 344 ' +
  'HUF 348 ILS 376 INR 356 ISK 352 JOD 400 JPY 392 KRW 410 KWD 414 MXN 484 MYR 458 NOK 578 NZD 554 OMR 512 ' +
  'PLN 985 QAR 634 RON 946 RUB 643 SAR 682 SEK 752 SGD 702 THB 764 TND 788 TRY 949 TWD 901 UAH 980 USD 840 ZAR 710';

/** ISO 4217 number -> letters. */
const BY_NUMBER = new Map<number, string>();
const pairs = NUMBERED.split(' ');
for (let index = 0; index < pairs.length; index += 2) BY_NUMBER.set(Number(pairs[index + 1]), pairs[index]!);

/** ISO 4217's letters for a currency written as letters (any case) or as its number; anything else as written (then no currency). */
export function icmCurrency(written: string | number): string {
  if (typeof written === 'number') return (Number.isSafeInteger(written) && BY_NUMBER.get(written)) || String(written);
  const text = written.trim();
  // Three digits (`"036"`), as ISO writes the number; a JSON number loses the leading zeros.
  if (/^\d{1,3}$/.test(text)) return BY_NUMBER.get(Number(text)) ?? text;
  return text.toUpperCase();
}
