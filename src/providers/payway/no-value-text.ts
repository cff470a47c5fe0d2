/**
 * A field Payway had no value for, written as the text of "no value" (round twenty-four): Java's
 * `String.valueOf(null)` or `"" + null` (`"null"`), JavaScript's template of `null` or `undefined`,
 * Python's `str(None)` (`"None"`), Ruby's `nil.inspect` (`"nil"`), Go's `fmt.Sprint(nil)`
 * (`"<nil>"`), C's `printf("%s", NULL)` (`"(null)"`). The seed shows its ids only as values
 * (`"receipt_id": "5e4becc109c04c404a46c744"`, `"order_id": "ADEPRIMO-123"`, a
 * `session_reference`, a `correlation_id` "only available for third party errors") and says
 * nothing of how a field without one is written; round two read `null` and `""`, not these.
 *
 * Only for Payway's ids (an order, a receipt, a session, a correlation id) and an error's `field`:
 * none of them can be such a word (Payway's ids are ObjectIds and order numbers, Adyen's are
 * pspReferences), so reading it as none believes nothing. A merchant reference is the client's
 * own text and is never read so.
 */
const NO_VALUE_TEXTS: ReadonlySet<string> = new Set(['null', 'nil', '<nil>', 'none', 'undefined', '(null)']);

/** Whether `value` is a string that spells "no value" (any letter case, spaces around it). */
export function isNoValueText(value: unknown): boolean {
  return typeof value === 'string' && NO_VALUE_TEXTS.has(value.trim().toLowerCase());
}

/** `value`, or undefined where it spells "no value" (for a schema's preprocess). */
export const withoutNoValueText = (value: unknown): unknown => (isNoValueText(value) ? undefined : value);

/**
 * The session an answer's step goes on in: the one it names, except that a name spelling "no
 * value" yields to the session the answer belongs to (perform_additional_action's, whose further
 * action may leave its session out: CONTRACT §8 only says it answers "like place_order"). Where
 * the answer belongs to none (place_order's first action) such a name is kept as written, as
 * before: the step is shown, and a Payway that needs no session to go on (Adyen's details name the
 * payment) still takes its result; treating it as none would make the answer unreadable.
 */
export function sessionGoneOnIn(named: string | undefined, answered: string | undefined): string | undefined {
  if (named !== undefined && answered !== undefined && isNoValueText(named)) return answered;
  return named ?? answered;
}
