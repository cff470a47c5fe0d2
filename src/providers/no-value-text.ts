/**
 * A value a provider had none for, written as its stack's text for "no value" rather than left out
 * or written as JSON `null` (round twenty-four): a view model, a template or a DTO of strings turns
 * every field into text, null too. Java's `String.valueOf(null)` and JavaScript's `String(null)`
 * write "null", a JavaScript template's `${undefined}` "undefined", Python's `str(None)` "None",
 * Ruby's `nil.inspect` "nil", Go's `fmt.Sprint(nil)` "<nil>", C's `printf("%s", NULL)` "(null)", a
 * reporting view `ISNULL(CAST(col AS varchar), 'null')`. No seed says how a field without a value
 * is written; earlier rounds read JSON `null`, a blank and a field left out. Read as values, these
 * words were found to: make an unconfirmed Pei order's read unreadable (`"purchaseId": "null"`) and
 * name a mandate Pei never issued; make a Dintero session's `cancelled_at: "None"` a cancel (a
 * waiting order CANCELLED while its buyer was on the page) and an undecided event's `success` a
 * history nobody could read (a capture refused later was counted); make Payway's `order_id:
 * "null"` an order every later purchase collided with, and a `correlation_id: "null"` an Adyen
 * outcome unknown.
 *
 * Only for fields whose values cannot be these words (a provider's ids, a time, an outcome flag):
 * there reading one as "not set" guesses nothing. A client's own text (a Reference, a merchant
 * reference) is never read so. Other placeholders (`"N/A"`, `"-"`, `"0"`) can be values, and are,
 * save where withoutPlaceholderText is asked for.
 */
const NO_VALUE_TEXTS: ReadonlySet<string> = new Set(['null', 'none', 'nil', '<nil>', '(null)', 'undefined']);

/** Whether `value` is a string that spells "no value" (whole, any letter case, blanks around it). */
export function isNoValueText(value: unknown): boolean {
  return typeof value === 'string' && NO_VALUE_TEXTS.has(value.trim().toLowerCase());
}

/** `value`, or undefined (absent) where it spells "no value" (for a schema's preprocess). */
export const withoutNoValueText = (value: unknown): unknown => (isNoValueText(value) ? undefined : value);

/**
 * Round twenty-five: a report's or a template's placeholder for "no value" (`N/A`, `n/a`, `NA`, `-`,
 * `--`, an en or em dash: a reporting view's `ISNULL(CAST(col AS varchar), 'N/A')`, a grid's "-"),
 * besides the words above. Unlike those, such text may be a value of a free text field (a
 * reference `-`), so it is read as "no value" only by withoutPlaceholderText, for a field whose own
 * shape can never be it: Pei's purchase id (digits) and mandate id (an id of 16 characters or more,
 * as the seed's are). Read as values there, they made an unconfirmed Pei order's read unreadable
 * and its Cancel's postback refused, and named a mandate `N/A` on a one-off payment.
 */
const PLACEHOLDER_TEXTS: ReadonlySet<string> = new Set(['n/a', 'na', '-', '--', '\u2013', '\u2014']);

/** Whether `value` is a placeholder for "no value" (PLACEHOLDER_TEXTS, or a word isNoValueText reads). */
export function isPlaceholderText(value: unknown): boolean {
  return isNoValueText(value) || (typeof value === 'string' && PLACEHOLDER_TEXTS.has(value.trim().toLowerCase()));
}

/** `value`, or undefined (absent) where it is a placeholder for "no value": only for a field whose values cannot be one. */
export const withoutPlaceholderText = (value: unknown): unknown => (isPlaceholderText(value) ? undefined : value);
