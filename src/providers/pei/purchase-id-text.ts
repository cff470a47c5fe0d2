import { withoutPlaceholderText } from '../no-value-text.js';

/**
 * Text in the place of a purchase id that names no purchase (round twenty-six): any text without a
 * single digit. A Pei purchase id is digits (the seed's postback shows 966127; reads take 1 to 19 of
 * them, wire-fields.ts purchaseDigits), so such text has no reading as a purchase: it is a
 * placeholder for none, whatever its words. Round twenty-five read only a list of them as none
 * (no-value-text.ts: `N/A`, `-`, `null`, ...), and a report's or template's others (`n.a.`, `tbd`,
 * `TBA`, `pending`, Icelandic `óþekkt`) made every read of a waiting order unreadable: the buyer's
 * Cancel that Pei's read says was never seen (CREATED until the expiry, then EXPIRED), and a
 * waiting order made outside the gateway was skipped by `orders(filter)`.
 *
 * Not for a mandate id (an id of letters and digits: `tbd` could be one) nor any free text. Text
 * with a digit that is not a purchase id (`n/a 0`) stays unreadable, as before: it is no
 * placeholder anyone can tell.
 */
export const withoutNoPurchaseText = (value: unknown): unknown => (typeof value === 'string' && !/\d/.test(value) ? undefined : withoutPlaceholderText(value));
