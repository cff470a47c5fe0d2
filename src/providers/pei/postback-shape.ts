import { z } from 'zod';
import { fieldKey } from '../field-names.js';
import { asOrderFields } from './order-shape.js';
import { meansPaid, meansRefused, OTHER_STATUS_KEYS, PeiStatusWord, statusWordOf, type PeiStatus } from './status-words.js';
import { PeiKrónur, PeiOptionalId, PeiOrderId, purchaseDigits } from './wire-fields.js';
import { thousandReadings } from './numeric.js';
import { isPlaceholderText } from '../no-value-text.js';
import { withoutNoPurchaseText } from './purchase-id-text.js';
import { caselessObject, isObject } from './wire-reading.js';

/* Pei's postback: its fields, and what its status word says. */

/**
 * The postback (seed: `{ "orderId" : "...", "purchaseId" : 966127, "mandateId" : "..." }`), unsigned,
 * its keys in any letter case (the seed's prose writes "OrderId, PurchaseId and MandateId").
 * The purchase id is a number in the seed; a numeric string is taken too. A blank mandateId or
 * purchaseId is absent. A status word is read where one is given (round ten).
 */
const PeiPostbackFields = z.preprocess(asOrderFields, caselessObject({
  orderId: PeiOrderId.max(128),
  // Round twenty-four: `"null"` (or `"undefined"`) written for none is none (src/providers/no-value-text.ts): before,
  // a Pei posting every change as text had its Cancel's postback refused (400), and Pei does not
  // post again. Round twenty-five: a placeholder (`N/A`, `-`) likewise, which no purchase id can be;
  // round twenty-six: any text without a digit (`n.a.`, `tbd`: purchase-id-text.ts).
  purchaseId: z.preprocess(withoutNoPurchaseText, z
    // Up to a .NET long's 19 digits (round seventeen): a Pei whose ids run past 15 digits (a 64-bit
    // generator) had every postback refused (400), so Pei's confirmation, which it does not post
    // again, was lost. Read as JSON numbers are, the nearest double beyond 2^53 (README, Known limitations).
    // Trimmed, then matched (security probe 6): `/^\s*\d{0,19}\s*$/` backtracked in time quadratic in
    // a run of blanks that does not end the text (its digits may be none, so the two `\s*` share
    // the run), and the postback route is open to anyone: a 40 KB body held the event loop ~4 s,
    // a 256 KiB one for minutes. trim() takes exactly what `\s` matches.
    .union([z.number().int().nonnegative(), z.string().refine((value) => /^\d{0,19}$/.test(value.trim()))])
    .nullish()
    // 0 is .NET's default for a long nobody set: no purchase, so it claims nothing (as a read's, PeiPurchaseId).
    .transform((value): string | null => purchaseDigits(value))),
  mandateId: PeiOptionalId,
  /**
   * Round ten: the order's status word, where the postback carries one (the seed: "the Order ID
   * and more will be posted"; under `status` or another status field's name, as reads have it:
   * withStatusWord). A number, a blank or a row without a name says nothing (null), as in reads.
   */
  status: z.unknown().optional().transform((value) => statusWordOf(value)),
  /**
   * Round twelve: what Pei charged, where the postback carries it ("the Order ID and more"; as
   * `amount` or `totalAmount`, as reads have it: withAmount). Whole krónur above 0, else none.
   */
  amount: PeiKrónur.pipe(z.number().positive()).nullish().catch(null).transform((value) => value ?? null),
}));

/**
 * Whether a postback writes a status that is no word (round eleven): its enum's number (`"status":
 * 3`, System.Text.Json's default for an enum without a JsonStringEnumConverter), a numeric string,
 * a status row without a name; under `status` or another status field's name. The seed numbers
 * no status, so which number is Cancelled is anyone's guess, but the postback does say a status.
 */
function writesUnreadStatus(json: unknown): boolean {
  if (!isObject(json)) return false;
  const names = ['status', ...OTHER_STATUS_KEYS].map(fieldKey);
  return Object.entries(json).some(
    // Round twenty-five: a placeholder (`N/A`, `null`) is no status written, as a blank is.
    ([key, value]) => names.includes(fieldKey(key)) && value != null && !(typeof value === 'string' && (value.trim() === '' || isPlaceholderText(value))) && statusWordOf(value) === null,
  );
}

/**
 * The postback's fields (PeiPostbackFields), what its word says (postbackWord), and whether it
 * writes a status that is no word (writesUnreadStatus: then `status` is null).
 */
export const PeiPostback = z.unknown().transform((json, ctx) => {
  const fields = PeiPostbackFields.safeParse(json);
  if (!fields.success) {
    ctx.addIssue({ code: 'custom', message: 'not a Pei postback' });
    return z.NEVER;
  }
  return {
    ...fields.data,
    says: postbackWord(fields.data.status),
    statusUnread: fields.data.status === null && writesUnreadStatus(json),
    /**
     * Round twenty-five: where `amount` is unread because it is a single group of `000` (`5.000`:
     * 5 or 5000 kr.), its two readings, for the order's lines to tell apart (charged-choice.ts).
     */
    amountReadings: fields.data.amount === null ? amountReadingsOf(json) : null,
  };
});
export type PeiPostback = z.infer<typeof PeiPostback>;

/** The two readings of a postback's `amount` (or `totalAmount`) written `d.000`, else null. */
function amountReadingsOf(json: unknown): readonly [number, number] | null {
  const fields = asOrderFields(json);
  if (!isObject(fields)) return null;
  const amount = Object.entries(fields).find(([key]) => fieldKey(key) === fieldKey('amount'))?.[1];
  return typeof amount === 'string' ? (thousandReadings(amount) ?? null) : null;
}

/**
 * What a postback's word says (round twelve: the one classification the webhook reads a word by;
 * round ten's saysUnconfirmed and round eleven's postbackSays and saysMade each classified the
 * same words on their own). `paid`: Confirmed, or a word the gateway does not know that says paid
 * (meansPaid); `cancelled`: Cancelled; `refused`: a word for a charge attempt refused (`Declined`,
 * `Failed`: meansRefused); `unknown`: any other word the gateway does not know (`Approved`,
 * `Greitt`: CONTRACT §7, the order keeps its status; round twelve, before which it was `refused`);
 * `made`: Pending (the order's making, posted by a Pei posting every change: nothing to act on);
 * `expired`: Expired. No word: null.
 */
export type PostbackWord = 'paid' | 'cancelled' | 'refused' | 'unknown' | 'made' | 'expired';
const KNOWN_WORDS: Record<PeiStatus, PostbackWord> = { Pending: 'made', Confirmed: 'paid', Cancelled: 'cancelled', Expired: 'expired' };
export function postbackWord(word: string | null): PostbackWord | null {
  if (word === null) return null;
  const known = PeiStatusWord.parse(word);
  if (typeof known !== 'string') return meansPaid(word) ? 'paid' : meansRefused(word) ? 'refused' : 'unknown';
  return KNOWN_WORDS[known];
}

/** Whether a postback's word says the order is not confirmed (round ten): any word but one for paid. No word says nothing. */
export const saysUnconfirmed = (says: PostbackWord | null): boolean => says !== null && says !== 'paid';
