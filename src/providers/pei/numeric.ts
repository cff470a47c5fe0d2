/**
 * The seed's "Numeric" (Amount, Items[n].UnitPrice, Items[n].Amount, Quantity) written as a string
 * in an answer it shows no example of (reads, listings, Orders/Pay, the postback's `amount`).
 *
 * Round fifteen: a .NET DTO filling `string Amount` with `order.Amount.ToString()` writes it in its
 * server's culture, and Pei (Greiðslumiðlun, ISK) runs where that culture is Icelandic (is-IS: `,`
 * for the decimal point, `.` between thousands), as round four's Pei wrote its dates (`31.7.2018`).
 * A `decimal(18,2)` amount of 5000 kr. is then `5000,00` (`ToString()`) or `5.000,00` (`"N2"`).
 * Before, the first was no number (every read and listing entry unreadable: a paid order never
 * CAPTURED, a lost charge never found), and `5.000` (`"N0"`) was read as 5 kr.
 *
 * Read as the invariant culture writes it (`5000`, `5000.00`), or as is-IS or en-US write it where
 * the text can be nothing else: a decimal comma, groups of three between dots (or commas, en-US)
 * with the other mark before the decimals, or more than one group. A single group of three after
 * one to three digits (`5.000`, `5,000`) is 5 in one culture and 5000 in the other: not read at all
 * (undefined) rather than guessed, since either guess is a thousandfold error in money.
 */
export function numericText(raw: string): number | undefined {
  const text = raw.trim();
  const invariant = /^-?\d{1,15}(?:\.\d{1,15})?$/.exec(text);
  if (invariant) return /^-?\d{1,3}\.\d{3}$/.test(text) ? undefined : Number(text);
  // is-IS `5000,00`; `5,000` may be en-US's 5000.
  if (/^-?\d{1,15},\d{1,15}$/.test(text)) return /^-?\d{1,3},\d{3}$/.test(text) ? undefined : Number(text.replace(',', '.'));
  // is-IS `5.000,00`, `1.000.000`; en-US `5,000.00`, `1,000,000`.
  const grouped = /^(-?\d{1,3}(?:([.,])\d{3})+)(?:([.,])(\d{1,15}))?$/.exec(text);
  if (!grouped) return undefined;
  const [, whole, group, point, decimals] = grouped;
  if (point === group || (point === undefined && !/\d([.,])\d{3}\1\d{3}/.test(text))) return undefined;
  const digits = whole!.split(group!).join('');
  return Number(decimals === undefined ? digits : `${digits}.${decimals}`);
}
