/*
 * A currency written as its ISO 4217 numeric code (rounds twenty-seven of Intergiro, Intershop and
 * Payway). No seed shows a currency's type in an answer, and a provider whose core keeps
 * currencies as ISO 8583 does (its field 49), or as `java.util.Currency#getNumericCode()`, writes
 * `978` or `"978"` (`"036"`, or `36` as a JSON number, which cannot write the zero). The numbers are
 * ISO's published table, one code for one currency: reading `752` as SEK is no guess. A number not
 * in the table below is no currency here (each adapter then reads the amount as unreadable, never
 * in a guessed currency: its decimals decide every figure). Pure.
 */

/** ISO 4217 letters and numbers of the currencies a shop sells in (domain/currencies.ts knows their decimals). */
const NUMBERED =
  'AED 784 AUD 036 BGN 975 BHD 048 BRL 986 CAD 124 CHF 756 CNY 156 CZK 203 DKK 208 EUR 978 GBP 826 HKD 344 ' +
  'HUF 348 ILS 376 INR 356 ISK 352 JOD 400 JPY 392 KRW 410 KWD 414 MXN 484 MYR 458 NOK 578 NZD 554 OMR 512 ' +
  'PLN 985 QAR 634 RON 946 RUB 643 SAR 682 SEK 752 SGD 702 THB 764 TND 788 TRY 949 TWD 901 UAH 980 USD 840 ZAR 710';

const BY_NUMBER = new Map<number, string>();
const pairs = NUMBERED.split(' ');
for (let index = 0; index < pairs.length; index += 2) BY_NUMBER.set(Number(pairs[index + 1]), pairs[index]!);

/**
 * The letters of a currency written as its ISO 4217 number: a whole JSON number, or one to three
 * digits as text (`"978"`, `"036"`); undefined for anything else, and for a number not in the table.
 */
export function currencyOfNumber(written: unknown): string | undefined {
  if (typeof written === 'number') return Number.isInteger(written) && written > 0 && written < 1000 ? BY_NUMBER.get(written) : undefined;
  if (typeof written !== 'string') return undefined;
  const text = written.trim();
  return /^\d{1,3}$/.test(text) ? BY_NUMBER.get(Number(text)) : undefined;
}
