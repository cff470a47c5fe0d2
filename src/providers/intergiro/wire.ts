import { z } from 'zod';
import { blankAsAbsent, isUnset, nullFieldsAbsent } from '../wire-nulls.js';
import { epochMs } from '../timestamps.js';
import { statusOfList } from './status-words.js';
import { IntergiroId } from './ids.js';
import { currencyCodeOf } from './currency-codes.js';
import { foreignEventAmountsDropped } from './event-currency.js';
import { DECIMAL_TEXT, decimalTextValue } from './decimal-text.js';

/*
 * Intergiro's JSON shapes (seed intergiro-orders.txt, CONTRACT §8). Only this folder sees them.
 * Objects are loose: Intergiro adds fields over time and an unknown field must not break us.
 * In an order, its payment, events and items a field written as null is absent: the seed shows
 * none of them with every field, and a serialiser may write the unset ones as null.
 */

/**
 * A field read for what it says: one written in another JSON type than the adapter reads is
 * absent, never the whole answer unreadable. Round eight: an Error whose `status` was a word
 * (`"error"`) lost its words and its id with it, so a card's "verification required" was a plain
 * refusal coded "400" (the card could never be paid), or, answered 200, no Error at all; an event
 * dated with a number made its whole order unreadable.
 */
const tolerantField = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/**
 * A number in an order: the seed quotes its placeholders ("items": "<numer or item information ...>",
 * "amount": "<Amount of payment>"), so a numeric string is read as the number it writes (a `+`
 * before it, or leading zeros, since round twenty-eight: decimal-text.ts).
 */
const IntergiroNumber = z.union([z.number(), z.string().regex(DECIMAL_TEXT).transform(decimalTextValue)]);

export const IntergiroItem = nullFieldsAbsent(
  z.looseObject({
    /** No seed shows an item; the order's own `number` comes unquoted too. */
    number: z.union([z.string(), z.number().transform(String)]).optional(),
    name: z.string().optional(),
    price: IntergiroNumber.optional(),
    quantity: IntergiroNumber.optional(),
    unit: z.string().optional(),
    vat: IntergiroNumber.optional(),
    rebate: IntergiroNumber.optional(),
  }),
);
export type IntergiroItem = z.infer<typeof IntergiroItem>;

/** `items` is a plain amount, one item, or a list of items. */
export const IntergiroItems = z.union([IntergiroNumber, IntergiroItem, z.array(IntergiroItem)]);
export type IntergiroItems = z.infer<typeof IntergiroItems>;

/**
 * Order status words (CONTRACT §8), closed. An order is read with any `status` string: a word
 * outside this list is unknown to the gateway (CONTRACT §7: the order keeps its status), never an
 * error and never a default (mapping.ts).
 */
export const IntergiroStatus = z.enum([
  'created',
  'deferred',
  'pending',
  'denied',
  'ordered',
  'cancelled',
  'charged',
  'paid',
  'refunded',
  'settled',
  'synchronized',
]);
export type IntergiroStatus = z.infer<typeof IntergiroStatus>;

/**
 * The seed only says "an Error will be returned together with the id of the order": a body without
 * `status` (or with one that is no HTTP status) takes the HTTP status (client.ts), one without
 * `type` is coded by that status.
 */
export const IntergiroError = z.looseObject({
  /** A number in CONTRACT §8's example; the seed shows no Error, so "400" is read as 400, and a word (`"error"`) as none. */
  status: tolerantField(z.union([z.number(), z.string().trim().regex(/^\d{3}$/).transform(Number)])),
  type: tolerantField(z.string()),
  error: tolerantField(z.string()),
  /** Where an implementation of the seed alone may put the Error's words instead of `error`. */
  message: tolerantField(z.string()),
  /** The order's id, as IntergiroId reads it (round twenty-five: a JSON number too). */
  id: tolerantField(IntergiroId),
  content: tolerantField(
    z.looseObject({
      property: tolerantField(z.string()),
      type: tolerantField(z.string()),
      description: tolerantField(z.string()),
      details: z.unknown().optional(),
    }),
  ),
});
export type IntergiroError = z.infer<typeof IntergiroError>;

