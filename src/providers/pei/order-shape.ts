import { z } from 'zod';
import { fieldKey } from '../field-names.js';
import { isUnset } from '../wire-nulls.js';
import { answerDateTimeSlackMs, parsePeiAnswerDateTime } from './dates.js';
import { krónurInOneCulture, marksByTotal } from './numeric.js';
import { meansPaid, PeiStatusField, statusRowWord, withStatusWord } from './status-words.js';
import { PeiDateTime, PeiKrónur, PeiNumeric, PeiOptionalId, PeiOptionalString, PeiOrderId, PeiPage, PeiPurchaseId, PeiSequenceType } from './wire-fields.js';
import { caselessObject, hasKey, heldOne, isObject } from './wire-reading.js';

/*
 * An order as Pei's reads answer it (GET one order, a listing's entries): its fields moved to where
 * the reader takes them, its status as the gateway judges it, and the order unwrapped from a list
 * or wrapper (wire.ts's header says what is assumed where the seed shows no output).
 */

/**
 * An order answer with its amount under `amount` (round nine): where it has none, the one it
 * writes as `totalAmount`. The seed's Order row is named "Amount" and described as "TotalAmount of
 * purchase", and shows no read's output: a Pei whose read model takes the description's word
 * answered every read without `amount`, so no read could be taken (a paid order never CAPTURED,
 * its postback's re-read failing too).
 */
function withAmount(json: unknown): unknown {
  if (!isObject(json) || hasKey(json, 'amount')) return json;
  const total = Object.entries(json).find(([key]) => fieldKey(key) === fieldKey('totalAmount'));
  return total === undefined ? json : { ...json, amount: total[1] };
}

/**
 * An order answer whose money figures (its `amount`, its items' `unitPrice` and `amount`) include a
 * single group of `000` written as a string (`5.000`), with each such figure replaced by the
 * number the answer's other figures say it is (numeric.ts krónurInOneCulture, round sixteen), and
 * left as it is (unread) where they do not say.
 */
function withFiguresInOneCulture(json: unknown, knownTotal?: number): unknown {
  if (!isObject(json)) return json;
  const isMoney = (key: string) => fieldKey(key) === fieldKey('amount') || fieldKey(key) === fieldKey('unitPrice');
  const itemsKey = Object.keys(json).find((key) => fieldKey(key) === fieldKey('items'));
  const items = itemsKey !== undefined && Array.isArray(json[itemsKey]) ? (json[itemsKey] as unknown[]) : [];
  const figuresOf = (object: Record<string, unknown>) => Object.entries(object).filter(([key, value]) => isMoney(key) && typeof value === 'string').map(([, value]) => value as string);
  const figures = [...figuresOf(json), ...items.filter(isObject).flatMap(figuresOf)];
  // Round nineteen: the order's own Amount beside the total the gateway submitted it with (marksByTotal).
  const ownAmount = Object.entries(json).find(([key]) => fieldKey(key) === fieldKey('amount'))?.[1];
  const known = knownTotal !== undefined && typeof ownAmount === 'string' ? [marksByTotal(ownAmount, knownTotal)] : [];
  const read = krónurInOneCulture(figures, known);
  if (read.size === 0) return json;
  const resolved = (object: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(object).map(([key, value]) => [key, isMoney(key) && typeof value === 'string' ? (read.get(value) ?? value) : value]));
  return { ...resolved(json), ...(itemsKey !== undefined ? { [itemsKey]: items.map((item) => (isObject(item) ? resolved(item) : item)) } : {}) };
}

/** Pei's order answers as the reader takes them: the status word under `status`, the amount under `amount`, its figures in one culture. */
export const asOrderFields = (json: unknown): unknown => asOrderFieldsBeside(json);
/** asOrderFields with the total the gateway submitted the order with, where it is known (round nineteen). */
const asOrderFieldsBeside = (json: unknown, knownTotal?: number): unknown => withFiguresInOneCulture(withAmount(withStatusWord(json)), knownTotal);

