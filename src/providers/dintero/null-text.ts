/**
 * A value the server has not set, written as its stack's text for null rather than left out or
 * written as JSON null: a view model, a template or a DTO of strings converts every field to text,
 * null too. Python's `str(None)` writes "None" (the seed's own SDK is Python), Java's
 * `String.valueOf(null)` and JavaScript's `String(null)` "null", Go's `fmt.Sprint(nil)` "<nil>",
 * C's printf "(null)", a JavaScript template's `${undefined}` "undefined". No seed shows a session
 * read or an event, so nothing rules this out. Round twenty-four: before, such a text was a value:
 * a session's `cancelled_at` "None" was a cancel (the poller's first read of a waiting order made
 * it CANCELLED, final, while the buyer was on the page), and an undecided event's `success` "None"
 * made the whole money history unreadable (a capture the acquirer refused later was counted).
 *
 * Only these words, whole, in any letter case: none of them can be a time, an id Dintero makes or
 * an outcome, so reading one as "not set" guesses nothing.
 */
const NULL_WORDS = new Set(['null', 'none', 'nil', '<nil>', '(null)', 'undefined']);

export function spellsNull(value: unknown): boolean {
  return typeof value === 'string' && NULL_WORDS.has(value.trim().toLowerCase());
}
