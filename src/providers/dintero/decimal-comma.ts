/**
 * An amount written with a decimal comma, as a decimal serialiser in a Norwegian culture (nb-NO:
 * Dintero is Norwegian) writes money: `"99,50"`, `"498,00"`, `"-50,00"` (round twenty-eight). The
 * seed writes every amount as an integer in minor units, in requests only; it shows no read. Before,
 * such an amount was none, so a transaction written so was read by its status alone: 20.00 captured
 * in Dintero's back office beside the gateway's 30.00 showed 30.00 captured, and a transaction POSTed
 * as its callback at a Dintero without the session read did not say its amount and was not believed.
 *
 * Read as the text with a point, never more: the figure's units are then told against the order's
 * total as any decimal string's are (wire.ts decimalText, binding.ts inMinorUnits), never rounded.
 * A comma followed by exactly three digits (`"1,500"`) is a thousands separator in en-US and a
 * decimal comma in nb-NO: no reading of it is more than a guess, so it stays no amount. A figure
 * with a separator besides (`"1 500,00"`, `"1.500,00"`) stays none too.
 */
const DECIMAL_COMMA = /^\s*(-?\d{1,13}),(\d{1,2}|\d{4,6})\s*$/;

/** `text` with its decimal comma as a point (`"99,50"` is `"99.50"`); any other text as it is. */
export function decimalCommaAsPoint(text: string): string {
  const match = DECIMAL_COMMA.exec(text);
  return match ? `${match[1]}.${match[2]}` : text;
}
