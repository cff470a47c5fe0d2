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
 * Numeric codes of the currencies the gateway's Intergiro orders are made in and their
 * neighbours (ISO 4217's own table). A code not listed here is not read (the order unreadable, as
 * before): a currency is never guessed, since its decimals decide every amount of the order.
 */
const ALPHA_OF_NUMERIC: Readonly<Record<string, string>> = {
  '036': 'AUD',
  '048': 'BHD',
  '124': 'CAD',
  '156': 'CNY',
  '203': 'CZK',
  '208': 'DKK',
  '344': 'HKD',
  '348': 'HUF',
  '352': 'ISK',
  '392': 'JPY',
  '400': 'JOD',
  '414': 'KWD',
  '512': 'OMR',
  '554': 'NZD',
  '578': 'NOK',
  '702': 'SGD',
  '710': 'ZAR',
  '752': 'SEK',
  '756': 'CHF',
  '788': 'TND',
  '826': 'GBP',
  '840': 'USD',
  '946': 'RON',
  '949': 'TRY',
  '975': 'BGN',
  '978': 'EUR',
  '985': 'PLN',
};

/**
 * The ISO 4217 letter code an order's `currency` names: three letters in any case (upper-cased),
 * or a numeric code listed above, as text (`"978"`, `"036"`) or a JSON number (`978`, `36`);
 * undefined for anything else.
 */
export function currencyCodeOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^[A-Za-z]{3}$/.test(text)) return text.toUpperCase();
    return /^\d{3}$/.test(text) ? ALPHA_OF_NUMERIC[text] : undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 1000) return ALPHA_OF_NUMERIC[String(value).padStart(3, '0')];
  return undefined;
}
