import { currencyExponent } from '../../domain/currencies.js';

/**
 * ISO 4217's numeric codes of the currencies a Payway figure may plausibly come in (the Nordic
 * ones first: Payway's addresses are SE, FI or AX) and their letter codes. The same standard as
 * the letters, one code for one currency: reading `752` as SEK is no guess. A numeric code not
 * listed here stays no currency (the figure is none), as an unknown letter code is.
 */
const NUMERIC: Readonly<Record<string, string>> = {
  '752': 'SEK',
  '978': 'EUR',
  '578': 'NOK',
  '208': 'DKK',
  '352': 'ISK',
  '840': 'USD',
  '826': 'GBP',
  '756': 'CHF',
  '985': 'PLN',
  '203': 'CZK',
  '348': 'HUF',
  '946': 'RON',
  '975': 'BGN',
  '949': 'TRY',
  '036': 'AUD',
  '124': 'CAD',
  '554': 'NZD',
  '392': 'JPY',
  '156': 'CNY',
  '344': 'HKD',
  '702': 'SGD',
  '356': 'INR',
  '710': 'ZAR',
  '986': 'BRL',
  '484': 'MXN',
  '414': 'KWD',
  '048': 'BHD',
  '512': 'OMR',
};

/**
 * The currency of a figure of Payway's or Adyen's (`{currency, value}`) as the gateway names it:
 * the letter code in any case (`"sek"`), or, round twenty-seven, ISO 4217's numeric code written
 * as a number or as digits (`752`, `"752"`, `"036"`, or `36` which a number cannot write with its
 * zero). None of the seed's answers carries an amount at all; a Payway passing on an acquirer's
 * figure (ISO 8583's field 49 is the numeric code) or keeping currencies by number writes them
 * so. Before, such a figure was no figure: the total was the price the client stated (149.00
 * recorded and captured for a purchase Payway charged 129.00). Undefined for anything else: a
 * code the gateway does not know, a number that is no code here.
 */
export function currencyCodeOf(written: unknown): string | undefined {
  if (typeof written === 'number') return Number.isInteger(written) && written > 0 && written < 1000 ? NUMERIC[String(written).padStart(3, '0')] : undefined;
  if (typeof written !== 'string') return undefined;
  const text = written.trim();
  if (/^\d{3}$/.test(text)) return NUMERIC[text];
  const code = text.toUpperCase();
  return currencyExponent(code) === undefined ? undefined : code;
}
