/*
 * Whole numbers in a Dintero answer that a double cannot hold (beyond 2^53), kept as the digits
 * written. No seed shows an id in any answer, and a Dintero whose store keys drafts, sessions and
 * transactions by 64-bit integers (a .NET `long`, a Java `Long`, a snowflake) writes them as bare
 * JSON numbers of 19 digits, as it writes an order id asked for as `NUMERIC_18`. `JSON.parse` rounds
 * such a number (1234567890123456789 becomes 1234567890123456800), and the adapter read those
 * rounded digits as the id (wire.ts takes a whole number as its digits). Round seventeen: before,
 * every createOrder at such a Dintero completed a draft it never made (404), a session read named a
 * transaction it does not have, and a transaction read named another id than its own.
 *
 * Such a number is rewritten as a JSON string of its digits before the answer is parsed: an id is
 * then exact, and an amount that large (none is) is a digit string wire.ts does not read as money
 * (at most 15 digits), so it is unreadable rather than rounded: never a guessed amount.
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