/**
 * When the order was made (no field of the seed's Order), as read (`at`: a value without a zone is
 * UTC, dates.ts), and the latest moment it may stand for (`latest`, round fourteen): a Pei may
 * write its server's local time without a zone, or only the day (a SQL `date` column: a Pei filing
 * its orders by the day, "Get all orders on a specific date"). A lost charge's search places a
 * listed order in time by it (lost-answer.ts); before, such an order was "made before the call",
 * another purchase under the client's reference, and the retry charged the buyer (or the
 * mandate, once its ExpirationDate had passed) again. Not a date the gateway reads: none.
 */
const PeiCreated = z.unknown().optional().transform((value): { at: Date | null; latest: Date | null } => {
  const at = typeof value === 'string' ? (parsePeiAnswerDateTime(value) ?? null) : null;
  return { at, latest: at && typeof value === 'string' ? new Date(at.getTime() + answerDateTimeSlackMs(value)) : null };
});

/**
 * An order's SequenceType as a read shows it (round fourteen): one of the seed's three (as
 * PeiSequenceType reads them), none (absent, null, blank), or one the gateway cannot read
 * (`unread`: a word or number of Pei's own). Orders/Pay has no SequenceType input, and the seed
 * types the field "String" with three words for orders a buyer or a mandate pays: a Pei may show
 * a purchase for a buyer with "" (a NOT NULL string column left empty) or with a member of its own
 * (`"Purchase"`, `3`). Before, any of these made the whole read unreadable: a Pay that Pei
 * declined was CAPTURED (its read, which said `Declined`, could not be taken, so Pay's answer
 * alone decided), a 202 charge never became CAPTURED, and a lost Pay answer was never found.
 * Where the type decides anything (a Pending order not made by Orders/Pay: a buyer or a mandate
 * pays?) an unread one still leaves the order unread (mapping.ts observationOfOrder).
 */
const PeiReadSequenceType = z.unknown().optional().transform((value): { type: PeiSequenceType | null; unread: boolean } => {
  if (isUnset(value) || (typeof value === 'string' && value.trim() === '')) return { type: null, unread: false };
  const known = PeiSequenceType.safeParse(value);
  return known.success ? { type: known.data, unread: false } : { type: null, unread: true };
});

export const PeiItem = caselessObject({
  name: z.string(),
  code: z.string().nullish(),
  quantity: PeiNumeric.nullish(),
  unit: z.string().nullish(),
  unitPrice: PeiKrónur.nullish(),
  amount: PeiKrónur.nullish(),
  groupName: z.string().nullish(),
  isOptional: z.boolean().nullish(),
  isDefaultSelected: z.boolean().nullish(),
});
export type PeiItem = z.infer<typeof PeiItem>;

/**
 * An order as `GET /api/orders/{id}` and `GET /api/orders?merchantId&date` answer it. The seed's
 * Order has no status field: a read that carries none (the seed's fields only) is Confirmed when it
 * names its purchase (a purchase is made only when the buyer confirms: seed, Workflow 4), else
 * Pending (seed: "Used to submit a pending order"), which its expirationDate still expires.
 */
