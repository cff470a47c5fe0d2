import { TextOrNumberId } from '../id-digits.js';

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
 * here (the order unreadable, never a rounded id); answers keep its exact digits, being read
 * through the shared ../long-numbers.ts wholeNumbersAsWritten first (../id-digits.ts, shared).
 */
export const IntergiroId = TextOrNumberId;

/** An id as IntergiroId reads it, or undefined (an id of no readable kind names no order); text as it came, "" too (callers that need one check it). */
export function idText(value: unknown): string | undefined {
  const read = IntergiroId.safeParse(value);
  return read.success ? read.data : undefined;
}
