/*
 * A number Intergiro writes as text. The seed quotes its placeholders ("items": "<numer or item
 * information ...>", "amount": "<Amount of payment>"), so an amount may come as a numeric string.
 * Round twenty-eight: a ledger writing signed amounts (printf's `%+.2f`, a DecimalFormat with a
 * positive prefix) writes "+20.00" beside a refund's "-5.00", and a fixed-width record pads with
 * leading zeros ("0020.00"). Both say one number in every reading: a `+` is a sign, not a figure,
 * and a money figure implies no radix, so leading zeros change nothing. Read before only without
 * the `+`, every order so answered was unreadable. Anything else (a grouping separator, an
 * exponent, a comma decimal) stays unreadable here: an ambiguous amount is never guessed. Pure.
 */

/** An optional sign, up to 15 whole digits, an optional fraction of up to 15; spaces around. */
export const DECIMAL_TEXT = /^\s*[+-]?\d{1,15}(?:\.\d{1,15})?\s*$/;

/** The value of a numeric text in DECIMAL_TEXT's form, NaN for any other text. */
export function decimalTextValue(text: string): number {
  return DECIMAL_TEXT.test(text) ? Number(text.trim()) : Number.NaN;
}