export const PeiOrder = z.preprocess(asOrderFields, caselessObject({
  orderId: PeiOrderId,
  amount: PeiKrónur.pipe(z.number().positive()),
  reference: PeiOptionalString,
  status: z.preprocess(statusRowWord, PeiStatusField.nullish()),
  // Not a field of the seed's Order: one in a format the gateway does not know is as good as absent
  // (a listed order is then dated by its day; expiry goes by expirationDate, a seed field).
  created: PeiCreated,
  // Blank is none (Orders/Pay has no ExpirationDate input: a read may write "" for it). One in a
  // form the gateway does not read (en-US culture's `7/31/2018 1:33:33 PM`: month or day first?)
  // is none too rather than an unreadable order: the expiry the gateway sent stands in for it
  // (PeiReadContext.sentExpiry), and a confirmation in the same read is still seen.
  expirationDate: z.union([z.string().regex(/^\s*$/).transform(() => null), PeiDateTime]).nullish().catch(null),
  sequenceType: PeiReadSequenceType,
  mandateId: PeiOptionalId,
  purchaseId: PeiPurchaseId,
  items: z.array(PeiItem).nullish(),
  // Not a field of the seed's Order: a read echoing Submit's CheckoutUrl names the buyer's page (round eight).
  checkoutUrl: PeiPage,
})).transform((order) => {
  const purchased = order.purchaseId != null;
  // Pei's `Expired` beside a purchase (round seven) is not taken for final: a word computed from the
  // ExpirationDate first (`ExpirationDate < now ? Expired : ...`) says so of an order the buyer paid
  // at the edge, and EXPIRED would end it with nothing captured while Pei holds the purchase. Nor
  // for paid: the purchase id may be an attempt that was refused before the order expired. It
  // stays a word the gateway does not know (the order keeps its status, shown `Expired`), which a
  // postback to the URL the gateway signed, naming that purchase, confirms.
  const written = order.status === 'Expired' && purchased ? { unknown: 'Expired' } : (order.status ?? null);
  const unknownWord = written !== null && typeof written !== 'string' ? written.unknown : null;
  return {
    ...order,
    created: order.created.at,
    /**
     * Round fourteen: the latest moment `created` may stand for (PeiCreated): itself where Pei
     * wrote an instant, later where it wrote no zone or no time of day. Null without `created`.
     */
    createdLatest: order.created.latest,
    sequenceType: order.sequenceType.type,
    /** Round fourteen: Pei wrote a SequenceType the gateway cannot read (PeiReadSequenceType); `sequenceType` is then null. */
    sequenceTypeUnread: order.sequenceType.unread,
    // A word for "paid" the gateway does not take as a status of its own (Paid, Completed, ...)
    // beside a purchase is Pei's word for confirmed: the purchase, the postback's own field, is the
    // seed's sign of it. Any other word stays unknown, purchase or not (the order keeps its status,
    // CONTRACT §7): a purchase id beside `Declined` or `Failed` may be a charge attempt Pei refused.
    status:
      written === null ? (purchased ? ('Confirmed' as const) : ('Pending' as const)) : unknownWord !== null && purchased && meansPaid(unknownWord) ? ('Confirmed' as const) : written,
    /** Whether Pei wrote a status word (else `status` is inferred from the purchase, see above). */
    statusWritten: written !== null,
    /** Pei's word when the gateway does not know it (shown as providerStatus). */
    unknownWord,
  };
});
export type PeiOrder = z.infer<typeof PeiOrder> & {
  /**
   * Round twenty-four: the single-byte charset the answer that showed this order was decoded in, as
   * its Content-Type named it (WHATWG's name, body-text.ts namedCharset); absent for none or UTF-8.
   * A lost charge's search spells the Reference it sent as that label reads it (reference-bytes.ts).
   */
  answeredIn?: string;
};

/** An order's amount under either name it may have (withAmount). */
export const hasAmount = (json: Record<string, unknown>) => hasKey(json, 'amount') || hasKey(json, 'totalAmount');

/**
 * The order in a single-order answer: the answer itself, the one object of a list of one, or, where the answer has no `amount` of
 * its own (every Pei order has one: a seed "Required" field) and holds exactly one object that has
 * one, that object (`{order: {...}}`, `{data: {...}}`: the seed shows no output for this read, and
 * a Pei that wraps its listing as `{orders: [...]}` may wrap one order alike).
 */
function unwrapOrder(json: unknown): unknown {
  // A list holding the one order (round seven: a .NET `Orders.Where(o => o.OrderId == id).ToList()`).
  if (Array.isArray(json) && json.length === 1 && isObject(json[0])) return unwrapOrder(json[0]);
  return heldOne(json, hasAmount);
}

/**
 * `GET /api/orders/{orderId}`'s answer. The seed's Order schema has no OrderId field and shows no
 * output for this read: an answer without one is the order its path names.
 */
export function peiOrderAt(orderId: string, knownTotal?: number) {
  return z.preprocess((answer) => {
    const unwrapped = unwrapOrder(answer);
    // Round nineteen: the total the gateway submitted the order with, where it knows it, reads a
    // `5.000` nothing else in the answer tells apart (numeric.ts marksByTotal). Read again by
    // PeiOrder's own preprocess, which leaves figures already read as they are.
    const json = knownTotal === undefined ? unwrapped : asOrderFieldsBeside(unwrapped, knownTotal);
    if (!isObject(json)) return json;
    return hasKey(json, 'orderId') ? json : { ...json, orderId };
  }, PeiOrder);
}
