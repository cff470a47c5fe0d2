import { z } from 'zod';
import { blankAsAbsent } from '../wire-nulls.js';
import { parsePeiAnswerDateTime } from './dates.js';
import { krónurText, numericText } from './numeric.js';
import { peiEnum } from './wire-reading.js';
import { withoutPlaceholderText } from '../no-value-text.js';
import { withoutNoPurchaseText } from './purchase-id-text.js';

/* The field types of Pei's answers: dates, numbers and krónur, ids, optional strings, pages, SequenceType. */

/** A Pei DateTime as the instant it names (see dates.ts). */
export const PeiDateTime = z.string().transform((text, ctx): Date => {
  const date = parsePeiAnswerDateTime(text);
  if (date === undefined) {
    ctx.addIssue({ code: 'custom', message: 'not a Pei DateTime' });
    return z.NEVER;
  }
  return date;
});

/**
 * The seed's "Numeric" in an answer it shows no example of: a JSON number, or a numeric string (a
 * .NET decimal or long may be written as one; round fifteen: also in its server's culture, is-IS
 * `5000,00` or `5.000,00`, and a thousands group that could be either culture's is no number:
 * numeric.ts).
 */
const numericOf = (read: (text: string) => number | undefined) =>
  z.union([
    z.number(),
    z.string().transform((text, ctx): number => {
      const value = read(text);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'not a Pei Numeric' });
        return z.NEVER;
      }
      return value;
    }),
  ]);
export const PeiNumeric = numericOf(numericText);
const PeiWhole = PeiNumeric.pipe(z.number().int());
/**
 * Whole krónur: a money figure (round sixteen: a single thousands group whose other reading would
 * be a fraction of a króna is the thousands, numeric.ts krónurText).
 */
export const PeiKrónur = numericOf(krónurText).pipe(z.number().int());

/**
 * A Pei order id as answered, without surrounding blanks (round ten): the seed's own ids are of two
 * lengths (`fdfQQ33gdgWfgGoP642`, 19; `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf`, 32), and a Pei keeping
 * them in a SQL `CHAR(n)` column answers the shorter padded to its width. Before, an Orders/Pay
 * found in the listing after a lost answer was stored under the padded id, which no read of Pei's
 * knows (the gateway then showed a purchase Pei holds under no such id).
 */
export const PeiOrderId = z.string().trim().min(1);

/**
 * A purchase id in an answer: no purchase when missing, null, blank or 0. The seed shows one only
 * in the postback (966127) and no output for a read: a .NET model with a non-nullable
 * `long PurchaseId` writes 0 for an order nobody has paid, which must not read as a purchase.
 */
/**
 * A purchase id as the digits Pei wrote, without blanks or leading zeros; null for none (0, blank,
 * missing). Kept as digits, not a number (round seventeen): a 64-bit id beyond 2^53 arrives as its
 * digits (long-numbers.ts, before parsing), and as a number it was the nearest double, naming a
 * purchase Pei does not have, and two purchases of one order closer than the doubles' spacing one.
 */
export function purchaseDigits(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digits = (typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value.trim()).replace(/^0+/, '');
  return /^\d{1,19}$/.test(digits) ? digits : null;
}

export const PeiPurchaseId = z.preprocess(
  // Round twenty-four: `"null"` written for none (src/providers/no-value-text.ts) is none, as JSON's null is. Before,
  // every read of an unconfirmed order at such a Pei was unreadable. Round twenty-five: so is a
  // report's placeholder (`N/A`, `-`), which no purchase id (digits) can be. Round twenty-six: so is
  // any text without a digit (`n.a.`, `tbd`: purchase-id-text.ts).
  withoutNoPurchaseText,
  z
  // Round seventeen: or the digits of a .NET long past what a Pei Numeric (a money figure, 15
  // digits) reads, as a Pei with 64-bit ids writes them in strings (Json.NET's way of sparing a
  // JavaScript client's 2^53). Before, every read naming such a purchase was unreadable: a paid
  // order's postback answered 503 and its re-reads failed, so it was never CAPTURED. Read as a JSON
  // number is, the nearest double (README, Known limitations).
  .union([z.string().regex(/^\s*\d{1,19}\s*$/), z.number().int().nonnegative(), PeiWhole, z.literal('')])
  .nullish()
  .transform((value): string | null => purchaseDigits(value)),
);

/**
 * A string field that may come blank for "none" (mandateId, reference): a .NET serialiser may write "" for a string nobody set.
 * Read without surrounding blanks (round ten): the seed types them "String" and no more, and a Pei
 * keeping them in a SQL `CHAR(n)` column answers them padded to its width (`REF155` and 44 spaces).
 * Before, a padded Reference was no longer the one sent: a charge whose answer was lost was not
 * found under it, and the client's retry charged the buyer again.
 */
export const PeiOptionalString = blankAsAbsent(z.string()).transform((value) => value?.trim() ?? null);

/**
 * An optional id of Pei's (a MandateId) as PeiOptionalString reads it, and none where it is the text
 * of no value (round twenty-four, no-value-text.ts): "the mandateId should be null" written `"null"`
 * was a mandate of that name. Round twenty-five: so is a report's placeholder (`N/A`, `-`), which no
 * Pei id can be (the seed's are 19 and 32 letters and digits): a one-off order's payment named a
 * mandate `N/A`, which a client would take for a card it may charge again.
 */
export const PeiOptionalId = z.preprocess(withoutPlaceholderText, PeiOptionalString);

/**
 * A page Pei names for the buyer (Submit's CheckoutUrl): an absolute http(s) URL, else none (a
 * relative path, another scheme, blank or not a string is no page to send a buyer to).
 */
export const PeiPage = z.unknown().optional().transform((value): string | null => {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
});

/** Seed: "OneOff (0)", "First (1)", "Recurring (2)". */
export const PEI_SEQUENCE_TYPES = ['OneOff', 'First', 'Recurring'] as const;
export const PeiSequenceType = peiEnum('sequenceType', PEI_SEQUENCE_TYPES);
export type PeiSequenceType = (typeof PEI_SEQUENCE_TYPES)[number];
