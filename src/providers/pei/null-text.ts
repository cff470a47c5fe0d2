/*
 * Round twenty-four: a value Pei has none for, written as the text of no value. The seed shows no
 * read's output and says only that "the mandateId should be null" where it does not apply; rounds
 * two and twenty took JSON's `null`, a blank and a field left out. A read model or postback written
 * by hand writes the word instead: Java's `"\"" + value + "\""` and JavaScript's template literals
 * write `"null"` (and JavaScript's `String(undefined)` `"undefined"`), a reporting view
 * `ISNULL(CAST(col AS varchar), 'null')`. Read as a value, an unconfirmed order's `"purchaseId":
 * "null"` made the read unreadable (no purchase id is four letters), and `"mandateId": "null"` named
 * a mandate Pei never issued.
 *
 * Only for fields whose values cannot be these words: a purchase id is digits, a mandate id is one
 * of Pei's ids (order-id-shape.ts: 16 characters or more). A client's Reference is the client's text
 * and is read as written.
 */

/** The words a serialiser writing every value as text writes for none, compared without case or surrounding blanks. */
const NO_VALUE_WORDS: ReadonlySet<string> = new Set(['null', 'undefined']);

/** Whether `value` is the text of no value (`"null"`, `"NULL"`, `"undefined"`). */
export function isNoValueText(value: unknown): boolean {
  return typeof value === 'string' && NO_VALUE_WORDS.has(value.trim().toLowerCase());
}

/** `value`, or undefined (absent) where it is the text of no value. */
export const noValueTextAbsent = (value: unknown): unknown => (isNoValueText(value) ? undefined : value);