/**
 * An Error body as the seed's sentence can be read word for word, "an Error will be returned
 * together with the id of the order": `{id, error: {status, type, error, content}}`, the Error
 * beside the id rather than its fields spread beside it. Its fields are lifted to the top (the
 * Error's own words over the envelope's; the envelope's `id`, the order's, over the Error's), so
 * it reads as CONTRACT §8's shape; any other body is returned as it is. Round nine: read as it
 * came, `error` was no words and the rest absent, so a card's "verification required" was a plain
 * refusal coded "400" (the card could never be paid) and, answered 200, an unreadable order.
 */
export function liftNestedError(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  const { error: inner, ...envelope } = json as Record<string, unknown>;
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return json;
  const error = inner as Record<string, unknown>;
  const id = isUnset(envelope['id']) ? error['id'] : envelope['id'];
  return { ...envelope, ...error, ...(id !== undefined ? { id } : {}) };
}

/**
 * An event's `date`: ISO 8601 text, or a JSON number of milliseconds since the epoch (of seconds,
 * below 1e11), read as the ISO text of that instant; anything else is none. No seed shows an event
 * ("<Order events>"), so not how one is dated: read only as text, a date written `Date.now()`
 * made the whole order unreadable, and with it every card order's creation (round eight).
 */
const IntergiroEventDate = tolerantField(
  z.union([
    z.string(),
    z
      .number()
      .refine((value) => Number.isFinite(value) && Math.abs(value) < 8.64e15)
      .transform((value) => new Date(epochMs(value) ?? value).toISOString()),
  ]),
);

export const IntergiroEvent = nullFieldsAbsent(
  z.looseObject({
    type: z.string(),
    date: IntergiroEventDate,
    items: IntergiroItems.optional(),
    /** Not read for money: one of another JSON type is none, not an unreadable order. */
    reference: tolerantField(z.string()),
    descriptor: tolerantField(z.string()),
    /** On `fail` events: the event type that failed, and why. */
    original: tolerantField(z.string()),
    error: z.unknown().optional(),
  }),
);
export type IntergiroEvent = z.infer<typeof IntergiroEvent>;

/**
 * Only the fields the adapter reads. The seed shows a defer payment whole but a card payment only
 * as "<Card payment>", and quotes "amount": "<Amount of payment>": a card payment may come without
 * `type` (it is then a card payment) and its other fields in any JSON type, so they are not checked.
 */
export const IntergiroPayment = nullFieldsAbsent(
  z.looseObject({
    type: z.string().optional(),
    reference: z.string().optional(),
    method: z.string().optional(),
    link: z.string().optional(),
    /** CONTRACT §8 names the payment's `status` (the order's word where the order has none) and a customer payment's `charge`. */
    status: z.unknown().optional(),
    charge: z.unknown().optional(),
  }),
);

/**
 * The order with its `status` list, where it writes one, kept whole beside it as `statusList`
 * (status-words.ts statusOfList reads `status` as one word; amounts.ts listFigures reads the
 * amounts). A field of that name Intergiro itself sends is dropped: only a list is read as one.
 */
function keepingStatusList(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  const { statusList: _theirs, ...order } = json as Record<string, unknown>;
  const status = order['status'];
  return status && typeof status === 'object' && !Array.isArray(status) ? { ...order, statusList: status } : order;
}

