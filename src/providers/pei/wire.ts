import { z } from 'zod';
import { TokenExpiresIn } from '../shared-token.js';
import { fieldKey } from '../field-names.js';
import { statusSpelling } from '../status-spelling.js';
import { blankAsAbsent, isUnset } from '../wire-nulls.js';
import { countsMoreThan, headerText, nextLink, type ResponseHeaders } from '../listing-headers.js';
import { answerDateTimeSlackMs, parsePeiAnswerDateTime } from './dates.js';
import { krónurInOneCulture, krónurText, marksByTotal, numericText } from './numeric.js';
import { peiIdShaped } from './order-id-shape.js';

/*
 * Pei's JSON shapes (seed pei-orders.txt; sent camelCase as in its example, CONTRACT §8). Only
 * this folder sees them. Answers the seed shows no example of are read with keys in any letter
 * case (caselessObject). Objects drop unknown fields rather than failing: Pei may add fields, and a
 * read order must never carry the buyer (and their kennitala) any further than this parse, so the
 * buyer is not even read.
 *
 * What the reader assumes where the seed shows no output (GET, listing, Orders/Pay); README
 * "Assumptions beyond the seeds" says what a user sees where one does not hold:
 *   - An order read back carries `amount` (a seed Order field; or `totalAmount`, the word of its
 *     description: withAmount), a listed one its `orderId` too (a read of one order without it is
 *     the order its path names); `status` (no seed field: without
 *     it the order is Confirmed once it names its `purchaseId`, else Pending; a purchaseId of 0 or
 *     "" names none, as a blank mandateId, reference or status says nothing: .NET's defaults for
 *     "not set"), `created` and everything else may be missing.
 *   - The status under `status`, else under another name a Pei may give it (`orderStatus`, `state`,
 *     `statusName` beside a number: withStatusWord).
 *   - Enums (status, sequenceType) come as their name or as their number, since .NET serialises an
 *     enum either way depending on its converter; a name in any letter case, with or without `_`
 *     (`ONE_OFF`, as another stack names an enum), a number also as a numeric string. sequenceType's numbers
 *     are the seed's: OneOff 0, First 1, Recurring 2. The seed numbers no status, so a status
 *     number is not believed: which number is Confirmed, Cancelled or Expired is anyone's guess,
 *     and a wrong guess would show a paid order CANCELLED or an unpaid one CAPTURED. An order
 *     whose status is a number is read as one without a status word (by its purchaseId and its
 *     expirationDate; a postback to its signed URL confirms it). Status words: Pending,
 *     Confirmed, Cancelled and Expired (Pei's word for an order past its ExpirationDate); any
 *     other word is kept as an unknown word (CONTRACT §7: the order keeps its status), never an
 *     error and never a default, unless it is a word for "paid" (`Paid`, `Completed`: meansPaid) and
 *     a purchaseId stands beside it: then it is Pei's word for confirmed, shown as Pei wrote it.
 *     Another word beside a purchaseId (`Declined`, `Failed`: a charge attempt refused) stays
 *     unknown. An unknown sequenceType is an error (PROVIDER_UNAVAILABLE) where it decides whether
 *     the buyer or a mandate pays (a Pending order not made by Orders/Pay); a blank one is none
 *     (round fourteen: PeiReadSequenceType).
 *   - DateTimes (`created`, `expirationDate`) as `dates.ts` reads them: a value without a zone, like
 *     the seed's `2018-07-31 13:33:33.337`, is UTC; an `expirationDate` or `created` in another
 *     form is left out (the order is read without it; for its expiry the ExpirationDate the gateway
 *     submitted it with stands in).
 *   - Money is whole krónur (ISK has no minor units): a fractional amount or unit price is an error.
 *   - Orders/Pay answers `{orderId}` and perhaps `{purchaseId}` (the seed shows no output): without
 *     the purchase id the order is read back with GET to learn it.
 */

/** An enum name as compared: lower case, without spaces, `_` or `-` (`OneOff`, `ONE_OFF`, `one-off` are one). */
const enumKey = (name: string): string => name.toLowerCase().replace(/[\s_-]/g, '');

/**
 * A .NET enum as JSON: its name (any letter case, and as other stacks write enum names: `ONE_OFF`)
 * or its number (also as a numeric string), read as the canonical name.
 */
