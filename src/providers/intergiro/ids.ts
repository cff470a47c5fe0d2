import { z } from 'zod';

/**
 * Intergiro's ids (an order's, a customer's) as the gateway keeps them: text. The seed quotes every
 * placeholder, `"id": "<Identifier of order in Intergiro's system>"` as much as `"items": "<numer or
 * item information ...>"` (a number in its own examples), so an implementation keying its orders by
 * a database sequence writes `"id": 100007`. Read as text only, every such order was unreadable: no
 * card order could be created (PROVIDER_UNAVAILABLE), none found by a lost creation's search, no
 * callback believed (round twenty-five).
 *
 * A JSON number is read as its decimal digits only where it is an integer JavaScript holds exactly
 * (at most 2^53 - 1): one above that was rounded by JSON.parse, and its digits would name another
 * order (a capture sent to it, or to none, and the echo taken for done). Such a number is refused
 * here (the order unreadable, never a rounded id); answers keep its exact digits where they are
 * read through exactIdsOf first.
 */
export const IntergiroId = z.union([
  z.string(),
  z
    .number()
    .refine((value) => Number.isSafeInteger(value) && value >= 0)
    .transform((value) => String(value)),
]);

/** An id as IntergiroId reads it, or undefined (an id of no readable kind names no order); text as it came, "" too (callers that need one check it). */
export function idText(value: unknown): string | undefined {
  const read = IntergiroId.safeParse(value);
  return read.success ? read.data : undefined;
}

/** The members whose integer values are ids (their digits are kept, never their value as a double). */
const ID_MEMBERS = new Set(['id', 'customer']);

/**
 * JSON text with every integer above 2^53 - 1 that is the value of an `id` or `customer` member
 * written as a string of its digits, so that JSON.parse keeps it exactly (a 64-bit id from a
 * snowflake or bigint sequence: `"id": 1796656800123456789` would parse as ...800). Everything else
 * (strings, other members, other numbers, text that is no JSON) is left byte for byte: a scanner
 * over the text that knows where strings are, so a digit run inside a string is never touched.
 */
export function exactIdsOf(text: string): string {
  if (!/\d{16}/.test(text)) return text; // no integer long enough to be rounded: nothing to do
  let out = '';
  let copiedTo = 0;
  let lastKey: string | undefined;
  let afterColon = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      const start = index;
      index++;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      index++;
      const literal = text.slice(start, index);
      // A string followed by `:` is a member's name.
      let next = index;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] === ':') {
        lastKey = safeString(literal);
        afterColon = false;
      } else {
        lastKey = undefined;
      }
      continue;
    }
    if (char === ':') {
      afterColon = true;
      index++;
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      const match = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index));
      const number = match?.[0] ?? char;
      if (afterColon && lastKey !== undefined && ID_MEMBERS.has(lastKey) && /^\d+$/.test(number) && !Number.isSafeInteger(Number(number))) {
        out += `${text.slice(copiedTo, index)}"${number}"`;
        copiedTo = index + number.length;
      }
      index += number.length;
      afterColon = false;
      lastKey = undefined;
      continue;
    }
    // Any other token (a brace, a bracket, a comma, `true`...) ends the member the number would be the value of.
    if (!/\s/.test(char)) {
      afterColon = false;
      lastKey = undefined;
    }
    index++;
  }
  return out + text.slice(copiedTo);
}

function safeString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