// Round twenty-nine: an event's amount in another currency than the order's is none (event-currency.ts).
export const IntergiroOrder = z.preprocess((json) => keepingStatusList(foreignEventAmountsDropped(json)), nullFieldsAbsent(z.looseObject({
  /** Text, or a JSON number within 2^53 read as its digits (ids.ts, round twenty-five). */
  id: IntergiroId.pipe(z.string().min(1)),
  /**
   * The seed writes it unquoted once (`"number": <your order identifier>`): a JSON number is read
   * as its digits. One written "" is none: read as a number, it told a lost creation's search
   * (index.ts findCreated) that an order of the same amount was surely another order, and the
   * retry created a second one.
   */
  number: blankAsAbsent(z.union([z.string(), z.number().transform(String)])),
  /**
   * "<datetime of order>": ISO 8601 text (dates.ts), or a JSON number of milliseconds since the
   * epoch (of seconds, below 1e11), read as the ISO text of that instant. The seed quotes it as it
   * quotes "<Amount of payment>", a number. Read only as text, such an order was unreadable: every
   * creation Intergiro made (and may have charged) was PROVIDER_UNAVAILABLE, its retry found nothing
   * it could read in the listing, and every callback was refused (round eleven).
   */
  created: z.union([
    z.string(),
    z
      .number()
      .refine((value) => Number.isFinite(value) && Math.abs(value) < 8.64e15)
      .transform((value) => new Date(epochMs(value) ?? value).toISOString()),
  ]),
  /** A customer's id as an order's is read (ids.ts), or the customer's contact information ("<id of customer or contact information>"). */
  customer: z.union([IntergiroId, z.looseObject({})]).optional(),
  items: IntergiroItems,
  /** ISO 4217, read in any letter case (no seed fixes it), or as its numeric code (round twenty-seven, currency-codes.ts). */
  currency: z.union([z.string(), z.number()]).transform((value, ctx) => {
    const code = currencyCodeOf(value);
    if (code !== undefined) return code;
    ctx.addIssue({ code: 'custom', message: 'not an ISO 4217 currency' });
    return z.NEVER;
  }),
  charge: z.string().optional(),
  /**
   * The seed's merchant-initiated and verify answers write `"payment": "<Card payment>"` in quotes,
   * like the order's own id: a card payment answered as a string is read as its reference (a card
   * payment whose type and status are not said). Unreadable before, so a creation Intergiro made was
   * PROVIDER_UNAVAILABLE and its listing could not show it.
   */
  payment: z.union([IntergiroPayment, z.string().trim().min(1).transform((reference) => IntergiroPayment.parse({ reference }))]),
  /**
   * The seed writes it `"event": "<Order events>"` (defer answer), a placeholder in quotes as
   * `"payment": "<Card payment>"` is: none may come as "" and one as the event itself, not in an
   * array (as `items` is "item information or array"). Read only as an array, an unpaid payment
   * link (no events) was an unreadable answer: its creation, made at Intergiro, PROVIDER_UNAVAILABLE.
   */
  event: z.preprocess(
    (value) => (isUnset(value) ? undefined : value && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
    z.array(IntergiroEvent).optional(),
  ),
  /**
   * One word (CONTRACT §8), or a status list of the words the order reached with the amount in each,
   * read as the furthest that holds something (status-words.ts statusOfList); one of another JSON
   * type is none (the events and payment say the state), not an unreadable order.
   */
  status: z.preprocess(statusOfList, tolerantField(z.string())),
  /** The status list as written (keepingStatusList), for its amounts (amounts.ts listFigures). */
  statusList: z.record(z.string(), z.unknown()).optional(),
  callback: z.string().optional(),
})));
export type IntergiroOrder = z.infer<typeof IntergiroOrder>;

/** The listing: its entries are read one by one (an unreadable one is skipped, not fatal). */
export const IntergiroOrderList = z.array(z.unknown());

/**
 * The 3-D Secure step carried by a "verification required" error (CONTRACT §8). The seed shows
 * none of it: an error without it (or with another shape) is still the step (mapping.ts).
 */
export const IntergiroVerificationDetails = z.looseObject({
  visible: z.boolean().optional(),
  method: z.string().optional(),
  url: z.string(),
  data: z.looseObject({ type: z.string(), threeDSServerTransID: z.string().optional() }),
});
export type IntergiroVerificationDetails = z.infer<typeof IntergiroVerificationDetails>;

/** The body of PATCH /v1/order (seed: Change an order). */
export type IntergiroChangeBody = { id: string; event: IntergiroEventCreatable[] }[];

export const IntergiroChangeResponse = z.array(z.looseObject({ id: IntergiroId, event: z.array(IntergiroEvent) }));
export type IntergiroChangeResponse = z.infer<typeof IntergiroChangeResponse>;

/** What we send to POST /v1/order (an Order Creatable). */
export interface IntergiroOrderCreatable {
  id?: string;
  number?: string;
  items: number | IntergiroItem[];
  currency: string;
  charge?: 'auto';
  customer?: string;
  callback?: string;
  payment: IntergiroPaymentCreatable;
}

export type IntergiroPaymentCreatable =
  | {
      type: 'card';
      card: string;
      client?: { browser?: unknown };
      subsequent?: { reference: string; initiator: string };
      verification?: unknown;
    }
  | { type: 'customer' }
  | { type: 'defer'; method: 'link'; cardholderName?: 'required'; redirectUrl?: string };

export interface IntergiroEventCreatable {
  type: 'charge' | 'capture' | 'refund' | 'cancel';
  items?: number;
  descriptor?: string;
}