function peiEnum<const Names extends readonly [string, ...string[]]>(label: string, names: Names) {
  return z.union([z.string(), z.number()]).transform((value, ctx): Names[number] => {
    const number = typeof value === 'number' ? value : /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : undefined;
    const name =
      number !== undefined ? names[number] : names.find((candidate) => enumKey(candidate) === enumKey(value as string));
    if (name === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a Pei ${label}` });
      return z.NEVER;
    }
    return name;
  });
}

/**
 * An object read whatever the letter case of its keys, each taken as `shape` spells it: the seed
 * writes camelCase in its examples and PascalCase in its schema ("MerchantId", "Items[n].Name"),
 * .NET binds and may answer either, and only the submit input and its `{orderId}` answer are
 * fixed by an example; snake_case (`order_id`) is read alike (fieldKey). Two keys for one field
 * (`amount` and `Amount`) are ambiguous and refused.
 */
function caselessObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = Object.keys(shape);
  return z.preprocess((json, ctx) => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(json)) {
      const field = names.find((name) => fieldKey(name) === fieldKey(key));
      if (field === undefined) continue;
      if (field in fields) {
        ctx.addIssue({ code: 'custom', message: `${field} given twice` });
        return json;
      }
      fields[field] = value;
    }
    return fields;
  }, z.object(shape));
}

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
const PeiNumeric = numericOf(numericText);
const PeiWhole = PeiNumeric.pipe(z.number().int());
/**
 * Whole krónur: a money figure (round sixteen: a single thousands group whose other reading would
 * be a fraction of a króna is the thousands, numeric.ts krónurText).
 */
const PeiKrónur = numericOf(krónurText).pipe(z.number().int());

/**
 * A Pei order id as answered, without surrounding blanks (round ten): the seed's own ids are of two
 * lengths (`fdfQQ33gdgWfgGoP642`, 19; `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf`, 32), and a Pei keeping
 * them in a SQL `CHAR(n)` column answers the shorter padded to its width. Before, an Orders/Pay
 * found in the listing after a lost answer was stored under the padded id, which no read of Pei's
 * knows (the gateway then showed a purchase Pei holds under no such id).
 */
const PeiOrderId = z.string().trim().min(1);

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
function purchaseDigits(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const digits = (typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value.trim()).replace(/^0+/, '');
  return /^\d{1,19}$/.test(digits) ? digits : null;
}

const PeiPurchaseId = z
  // Round seventeen: or the digits of a .NET long past what a Pei Numeric (a money figure, 15
  // digits) reads, as a Pei with 64-bit ids writes them in strings (Json.NET's way of sparing a
  // JavaScript client's 2^53). Before, every read naming such a purchase was unreadable: a paid
  // order's postback answered 503 and its re-reads failed, so it was never CAPTURED. Read as a JSON
  // number is, the nearest double (README, Known limitations).
  .union([z.string().regex(/^\s*\d{1,19}\s*$/), z.number().int().nonnegative(), PeiWhole, z.literal('')])
  .nullish()
  .transform((value): string | null => purchaseDigits(value));

/**
 * A string field that may come blank for "none" (mandateId, reference): a .NET serialiser may write "" for a string nobody set.
 * Read without surrounding blanks (round ten): the seed types them "String" and no more, and a Pei
 * keeping them in a SQL `CHAR(n)` column answers them padded to its width (`REF155` and 44 spaces).
 * Before, a padded Reference was no longer the one sent: a charge whose answer was lost was not
 * found under it, and the client's retry charged the buyer again.
 */
const PeiOptionalString = blankAsAbsent(z.string()).transform((value) => value?.trim() ?? null);

/**
 * A page Pei names for the buyer (Submit's CheckoutUrl): an absolute http(s) URL, else none (a
 * relative path, another scheme, blank or not a string is no page to send a buyer to).
 */
const PeiPage = z.unknown().optional().transform((value): string | null => {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
});

/** The status words the gateway knows. */
export const PEI_STATUSES = ['Pending', 'Confirmed', 'Cancelled', 'Expired'] as const;
export type PeiStatus = (typeof PEI_STATUSES)[number];
/** A status word outside PEI_STATUSES, kept as Pei wrote it. */
export interface PeiUnknownStatus {
  unknown: string;
}
export const PeiStatusWord = z.string().transform((value): PeiStatus | PeiUnknownStatus => {
  return PEI_STATUSES.find((candidate) => candidate.toLowerCase() === statusSpelling(value)) ?? { unknown: value };
});
/**
 * English words for a purchase that went through, which a Pei may write for its confirmed orders
 * (the seed names no status word; "confirms" is its verb). Believed only beside a purchase id.
 */
const PAID_WORDS = new Set(['paid', 'completed', 'complete', 'purchased', 'succeeded', 'success', 'successful', 'settled', 'captured', 'charged']);
export function meansPaid(word: string): boolean {
  return PAID_WORDS.has(statusSpelling(word).replace(/[\s_-]/g, ''));
}
/**
 * Words for a charge attempt refused (round twelve), in English and Icelandic (Pei is Icelandic:
 * `Hafnað` rejected, `Synjað` denied, `Mistókst` failed), which a Pei posting every change may post
 * beside the attempt's purchase id. Round eleven took every word the gateway does not know that
 * does not say paid for a refusal; a Pei's own word for the buyer's confirmation (`Approved`,
 * `Greitt`) then noted the paid purchase as refused (postbackWord: now `unknown`).
 */
const REFUSED_WORDS = new Set([
  'declined', 'decline', 'failed', 'failure', 'fail', 'rejected', 'refused', 'denied', 'error', 'errored', 'unsuccessful', 'unpaid', 'notpaid',
  'paymentfailed', 'paymentdeclined', 'chargefailed', 'chargedeclined', 'hafnað', 'synjað', 'mistókst',
]);
function meansRefused(word: string): boolean {
  return REFUSED_WORDS.has(statusSpelling(word).replace(/[\s_-]/g, ''));
}
/** An order's `status`: a word, a number (also as a numeric string), which says nothing (see the header: null), or blank, which says nothing either. */
const PeiStatusField = z.union([
  z.string().regex(/^\s*$/).transform(() => null),
  // A number written as a string ("1") is a number all the same: it says nothing either.
  z.string().regex(/^\s*-?\d+\s*$/).transform(() => null),
  PeiStatusWord,
  z.number().transform(() => null),
]);

/** The fields a status table's row names its status by (`{"id": 2, "name": "Confirmed"}`), in that order of preference. */
const STATUS_ROW_NAMES = ['name', 'status', 'value', 'description', 'displayName', 'text'];

/**
 * A status written as its status table's row (round eight): an ORM serialising the order with its
 * navigation property writes `"status": {"id": 2, "name": "Confirmed"}`, which the seed (naming no
 * status field at all) does not rule out. The row's name is the word; a row without one says
 * nothing, as no status does (its number alone is not believed, as a status number is not).
 * Anything else is left as it is.
 */
function statusRowWord(value: unknown): unknown {
  if (!isObject(value)) return value;
  for (const name of STATUS_ROW_NAMES) {
    const word = stringField(value, name);
    if (word !== null) return word;
  }
  return null;
}

/**
 * Other names a Pei may give its status field (round nine), in order of preference after
 * `status`: the seed names no status field at all, so its name is as open as its words. A .NET
 * property is often named after its enum type (`OrderStatus OrderStatus`) or the entity's state
 * (`State`), and a DTO carrying both an enum's number and its display name writes the word beside
 * the number (`{"status": 2, "statusName": "Confirmed"}`).
 */
const OTHER_STATUS_KEYS = [
  'orderStatus',
  'statusName',
  'statusText',
  'statusDescription',
  'state',
  'orderState',
  // Round twenty: the display name beside the number under any of those names (round nine's
  // `statusName` beside `status`, as round nine's DTO writes it beside `orderStatus` or `state`:
  // `{"orderStatus": 9, "orderStatusName": "Cancelled"}`). Before, only `statusName` was read, so
  // at a Pei naming its field `orderStatus` and writing numbers with names, the buyer's Cancel (and
  // Pei's Expired) went unseen: the order waited CREATED to its expiry.
  ...['orderStatus', 'state', 'orderState'].flatMap((key) => [`${key}Name`, `${key}Text`, `${key}Description`]),
];

/** The word a status value says: a non-blank string that is not a number, or a status row's name (statusRowWord); else null. */
function statusWordOf(value: unknown): string | null {
  const word = statusRowWord(value);
  return typeof word === 'string' && word.trim() !== '' && !/^\s*-?\d+\s*$/.test(word) ? word : null;
}

/**
 * An order answer with its status word under `status` (round nine). Where `status` says no word
 * (absent, blank, a number, a row without a name) and another status field does (OTHER_STATUS_KEYS),
 * that word is the status. Before, such a word was never read: the order was judged as one without
 * a status, by its purchase id alone, so a charge Pei declined (its attempt's purchase id beside
 * `"orderStatus": "Declined"`) was CAPTURED, and Pei's `Expired` or `Cancelled` went unseen.
 */
function withStatusWord(json: unknown): unknown {
  if (!isObject(json)) return json;
  const valuesOf = (name: string) => Object.entries(json).filter(([key]) => fieldKey(key) === fieldKey(name)).map(([, value]) => value);
  if (valuesOf('status').some((value) => statusWordOf(value) !== null)) return json;
  for (const name of OTHER_STATUS_KEYS) {
    const word = valuesOf(name).map(statusWordOf).find((found) => found !== null);
    if (word == null) continue;
    const rest = Object.fromEntries(Object.entries(json).filter(([key]) => fieldKey(key) !== fieldKey('status')));
    return { ...rest, status: word };
  }
  return json;
}

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
const asOrderFields = (json: unknown): unknown => asOrderFieldsBeside(json);
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

/** Seed: "OneOff (0)", "First (1)", "Recurring (2)". */
export const PEI_SEQUENCE_TYPES = ['OneOff', 'First', 'Recurring'] as const;
export const PeiSequenceType = peiEnum('sequenceType', PEI_SEQUENCE_TYPES);
export type PeiSequenceType = (typeof PEI_SEQUENCE_TYPES)[number];

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
  mandateId: PeiOptionalString,
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
export type PeiOrder = z.infer<typeof PeiOrder>;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const hasKey = (json: Record<string, unknown>, name: string) => Object.keys(json).some((key) => fieldKey(key) === fieldKey(name));
/** An order's amount under either name it may have (withAmount). */
const hasAmount = (json: Record<string, unknown>) => hasKey(json, 'amount') || hasKey(json, 'totalAmount');

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
 * `json` where it is what `is` picks; else the one object it holds one level down that is (a
 * wrapper: `{order: {...}}`, `{data: {...}, errors, success}`); else `json` as it is.
 */
function heldOne(json: unknown, is: (value: Record<string, unknown>) => boolean): unknown {
  if (!isObject(json) || is(json)) return json;
  const held = Object.values(json).filter((value): value is Record<string, unknown> => isObject(value) && is(value));
  return held.length === 1 ? held[0] : json;
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

/** A field of a JSON object by its name in any letter case (fieldKey): a non-blank string, else null. */
function stringField(json: Record<string, unknown>, name: string): string | null {
  const value = Object.entries(json).find(([key]) => fieldKey(key) === fieldKey(name))?.[1];
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The order a listing entry names: its `orderId`, else its `id`. The seed's Order schema has no
 * OrderId field (only Submit's answer and the postback say `orderId`), so a Pei echoing the Order
 * in its listing may name each one `id`; only a string is taken (Pei's ids are strings, an `id`
 * written as a number would be some other counter).
 */
export function listedOrderId(entry: unknown): string | null {
  if (!isObject(entry)) return null;
  return (stringField(entry, 'orderId') ?? stringField(entry, 'id'))?.trim() ?? null;
}

/** What a listing entry the reader cannot take as an order (a summary without the amount, say) still tells: the order it names and its reference. */
export function listingEntryHints(entry: unknown): { orderId: string | null; reference: string | null } {
  return { orderId: listedOrderId(entry), reference: isObject(entry) ? (stringField(entry, 'reference')?.trim() ?? null) : null };
}

/** A listing entry as an order, named by its `orderId` or, without one, its `id` (listedOrderId). */
export const PeiListedOrder = z.preprocess((entry) => {
  if (!isObject(entry) || hasKey(entry, 'orderId')) return entry;
  const id = listedOrderId(entry);
  return id === null ? entry : { ...entry, orderId: id };
}, PeiOrder);

/** Names a wrapper gives the list it holds (`{orders: [...]}`, .NET's `{data: [...], errors: []}`, OData's `value`). */
const LIST_KEYS = new Set(['orders', 'items', 'data', 'results', 'result', 'value', 'list']);

/**
 * The list an object holding one carries: its one array-valued field; among several (an envelope
 * with `errors: []`, `links: []` beside the list), the one named as lists are, else the one
 * non-empty array of orders; several empty arrays are an empty list. Undefined when none of these.
 */
function heldList(json: Record<string, unknown>): unknown[] | undefined {
  const arrays = Object.entries(json).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  if (arrays.length === 1) return arrays[0]![1];
  const named = arrays.filter(([key]) => LIST_KEYS.has(fieldKey(key)));
  if (named.length === 1) return named[0]![1];
  const ofOrders = arrays.filter(([, list]) => list.length > 0 && list.every((entry) => isObject(entry) && (hasAmount(entry) || hasKey(entry, 'orderId'))));
  if (ofOrders.length === 1) return ofOrders[0]![1];
  return arrays.length > 0 && arrays.every(([, list]) => list.length === 0) ? [] : undefined;
}

/**
 * The listing: an array whose entries are read one by one (an unreadable one is skipped, not fatal).
 * The seed shows no output for it, so an object holding the list (`{orders: [...], totalCount}`,
 * `{data: [...], errors: [], links: []}`) is read as that list (heldList). An object with an
 * orderId is an order, not a list, and an object whose list cannot be told is not known: both
 * are errors.
 */
export const PeiOrderList = z.union([
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()).transform((json, ctx): unknown[] => {
    const list = hasKey(json, 'orderId') ? undefined : heldList(json);
    if (list === undefined) {
      ctx.addIssue({ code: 'custom', message: 'not a Pei listing' });
      return z.NEVER;
    }
    return list;
  }),
]);

/** A wrapper's count of the whole result (a .NET paged result's `totalCount`, `{items, total}`), by name in any letter case. */
const COUNT_KEYS = new Set(['totalcount', 'total', 'count', 'totalitems', 'totalrecords', 'totalresults', 'recordstotal']);
/** A wrapper's pointer to a page after this one. */
const NEXT_KEYS = new Set(['next', 'nextpage', 'nextpageurl', 'nextlink', 'odatanextlink', 'nextpagetoken', 'continuationtoken', 'cursor']);
/** A wrapper's flag that more pages follow. */
const MORE_KEYS = new Set(['hasmore', 'hasnext', 'hasnextpage', 'more']);

/**
 * Whether a listing answer says it holds only part of the day: a wrapper counting more orders than
 * it carries (`{data: [3 orders], totalCount: 7}`), or pointing at a next page (`nextPage`,
 * `@odata.nextLink`, `hasMore: true`). The seed shows no listing output, no paging and no way to
 * ask for another page, so the gateway reads the page it is given; but an order not on it is not
 * "not there", and a lost charge's search must not take it for absent (a retry would charge again).
 */
export function listingLeavesOut(json: unknown, listed: number): boolean {
  if (!isObject(json)) return false;
  const numberAt = (names: string[]) => {
    const value = Object.entries(json).find(([key]) => names.includes(fieldKey(key)))?.[1];
    return typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  };
  // `{TotalPages: 3, CurrentPage: 1}`: pages after this one.
  if (numberAt(['totalpages', 'pagecount']) > numberAt(['currentpage', 'page', 'pagenumber', 'pageindex'])) return true;
  return Object.entries(json).some(([key, value]) => {
    const name = fieldKey(key).replace(/[^a-z0-9]/g, '');
    if (COUNT_KEYS.has(name)) {
      const count = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
      return count > listed;
    }
    if (NEXT_KEYS.has(name)) return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && value > 0) || isObject(value);
    if (MORE_KEYS.has(name)) return value === true || value === 'true';
    return false;
  });
}

/**
 * Whether a listing's headers say it is one page of more, as ASP.NET APIs often page a bare
 * array: `X-Total-Count` above what it carries, a `Link` with `rel="next"`, or an `X-Pagination`
 * JSON header (`{TotalCount, PageSize, CurrentPage, TotalPages, HasNext}`) read as a wrapper is
 * (listingLeavesOut).
 */
export function headersLeaveOut(headers: ResponseHeaders, listed: number): boolean {
  if (!headers) return false;
  if (countsMoreThan(headers, listed) || nextLink(headerText(headers, 'link')) !== undefined) return true;
  for (const name of ['x-pagination', 'pagination', 'x-paging']) {
    const text = headerText(headers, name).trim();
    if (!text.startsWith('{')) continue;
    try {
      if (listingLeavesOut(JSON.parse(text) as unknown, listed)) return true;
    } catch {
      // not JSON: says nothing
    }
  }
  return false;
}

/**
 * Submit order's answer (seed: `{ "orderId": "fdfQQ33gdgWfgGoP642" }`), its key in any letter case
 * like every other answer: the seed's prose writes "OrderId", and a .NET Pei that answers in
 * PascalCase writes `{"OrderId": ...}`. Perhaps with the CheckoutUrl the seed's SequenceType text
 * names ("the payment gateway which is the CheckoutUrl property in the response", round eight):
 * where the buyer pays, which need not be the Workflow's `gattin.pei.is/<orderId>`.
 */
export const PeiSubmitted = caselessObject({ orderId: PeiOrderId, checkoutUrl: PeiPage });
export type PeiSubmitted = z.infer<typeof PeiSubmitted>;

/**
 * Orders/Pay's answer written as the order id alone, a bare JSON string (round twelve): the seed
 * shows no output for Orders/Pay, and ASP.NET's `return Ok(order.OrderId)` writes just that (its
 * PostbackUrl row: "A URL that the Order ID will be posted to"). Before, the answer was unreadable:
 * the charge Pei had made was looked for in the day's listing as a lost answer's, and where the
 * listing did not show it yet, createOrder failed while the buyer was charged. Only a string shaped
 * like Pei's ids (the seed's are 19 and 32 letters and digits) is an id: `"OK"` or `"Success"` is no
 * order to read back, and stays unreadable (the listing decides, as before). Round twenty-one: base64's
 * `+`, `/` and `=` too (order-id-shape.ts).
 */
function bareOrderId(json: unknown): unknown {
  return typeof json === 'string' && peiIdShaped(json.trim()) ? { orderId: json } : json;
}

/** Names a result wrapper says whether it went well by (`{success: false}`, `{isSuccess: false}`). */
const SUCCESS_KEYS = new Set(['success', 'succeeded', 'issuccess', 'issuccessful', 'ok']);

/**
 * Whether a result wrapper says the call failed: a success flag that is false, or errors it lists.
 * Such a wrapper's order is not the answer of a purchase made: left unread, the purchase is looked
 * for as a lost answer's (as before round thirteen), never taken for a charge because its order was
 * named (a wrapper holding a declined charge's order, read back where the read cannot say, would be
 * CAPTURED).
 */
function saysFailed(json: Record<string, unknown>): boolean {
  return Object.entries(json).some(([key, value]) => {
    const name = fieldKey(key).replace(/[^a-z]/g, '');
    if (SUCCESS_KEYS.has(name)) return value === false || value === 'false' || value === 0;
    if (name === 'errors' || name === 'error') return Array.isArray(value) ? value.length > 0 : value != null && value !== '' && value !== false && !(isObject(value) && Object.keys(value).length === 0);
    return false;
  });
}

/**
 * Orders/Pay's answer held in a wrapper (round thirteen): an object without an `orderId` of its own
 * holding exactly one object that has one, the whole order as `{order: {...}}` (as a Pei wrapping
 * Get order's answer does: unwrapOrder) or `{data: {orderId, purchaseId}, errors: [], success:
 * true}` (the .NET result wrapper a Pei holding its listing in one answers everything in). The
 * seed shows no output for Orders/Pay. Before, such an answer was unreadable: the charge Pei had
 * made was looked for in the day's listing as a lost answer's, and where the listing did not show
 * it yet, createOrder failed (PROVIDER_UNAVAILABLE) while the buyer was charged.
 */
function heldAnswer(json: unknown): unknown {
  if (isObject(json) && !hasKey(json, 'orderId') && saysFailed(json)) return json;
  return heldOne(json, (value) => hasKey(value, 'orderId'));
}

/**
 * Orders/Pay's answer: the order, confirmed, perhaps with its purchase (the seed shows no output),
 * and perhaps a status word, kept as written (a Pei answering the order itself may say `Declined`
 * beside the purchase id of a charge it refused: see PeiOrder's reading of words); bare
 * (bareOrderId) or held in a wrapper (heldAnswer).
 */
export const PeiPaid = z.preprocess(
  (json) => withStatusWord(bareOrderId(heldAnswer(json))),
  caselessObject({
    orderId: PeiOrderId,
    purchaseId: PeiPurchaseId,
    status: z.preprocess(statusRowWord, z.union([z.string(), z.number()]).nullish()).catch(null),
  }),
);
export type PeiPaid = z.infer<typeof PeiPaid>;

/**
 * The postback (seed: `{ "orderId" : "...", "purchaseId" : 966127, "mandateId" : "..." }`), unsigned,
 * its keys in any letter case (the seed's prose writes "OrderId, PurchaseId and MandateId").
 * The purchase id is a number in the seed; a numeric string is taken too. A blank mandateId or
 * purchaseId is absent. A status word is read where one is given (round ten).
 */
const PeiPostbackFields = z.preprocess(asOrderFields, caselessObject({
  orderId: PeiOrderId.max(128),
  purchaseId: z
    // Up to a .NET long's 19 digits (round seventeen): a Pei whose ids run past 15 digits (a 64-bit
    // generator) had every postback refused (400), so Pei's confirmation, which it does not post
    // again, was lost. Read as JSON numbers are, the nearest double beyond 2^53 (README, Known limitations).
    .union([z.number().int().nonnegative(), z.string().regex(/^\s*\d{0,19}\s*$/)])
    .nullish()
    // 0 is .NET's default for a long nobody set: no purchase, so it claims nothing (as a read's, PeiPurchaseId).
    .transform((value): string | null => purchaseDigits(value)),
  mandateId: PeiOptionalString,
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
    ([key, value]) => names.includes(fieldKey(key)) && value != null && !(typeof value === 'string' && value.trim() === '') && statusWordOf(value) === null,
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
  return { ...fields.data, says: postbackWord(fields.data.status), statusUnread: fields.data.status === null && writesUnreadStatus(json) };
});
export type PeiPostback = z.infer<typeof PeiPostback>;

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

/**
 * ASP.NET Web API's error body (no seed shows one; ASP.NET writes `Message`, `ModelState` unless told
 * to camelCase), or ASP.NET Core's (round nine): an RFC 7807 problem, `{type, title, status, detail,
 * errors, traceId}`, which an `[ApiController]` answers every invalid model with. Each field read if
 * it is as expected, else left out. Before, a problem's words, field and trace id were not read:
 * the refusal said only "HTTP 400", and a submit refused for the ExpirationDate's form was never
 * sent again in the seed table's form (client.ts submitOrder), so at such a Pei every order was refused.
 */
export const PeiError = caselessObject({
  message: z.string().optional().catch(undefined),
  modelState: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  detail: z.string().optional().catch(undefined),
  errors: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
  traceId: z.string().optional().catch(undefined),
});
export type PeiError = z.infer<typeof PeiError>;

/** The token endpoint's answer (OAuth2 client credentials; `expires_in` may be missing, see TokenExpiresIn). */
export const PeiToken = z.object({
  access_token: z.string().min(1),
  expires_in: TokenExpiresIn,
  token_type: z.string().optional(),
});
export type PeiToken = z.infer<typeof PeiToken>;

export interface PeiBuyerRequest {
  name?: string;
  ssn?: string;
  email?: string;
  mobileNumber?: string;
}

export interface PeiItemRequest {
  name: string;
  code?: string;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amount: number;
  groupName?: string;
  isOptional?: boolean;
  isDefaultSelected?: boolean;
}

/** What we send to `POST /api/orders` (seed "Order"). */
export interface PeiOrderRequest {
  merchantId: number;
  amount: number;
  reference?: string;
  expirationDate: string;
  successReturnUrl?: string;
  cancelReturnUrl?: string;
  postbackUrl: string;
  sequenceType: PeiSequenceType;
  mandateId: string | null;
  buyer: PeiBuyerRequest;
  items: PeiItemRequest[];
  /** As the seed's JSON example writes them (`cycles` a number), or its table (a String: mapping.ts asTableWrites). */
  subscriptionOptions?: { startDate: string; frequency: 'Week' | 'Month'; frequencyInterval: number; cycles: number | string };
}

/** What we send to `POST /api/orders/pay` (seed "Orders/Pay"). */
export interface PeiPayRequest {
  merchantId: number;
  amount: number;
  reference?: string;
  postbackUrl: string;
  buyer: Required<Pick<PeiBuyerRequest, 'name' | 'ssn' | 'email'>> & Pick<PeiBuyerRequest, 'mobileNumber'>;
  items: Omit<PeiItemRequest, 'groupName' | 'isOptional' | 'isDefaultSelected'>[];
}
