/*
 * A transaction's `currency` as Dintero may write it. The seed writes `"currency": "NOK"`, in request
 * bodies only; no seed shows a read. An implementation whose money passes through a card acquirer
 * may write the ISO 4217 numeric code instead (ISO 8583's field 49 carries `578` for NOK), as a JSON
 * number or as text. The numeric codes below are ISO 4217's own, one to one with the letters: reading
 * them is no guess. A number not in this table is no currency (none, as an unreadable one always
 * was): a read without a currency is completed from its order (binding.ts boundToOrder).
 */
const NUMERIC_TO_ALPHA: ReadonlyMap<number, string> = new Map([
  [578, 'NOK'],
  [752, 'SEK'],
  [208, 'DKK'],
  [352, 'ISK'],
  [978, 'EUR'],
  [840, 'USD'],
  [826, 'GBP'],
  [756, 'CHF'],
  [985, 'PLN'],
  [203, 'CZK'],
  [348, 'HUF'],
  [946, 'RON'],
  [975, 'BGN'],
  [124, 'CAD'],
  [36, 'AUD'],
  [554, 'NZD'],
  [392, 'JPY'],
  [156, 'CNY'],
  [414, 'KWD'],
  [48, 'BHD'],
  [400, 'JOD'],
  [512, 'OMR'],
  [788, 'TND'],
]);

/**
 * `written` as ISO 4217 letters in upper case: letters as written (any case, spaces around them
 * dropped), or a numeric code (`578`, `"578"`, `"036"`) this table knows. Anything else is returned
 * as it is, for the caller's own check to refuse.
 */
export function currencyLetters(written: unknown): unknown {
  if (typeof written === 'string' && /^\s*[A-Za-z]{3}\s*$/.test(written)) return written.trim().toUpperCase();
  const numeric = typeof written === 'number' ? written : typeof written === 'string' && /^\s*\d{1,3}\s*$/.test(written) ? Number(written) : undefined;
  if (numeric === undefined || !Number.isInteger(numeric)) return written;
  return NUMERIC_TO_ALPHA.get(numeric) ?? written;
}
