/*
 * Whole numbers in a provider's JSON that a double cannot hold (beyond 2^53), kept as the digits
 * written. No seed says how wide an id is, and a provider whose store keys its records by 64-bit
 * integers (a .NET `long`, a Java `Long`, a snowflake) writes them as bare JSON numbers of up to 19
 * digits. `JSON.parse` rounds such a number (1234567890123456789 becomes 1234567890123456800), and an
 * adapter reading a whole number as its digits took the rounded ones for the id. Round seventeen:
 * at such a Dintero every createOrder completed a draft it never made (404), a session read named a
 * transaction it does not have; at such a Pei a paid order's purchase was named as one Pei does not
 * have, and two purchases of one order closer than the doubles' spacing were one; at such a Payway
 * a session_reference was sent back rounded (the 3-D Secure result never sent), a pending answer's
 * order id kept rounded (its order_closed found no purchase), and a pspReference, the only sign
 * that a relayed 500 reached Adyen, was no reference (the retry placed the purchase again).
 *
 * Such a number is rewritten as a JSON string of its digits before the text is parsed: an id is
 * then exact, and an amount that large (none is) is a digit string no adapter reads as money (at
 * most 15 digits), so it is unreadable rather than rounded: never a guessed amount.
 */

/**
 * The JSON text with every whole number beyond 2^53 (written without a fraction or exponent)
 * written as a string of its digits; any other text as it came: one that does not open as JSON
 * does (an object or an array: a form body is left whole), and so do strings, escapes included.
 * A scan, not a parse: most answers hold no run of 16 digits and are returned at once.
 */
export function wholeNumbersAsWritten(text: string): string {
  if (!MAY_BE_LONG.test(text) || !OPENS_AS_JSON.test(text)) return text;
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
      if (WHOLE.test(number) && !Number.isSafeInteger(Number(number))) {
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

/** 2^53 is 16 digits: a text without a run of 16 holds no such number. */
const MAY_BE_LONG = /\d{16}/;
/** JSON holding a number at all: an object or an array (a byte order mark and blanks before it). */
const OPENS_AS_JSON = /^\uFEFF?\s*[[{]/;
/** A JSON number where the scan stands (RFC 8259's grammar; sticky). */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** A whole number as JSON writes it: digits, no fraction, no exponent. */
const WHOLE = /^-?\d+$/;

/** The index just past the string that opens at `start` (its closing quote), or the text's end. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** A body (a callback's) with its JSON's long whole numbers as written; the very bytes given where nothing changes (a form, a Latin-1 text). */
export function bodyAsWritten(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const written = wholeNumbersAsWritten(text);
  return written === text ? body : Buffer.from(written);
}
