/**
 * A JSON text with every whole number a double cannot hold exactly (beyond 2^53, written without a
 * fraction or exponent) turned into a string of its digits, so that `JSON.parse` keeps it as
 * written. A Payway keeping its ids as a Java `Long` or a .NET `long` writes them as JSON numbers
 * (an order, a receipt, a session, Adyen's sixteen-digit pspReference), and a double rounds such a
 * number: 1234567890123456789 is read as 1234567890123456800. Round seventeen: a session_reference
 * so written was sent back rounded and refused, so the shopper's 3-D Secure result could never be
 * sent; a pending answer's Payway order was kept rounded, so the order_closed naming it found no
 * purchase (PENDING though Payway charged it); a pspReference above 2^53, the only sign that a
 * relayed 500 reached Adyen, was no reference, so the retry with the same idempotency key placed
 * the purchase again.
 *
 * The readers of ids take a string of digits as they take a number. As money such a figure stays
 * no figure: a price or amount of 2^53 minor units or more is refused as too large wherever it is
 * read (mapping.ts offeredTotal, event-adyen-amount.ts), whether it comes as a number or as text.
 * Negative numbers are left as they are (no id of Payway's is negative; the readers refuse them).
 * Strings are never touched: the scan skips them, escapes included.
 */
export function longIntegersAsText(text: string): string {
  // Most bodies hold no run of 16 digits: nothing to scan then.
  if (!/\d{16}/.test(text)) return text;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)?.[0] ?? char;
      if (/^\d{16,}$/.test(number) && !Number.isSafeInteger(Number(number))) {
        out += `${text.slice(from, i)}"${number}"`;
        from = i + number.length;
      }
      i += number.length;
      continue;
    }
    i++;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** A JSON number where the scan stands (RFC 8259's grammar; sticky). */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The index just past the string that opens at `start` (its closing quote), or the text's end. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
