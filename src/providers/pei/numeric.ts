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
  const spaced = spaceGrouped(text);
  if (spaced !== null) return spaced;
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

/**
 * Round sixteen: thousands grouped by a mark that is never a decimal point, as .NET writes "N0" and
 * "N2" under cultures other than is-IS: a no-break space (U+00A0: nb-NO, sv-SE, fi-FI; fr-FR
 * before ICU), a narrow no-break space (U+202F: fr-FR under ICU), a plain space, an apostrophe
 * (de-CH: `'`, or U+2019 under ICU). `5 000`, `5 000,00`, `1'234.50`. With such a group mark the
 * one `,` or `.` after the groups can only be the decimal point, so nothing is guessed. Before,
 * every such figure was no number (round fifteen's leftover): every read unreadable. Null: not
 * grouped so (another reading applies); undefined: grouped so, but wrongly (`5 00`, mixed marks).
 */
function spaceGrouped(raw: string): number | undefined | null {
  const text = withGroupMarksRead(raw);
  if (!/\d[ \u00A0\u202F'\u2019]\d/.test(text)) return null;
  const grouped = /^(-?\d{1,3}([ \u00A0\u202F'\u2019])\d{3}(?:\2\d{3})*)(?:[.,](\d{1,15}))?$/.exec(text);
  if (!grouped) return undefined;
  const [, whole, group, decimals] = grouped;
  const digits = whole!.split(group!).join('');
  return Number(decimals === undefined ? digits : `${digits}.${decimals}`);
}

/**
 * Round twenty: a group mark of more than one UTF-8 byte (U+00A0 is C2 A0, U+202F E2 80 AF, U+2019
 * E2 80 99) in an answer whose UTF-8 bytes were read as ISO-8859-1 or windows-1252 (round nineteen's
 * `charset=iso-8859-1` on UTF-8), as those bytes read so: `5Â 000,00`. Only between digits, where
 * such letters are nothing else. Before, at a Pei writing "N2" under nb-NO whose answers were so
 * labelled, every read was unreadable: a paid order's postback answered 503 and it was never CAPTURED
 * from its reads either.
 */
function withGroupMarksRead(text: string): string {
  return text
    .replace(/(?<=\d)\u00C2\u00A0(?=\d)/g, '\u00A0')
    .replace(/(?<=\d)\u00E2[\u0080\u20AC]\u00AF(?=\d)/g, '\u202F')
    .replace(/(?<=\d)\u00E2[\u0080\u20AC][\u0099\u2122](?=\d)/g, '\u2019');
}

/**
 * A money figure in whole krónur (ISK has no minor units: the seed's amounts are all whole, and the
 * adapter reads a fractional one as an error). Round sixteen: one group of three after one to three
 * digits (`9.990`, the seed's own Amount as is-IS's "N0" writes it; `1,500`, en-US's) that
 * numericText leaves unread is read as thousands where its other reading, as a decimal point, is a
 * fraction of a króna: `9.990` is 9990 kr. or 9,99 kr., and only the first is an amount in ISK.
 * Where that other reading is whole too (`5.000`: 5000 kr. or 5 kr.) it stays unread here, as
 * before: either guess is a thousandfold error (krónurInOneCulture reads it where the other figures
 * of its answer say which it is).
 */
export function krónurText(raw: string): number | undefined {
  const value = numericText(raw);
  if (value !== undefined) return value;
  const single = /^(-?\d{1,3})[.,](\d{3})$/.exec(raw.trim());
  if (!single || single[2] === '000') return undefined;
  return Number(`${single[1]}${single[2]}`);
}

/** A single group of three zeros after one to three digits (`5.000`, `10,000`): 5 or 5000 by culture, whole krónur either way. */
const SINGLE_THOUSAND = /^(-?\d{1,3})([.,])000$/;

/**
 * The two readings of a money figure written as a single group of `000` (`5.000`: 5 and 5000 kr.),
 * smaller first; undefined for any other text. Neither is taken here (round twenty-five:
 * charged-choice.ts takes the one the order's lines allow).
 */
export function thousandReadings(text: string): readonly [number, number] | undefined {
  const single = SINGLE_THOUSAND.exec(text.trim());
  if (!single || single[1]!.startsWith('-')) return undefined;
  const whole = Number(single[1]);
  return whole > 0 ? [whole, whole * 1000] : undefined;
}

/** The mark a writer put between thousands, and the one it wrote as the decimal point, where a figure says. */
export interface CultureMarks {
  thousands?: string;
  point?: string;
}

/**
 * Round nineteen: what the order's own Amount, written as a single group of `000` (`5.000`: 5 or
 * 5000 kr., both whole), says of its writer's culture where the gateway knows the total it
 * submitted the order with: the reading that is that total. Pei's Amount is the order's ("TotalAmount
 * of purchase", a required field the gateway sent), and its other reading is a thousandth (or a
 * thousandfold) of it: no amount any choice among the order's lines makes. The mark so learned
 * reads the answer's other figures too (krónurInOneCulture: one answer, one serialiser), as a
 * figure beside it that says so does (round sixteen). Nothing where the figure is no such group,
 * or neither reading is the total (the buyer chose other lines): it stays unread, never guessed.
 * Before, at a Pei writing "N0", an order of one line of 5000 kr. had no figure that said, and
 * every read of it was unreadable: paid, it never became CAPTURED (round fifteen's it.fails).
 */
export function marksByTotal(text: string, total: number): CultureMarks {
  const single = SINGLE_THOUSAND.exec(text.trim());
  if (!single) return {};
  const [, whole, mark] = single;
  if (Number(whole) * 1000 === total) return { thousands: mark! };
  if (Number(whole) === total) return { point: mark! };
  return {};
}

/**
 * What one money figure says of the culture its writer used: the mark it can only have written
 * between thousands (`2.500` in krónur, `5.000,00`, `1.000.000`), and the mark it can only have
 * written as the decimal point (`5000.00`, `5.000,00`, `2500.000`).
 */
function marksOf(text: string): CultureMarks {
  const trimmed = text.trim();
  const grouped = /^-?\d{1,3}(?:([.,])\d{3})+(?:([.,])\d{1,15})?$/.exec(trimmed);
  if (grouped) {
    const [, group, point] = grouped;
    if (point !== undefined) return point === group ? {} : { thousands: group!, point };
    // `1.000.000`, or one group that only the thousands reading makes whole krónur (`2.500`: krónurText).
    if ((trimmed.split(group!).length > 2 || krónurText(trimmed) !== undefined) && !SINGLE_THOUSAND.test(trimmed)) return { thousands: group! };
    return {};
  }
  // A decimal part of other than three digits (`5000.00`, `5000,5`), or three after four digits or more (`2500.000`).
  const point = /^-?\d+([.,])(\d+)$/.exec(trimmed);
  if (point && (point[2]!.length !== 3 || !/^-?\d{1,3}[.,]/.test(trimmed))) return { point: point[1]! };
  return {};
}

/**
 * Round sixteen: the figures of one answer, each as krónurText reads it, and a single group of
 * `000` (`5.000`: 5 or 5000 kr., both whole, which krónurText leaves unread) read as the answer's
 * other figures say its writer's culture writes that mark. One answer comes from one serialiser:
 * where another figure beside it can only have used the mark between thousands (a unit price of
 * `2.500`, a `5.000,00`) and none used it as a decimal point, `5.000` is 5000; the other way round
 * (`2500.000` beside it), 5. Where nothing beside it says, or figures disagree, it stays unread:
 * never guessed. Before, the default order of two lines of 2500 kr. (`2.500`, `5.000`) was
 * unreadable at a Pei writing "N0" under is-IS, though its unit price says how it writes thousands.
 */
export function krónurInOneCulture(texts: readonly string[], known: readonly CultureMarks[] = []): Map<string, number> {
  const thousands = new Set<string>();
  const points = new Set<string>();
  for (const marks of [...texts.map(marksOf), ...known]) {
    if (marks.thousands !== undefined) thousands.add(marks.thousands);
    if (marks.point !== undefined) points.add(marks.point);
  }
  const read = new Map<string, number>();
  for (const text of texts) {
    const single = SINGLE_THOUSAND.exec(text.trim());
    if (!single) continue;
    const [, whole, mark] = single;
    if (thousands.has(mark!) && !points.has(mark!)) read.set(text, Number(whole) * 1000);
    else if (points.has(mark!) && !thousands.has(mark!)) read.set(text, Number(whole));
  }
  return read;
}
