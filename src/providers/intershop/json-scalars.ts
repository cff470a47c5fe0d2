import { z } from 'zod';
import { TextOrNumberId } from '../id-digits.js';
import { withoutPlusSign } from './plus-sign.js';

/*
 * ICM's ids and flags in the JSON type the writer gave them (round twenty-five). Pure.
 *
 * The seed writes every id as a string (`"onUKAB2_eAQAAAFuFztdhmTy"`, `"open-tender"`, the
 * `payments` and `lineItems` lists) and `openTender` as a JSON boolean, and says nothing of the
 * JSON writer. ICM is a JAX-RS server, and the JAXB JSON providers it may run behind type scalars by
 * their content or not at all: Jettison's mapped convention with its DefaultConverter writes a
 * string of digits as a JSON number (an id from a database sequence, a Java `Long` key), and
 * without type inference writes every number and boolean as a string (`"openTender": "true"`).
 * Before, either made every answer that carried an order unreadable: a create PROVIDER_UNAVAILABLE
 * after ICM had made the order (paid without a redirect: its money taken), every retry's search
 * finding it and failing the same way, listings skipping every order.
 *
 * A whole number written where an id stands is that id's digits; ids beyond 2^53 reach here as
 * their digits already (client.ts reads every answer through ../long-numbers.ts, so `JSON.parse`
 * never rounds one into another order's id). A flag written `"true"` / `"false"` (any case, blanks
 * around) is that boolean; anything else says nothing and is left unread, never a guess.
 */

/** An id as a string, or a whole JSON number read as its digits (../id-digits.ts, shared). */
export const IcmId = TextOrNumberId;

/** The id a JSON value stands for (see IcmId), or undefined when it is none. */
export function idText(value: unknown): string | undefined {
  const id = IcmId.safeParse(value);
  return id.success ? id.data : undefined;
}

/** A boolean, or `"true"` / `"false"` as a writer without type inference writes it; anything else unread (undefined). */
export const IcmFlag = z
  .union([z.boolean(), z.string().transform((text, context) => {
    const word = text.trim().toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    context.addIssue({ code: 'custom', message: 'not a boolean' });
    return z.NEVER;
  })])
  .optional()
  .catch(undefined);

/**
 * A line item's `quantity.value` (round twenty-six): a JSON number, or a plain decimal written as a
 * string (`"2"`, `"2.0"`, `"1.5"` kg), as the writer without type inference writes every number;
 * anything else (a negative, an exponent, a word) is left unread (undefined), the line kept without
 * its quantity. No seed shows a line item; before, a string made the whole line unreadable and it
 * was left out of the order.
 */
export const IcmQuantity = z
  // A `+` before the digits (`"+2"`, round twenty-eight) says nothing but "positive" (plus-sign.ts).
  .preprocess(withoutPlusSign, z.union([z.number().nonnegative(), z.string().regex(/^\s*\d{1,12}(\.\d{1,6})?\s*$/).transform(Number)]).optional())
  .catch(undefined);

/** A line item's `position`: a whole JSON number or a string of digits (see IcmQuantity); anything else unread. */
export const IcmPosition = z
  .preprocess(withoutPlusSign, z.union([z.number().int().nonnegative(), z.string().regex(/^\s*\d{1,9}\s*$/).transform(Number)]).optional())
  .catch(undefined);
