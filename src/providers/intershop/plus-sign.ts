/**
 * A number ICM wrote as text, without the one `+` before its digits (round twenty-eight).
 *
 * The seed writes amounts as JSON numbers (`"value": 628.34`) and says nothing of the writer; a
 * BigDecimal written through a java.text.DecimalFormat with a positive prefix (`+#0.00;-#0.00`,
 * an XmlAdapter shared with an ERP export) writes `"+628.34"`, a fixed-width one `"+00000628.34"`,
 * and counts and quantities the same way (`"+50"`, `"+2"`). A `+` says "positive" and nothing
 * else, so the number is the digits after it (leading zeros were read already: they say nothing
 * either). Before, such an amount was unreadable and so was the whole answer: a create was
 * PROVIDER_UNAVAILABLE after ICM had made the order and, paid without a redirect, taken its money.
 * Only one `+` directly before a digit is taken off; anything else (`++1`, `+-1`, `+ 1`, `+.5`)
 * is left as written, for the reader to refuse.
 */
export function withoutPlusSign(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/^(\s*)\+(?=\d)/, '$1') : value;
}
