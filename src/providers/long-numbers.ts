/*
 * Whole numbers in a provider's JSON that a double cannot hold (beyond 2^53), kept as the digits
 * written. No seed says how wide an id is, and a provider whose store keys its records by 64-bit
 * integers (a .NET `long`, a Java `Long`, a snowflake) writes them as bare JSON numbers of up to 19
 * digits. `JSON.parse` rounds such a number (1234567890123456789 becomes 1234567890123456800), and an
 * adapter reading a whole number as its digits took the rounded ones for the id. Round seventeen:
 * at such a Dintero every createOrder completed a draft it never made (404), a session read named a
 * transaction it does not have; at such a Pei a paid order's purchase was named as one Pei does not
 * have, and two purchases of one order closer than the doubles' spacing were one.
 *
 * Such a number is rewritten as a JSON string of its digits before the text is parsed: an id is
 * then exact, and an amount that large (none is) is a digit string no adapter reads as money (at
 * most 15 digits), so it is unreadable rather than rounded: never a guessed amount.
 */

/** A JSON string (skipped whole, so digits inside one are never touched) or a JSON number. */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
/** A whole number as JSON writes it: digits, no fraction, no exponent. */
const WHOLE = /^-?\d+$/;
/** 2^53 is 16 digits: a shorter whole number is always exact. */
const MAY_BE_LONG = /\d{16}/;

/**
 * The JSON text with every whole number beyond 2^53 written as a string of its digits; any other
 * text (not JSON, or JSON without such a number) as it came.
 */
export function wholeNumbersAsWritten(text: string): string {
  if (!MAY_BE_LONG.test(text) || !isJson(text)) return text;
  return text.replace(TOKEN, (token) => (token.startsWith('"') || !WHOLE.test(token) || Number.isSafeInteger(Number(token)) ? token : `"${token}"`));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/** A body (a callback's) with its JSON's long whole numbers as written; the very bytes given where nothing changes (a form, a Latin-1 text). */
export function bodyAsWritten(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const written = wholeNumbersAsWritten(text);
  return written === text ? body : Buffer.from(written);
}
