import { z } from 'zod';
import { icmCurrency } from './currency-code.js';
import { icmInstant } from './dates.js';
import { asciiI } from './dotted-i.js';
import { IcmFlag, IcmId, IcmPosition, IcmQuantity } from './json-scalars.js';
import { withoutPlusSign } from './plus-sign.js';

/**
 * A `creationDate` as an answer may write it (dates.ts): a string, a number, or the array of a
 * LocalDateTime's fields (Jackson's default). Only lists need it read (IcmDate); in an order
 * answer one of another form is left unread, never a reason to refuse the whole answer.
 */
const CreationDate = z.union([z.string(), z.number(), z.array(z.number())]);

/*
 * Intershop ICM's order REST v1 shapes (seed intershop-icm-order-rest-v1.txt, CONTRACT §8). Only
 * this folder sees them. Objects are loose: ICM documents carry far more than the gateway reads
 * (addresses, buckets, discounts...), and an unknown field must not break us. Status words are
 * closed lists; a word outside them is kept as an unknown word (the order keeps its status),
 * never an error and never a default.
 */

/**
 * `{currency, value}`: value in major units. The seed writes it as a JSON number and the currency
 * in capitals; a numeric string, or the currency in another letter case, is the same amount (it is
 * parsed exactly, never through a float, see mapping.ts fromWireMoney). A string may be written as
 * Java writes a double (`Double.toString`, Jackson's WRITE_NUMBERS_AS_STRINGS), in scientific
 * notation from 10^7 up (`"1.23456789E7"`): before, such a payment made the whole answer unreadable.
 * The currency may be ISO 4217's number (`840` or `"840"`, round twenty-seven; currency-code.ts).
 */
export const IntershopMoney = z.looseObject({
  currency: z.union([z.string(), z.number()]).transform(icmCurrency),
  // A `+` before the digits (`"+628.34"`, round twenty-eight) says nothing but "positive" (plus-sign.ts).
  value: z.preprocess(withoutPlusSign, z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/)])),
});
export type IntershopMoney = z.infer<typeof IntershopMoney>;

/**
 * An amount as the seed writes it in one place or another: plain `{currency, value}` (§2.2's
 * included payment) or a price item `{gross: {currency, value}, net?, tax?}` (§3.1's payments
 * resource). Which form an answer uses is not promised, so either is read, as its gross amount.
 */
export const IntershopAmount = z.union([
  IntershopMoney,
  z.looseObject({ gross: IntershopMoney }).transform((item) => item.gross),
]);

/** `orderCreation.status` in a response (CONTINUE is a request word only). */
export const IntershopCreationStatus = z.enum(['COMPLETED', 'ROLLED_BACK', 'STOPPED']);
export type IntershopCreationStatus = z.infer<typeof IntershopCreationStatus>;

export const IntershopStopType = z.enum(['Redirect', 'Workflow']);
export type IntershopStopType = z.infer<typeof IntershopStopType>;

export const IntershopExitReason = z.enum(['redirect_urls_required', 'waiting_for_pending_payments', 'recurring.order']);
export type IntershopExitReason = z.infer<typeof IntershopExitReason>;

/** Seed §3.2.5's payment column, plus "Unprocessed" (seed §2.2's example). */
export const IntershopPaymentStatus = z.enum(['Unprocessed', 'PENDING', 'AUTHORIZED', 'CAPTURED', 'AUTHORIZATIONVOIDED']);
export type IntershopPaymentStatus = z.infer<typeof IntershopPaymentStatus>;

/** One of ICM's words, its Turkish `ı` / `İ` read as `i` / `I` (dotted-i.ts; round twenty-eight). Never an id. */
const Word = z.string().transform(asciiI);

/** A string of nothing but blanks (`""`) as absent; anything else as it is. */
function blankAsAbsent(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/**
 * The `redirect` block of a chain (seed §3.2.3): the shop's return URLs, and the PSP's
 * `redirectUrl`, which §3.2.3 writes here as well as in the stopAction (§2.2's answer has it in
 * the stopAction only). Only that URL is read, and one of another type is none.
 */
const IntershopCreationRedirect = z.looseObject({ redirectUrl: z.preprocess(blankAsAbsent, z.string().optional()).catch(undefined) }).optional().catch(undefined);

export const IntershopOrderCreation = z.looseObject({
  status: IntershopCreationStatus,
  stopAction: z
    .looseObject({
      type: IntershopStopType,
      exitReason: IntershopExitReason.optional(),
      redirectUrl: z.string().optional(),
    })
    .optional(),
  redirect: IntershopCreationRedirect,
});
export type IntershopOrderCreation = z.infer<typeof IntershopOrderCreation>;

/**
 * `orderCreation` as read: its words as strings, so a word the gateway does not know is kept
 * (CONTRACT §7: the order keeps its status) rather than failing the read; mapping.ts narrows it
 * to IntershopOrderCreation.
 */
export const IntershopOrderCreationWords = z.looseObject({
  status: Word,
  /**
   * A stopAction without its words (`{}`: a Java object whose fields are all unset, serialized
   * without them; the seed shows none on COMPLETED) is no stopAction: a STOPPED chain that then
   * does not say why is read by its statusCode (chain.ts), a final one needs none.
   */
  stopAction: z
    .preprocess(
      stopWithType,
      z
        .looseObject({
          type: Word,
          // A string the stop has none of may be written `""` (a Java bean's empty default): as absent.
          // Before, a Redirect stop beside `"exitReason": ""` was an unknown word (the buyer never
          // reached the PSP page), and `"redirectUrl": ""` hid the URL in the `redirect` block.
          exitReason: z.preprocess(blankAsAbsent, Word.optional()),
          redirectUrl: z.preprocess(blankAsAbsent, z.string().optional()),
        })
        .optional(),
    )
    .catch(undefined),
  redirect: IntershopCreationRedirect,
});

export type IntershopOrderCreationWords = z.infer<typeof IntershopOrderCreationWords>;

/**
 * A stopAction with its `type`. Every example in the seed writes one, but §3.2.5's table, the
 * seed's summary of the chain's states, names each stop by its other field alone ("ExitReason =
 * redirect_urls_required", "RedirectUrl available"), so an ICM may leave the type out: such a stop
 * is a Redirect when it carries the PSP's URL, else a Workflow when it says its exitReason. Before,
 * it was unreadable, the chain was read by its statusCode (which cannot say the URL), and the buyer
 * was never sent to the PSP's page. One that says nothing of its own (its strings all a Java bean's
 * empty default `""`, on COMPLETED or ROLLED_BACK) is no stopAction; before that was read so, it
 * was an unknown word and a placed order kept the PSP page.
 */
function stopWithType(value: unknown): unknown {
  if (!isRecord(value) || (typeof value.type === 'string' && value.type.trim() !== '')) return value;
  if (typeof blankAsAbsent(value.redirectUrl) === 'string') return { ...value, type: 'Redirect' };
  if (typeof blankAsAbsent(value.exitReason) === 'string') return { ...value, type: 'Workflow' };
  return typeof value.type === 'string' ? undefined : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One of `infos` (seed §2.2: `{code, message}`). Its `message` is ICM's text for the code, which a
 * Java server leaves out (or writes null) when it has none: the code then stands for it. An entry
 * without a code says nothing the gateway can show and is left out (see infos below); before,
 * either one made the whole answer unreadable, and a create whose chain had stopped failed.
 */
export const IntershopInfo = z.looseObject({ code: z.string(), message: z.string().optional() }).transform(({ code, message }) => ({ code, message: message ?? code }));

/** `infos`: each entry on its own, an unreadable one left out. */
const Infos = z.array(z.unknown()).transform((entries) => entries.flatMap((entry) => {
  const info = IntershopInfo.safeParse(entry);
  return info.success ? [info.data] : [];
}));

/** An order's `basket` (see IntershopOrderData): `""` or a value of another type names no basket. */
const BasketRef = z.preprocess(blankAsAbsent, IcmId.optional()).catch(undefined);

/**
 * One order's `data`. Seed §3.2.3/§3.2.4's PATCH answers have no `creationDate` and elide `totals`
 * (`"totals": { ... }`), so neither is required here: the gateway takes the total from the POST
 * answer (or the payments) and needs the creation date only in lists (IntershopListedOrderData).
 */
export const IntershopOrderData = z.looseObject({
  /** Ids as a string, or a JSON number read as its digits (json-scalars.ts; round twenty-five). */
  id: IcmId,
  // No `documentNumber`: the gateway needs nothing of it, and §2.2's `"00000001"` does not say its
  // type. Round seventeen: an ICM writing it as a Java `long` (a JSON number) made every order answer
  // unreadable (a create PROVIDER_UNAVAILABLE after ICM had taken the money); a looseObject keeps it as written.
  /**
   * The basket the order was made of (seed §2.2). Once the basket has become the order an ICM may
   * name none (`null`, `""`, left out: a Java DTO whose reference resolves to no basket any more;
   * round nineteen): not named, as absent (lost-creation.ts then cannot tell the order by it).
   */
  basket: BasketRef,
  creationDate: CreationDate.optional().catch(undefined),
  /**
   * Seed §2.2-§3.2.4 show it in POST and PATCH answers only; where it is missing, chain.ts reads
   * statusCode and the payments. A block without its `status` (`{}`: a Java object whose fields
   * are all unset, serialized without them) is missing too, and so is one whose `status` is `""`
   * (its strings a Java bean's empty defaults; before, an unknown word on every read).
   */
  orderCreation: z.preprocess((value) => (isRecord(value) && blankAsAbsent(value.status) === undefined ? undefined : value), IntershopOrderCreationWords.optional()),
  /** Seed §3.2.5's "Order Status" (NEW, PAYMENT_CANCELLED, PENDING). */
  statusCode: Word.optional(),
  status: Word.optional(),
  // Letters or ISO 4217's number, as in amounts (currency-code.ts); only a free order's total reads it.
  purchaseCurrency: z.union([z.string(), z.number()]).transform(icmCurrency).optional().catch(undefined),
  lineItems: z.array(IcmId).optional(),
  payments: z.array(IcmId).optional(),
  /**
   * The seed elides totals (`"totals": { ... // totals summary }`), so what is inside is not
   * promised: a grandTotal of another shape is left unread (the payments give the total), never
   * a reason to refuse the whole answer.
   */
  totals: z.looseObject({ grandTotal: IntershopAmount.optional().catch(undefined) }).optional().catch(undefined),
});
export type IntershopOrderData = z.infer<typeof IntershopOrderData>;

/**
 * A `creationDate` the gateway can place in time (dates.ts): the seed's offset form, a Java
 * ZonedDateTime with its `[Region/City]`, epoch milliseconds (Jackson's default for a Date), or a
 * wall-clock time without a zone (read as UTC). Before, only what Date.parse takes was read, and
 * a zone-less one in the gateway's own local zone.
 */
const IcmDate = CreationDate.refine((value) => icmInstant(value) !== undefined, 'creationDate is not a date');

/** An entry of GET /orders: the list is sorted by it (seed §2.3) and the gateway filters by it. */
export const IntershopListedOrderData = IntershopOrderData.extend({ creationDate: IcmDate });
export type IntershopListedOrderData = z.infer<typeof IntershopListedOrderData>;

/**
 * What finding a lost creation needs of a list entry: seed §2.3 shows no entry (only that a GET of
 * one order answers its details), so nothing else of it is relied on; the order is read itself after.
 */
export const IntershopListedOrderRef = z.looseObject({ id: IcmId, basket: BasketRef, creationDate: CreationDate.optional().catch(undefined) });

/**
 * A payment's share of the basket and its costs (seed §2.2 and §3.1 write them beside
 * `totalAmount`, which is their sum): read only where `totalAmount` is in another currency than
 * the order's (settlement-currency.ts, round twenty-nine); one of another shape is left unread.
 */
const PaymentShareAmounts = {
  baseAmount: IntershopAmount.optional().catch(undefined),
  paymentCosts: IntershopAmount.optional().catch(undefined),
};

/**
 * An order's payment as `included.payments` carries it. Seed §3.1: an order may be paid with
 * limited tenders (gift cards...) and one open tender, which `openTender: true` marks (seed §2.2).
 */
export const IntershopOrderPayment = z.looseObject({
  id: IcmId,
  /** A boolean, or `"true"` / `"false"`; anything else unread, as absent (json-scalars.ts; round twenty-five). */
  openTender: IcmFlag,
  paymentMethod: z.string(),
  paymentInstrument: z.string().optional(),
  /**
   * An IntershopPaymentStatus; another word is kept as unknown (see IntershopOrderCreationWords).
   * §3.1 shows a payment without any status, so an answer whose payments carry none is read too:
   * the chain then says how far the payment got (status.ts completedStatus). One written `""` (a
   * Java bean's empty default) has none too: before, it was an unknown word, and a COMPLETED order
   * kept the PSP page.
   */
  status: z.preprocess(blankAsAbsent, Word.optional()),
  /** §2.2 writes it `{currency, value}`, §3.1 `{gross: {...}}`: either. */
  totalAmount: IntershopAmount,
  ...PaymentShareAmounts,
});
export type IntershopOrderPayment = z.infer<typeof IntershopOrderPayment>;

/**
 * A line of `included.lineItems` (no seed shows one; ICM's basket REST v1 writes them so). Its
 * `position` and `quantity.value` may be strings (json-scalars.ts; round twenty-six): before, a
 * writer without type inference (`"quantity": {"value": "2"}`) left every line out of the order. A
 * quantity or unit price that cannot be read leaves the line without it (mapping.ts lineItemOf).
 */
export const IntershopLineItem = z.looseObject({
  id: IcmId,
  position: IcmPosition,
  product: z.string(),
  quantity: z.looseObject({ value: IcmQuantity, unit: z.string().optional().catch(undefined) }).optional().catch(undefined),
  pricing: z.looseObject({ singleBasePrice: IntershopAmount.optional().catch(undefined), total: IntershopAmount }),
});
export type IntershopLineItem = z.infer<typeof IntershopLineItem>;

export const IntershopPaymentMethod = z.looseObject({ id: z.string(), displayName: z.string().optional() });

const Included = z
  .looseObject({
    // No seed shows a line item: one of another shape is left out (the order has no line for it), not a reason to refuse the answer.
    lineItems: z.record(z.string(), IntershopLineItem.optional().catch(undefined)).optional(),
    payments: z.record(z.string(), IntershopOrderPayment).optional(),
    'payments.paymentMethod': z.record(z.string(), IntershopPaymentMethod).optional(),
  })
  .optional();

/** GET / POST / PATCH on one order. */
export const IntershopOrderDocument = z.looseObject({
  data: IntershopOrderData,
  included: Included,
  infos: Infos.optional(),
});
export type IntershopOrderDocument = z.infer<typeof IntershopOrderDocument>;

/**
 * A PATCH answer (seed §2.2 shows `"data": { ..., "orderCreation": {...}, ... }`, the rest elided):
 * the order's `id` may be among what is left out; the gateway knows it from the path it patched.
 */
export const IntershopContinueDocument = IntershopOrderDocument.extend({ data: IntershopOrderData.extend({ id: IcmId.optional() }) });

/** A count in a paging block, as a number or a string of digits (a `+` before them too, plus-sign.ts); anything else is left unread. */
const ListCount = z
  .preprocess(withoutPlusSign, z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/).transform(Number)]).optional())
  .catch(undefined);

/**
 * ICM's paging block on lists: this page's `limit` and `offset`, and how many there are in all.
 * Seed §2.3 shows no list at all, so none of it is relied on: a field of another form is left
 * unread (the paging then goes on until a page brings no order it has not seen).
 */
export const IntershopListInfo = z.looseObject({ limit: ListCount, offset: ListCount, total: ListCount });

/**
 * A list entry. Seed §2.3 shows none; everywhere else the seed refers to another resource by its
 * id alone (`lineItems`, `payments`, `buckets`: arrays of strings), so a list of order ids is as
 * faithful as one of objects: an id is read as the entry `{id}` (before, every such entry was
 * unreadable and a lost creation was never found), and so is one written as a JSON number (round
 * twenty-five, json-scalars.ts).
 */
const ListEntry = z.unknown().transform((entry) => (typeof entry === 'string' || typeof entry === 'number' ? { id: entry } : entry));

/** GET /orders?offset&limit: one page of the user's orders; each entry is read on its own (an unreadable one is skipped). */
export const IntershopOrderListDocument = z.looseObject({
  data: z.array(ListEntry),
  included: Included,
  info: IntershopListInfo.optional().catch(undefined),
});
export type IntershopOrderListDocument = z.infer<typeof IntershopOrderListDocument>;

/** GET /orders/{id}/payments (seed §3.1): amounts as `{gross: {...}}` (or §2.2's plain form), no status. */
export const IntershopPaymentsDocument = z.looseObject({
  data: z.array(
    z.looseObject({
      id: IcmId,
      paymentMethod: z.string(),
      paymentInstrument: z.string().optional(),
      totalAmount: IntershopAmount,
      ...PaymentShareAmounts,
    }),
  ),
  included: z.looseObject({ paymentMethod: z.record(z.string(), IntershopPaymentMethod).optional() }).optional(),
});
export type IntershopPaymentsDocument = z.infer<typeof IntershopPaymentsDocument>;

/**
 * CONTRACT §8: `{errors: [{code, message, status, causes}]}`, which names the fields but not their
 * types. Only `code` is needed (and `message`, `paths` where readable); the rest is read when it has
 * the expected form and left unread otherwise. Before, an ICM writing `status` as a JSON number (a
 * Java `int`) made the whole body unreadable: a refusal lost ICM's code for the HTTP status.
 */
const ErrorPaths = z.array(z.string()).optional().catch(undefined);
export const IntershopErrors = z.looseObject({
  errors: z
    .array(
      z.looseObject({
        code: z.string(),
        message: z.string().optional().catch(undefined),
        // A `+` before the digits (`"+400"`, round twenty-eight) says nothing but "positive" (plus-sign.ts).
        status: z.preprocess(withoutPlusSign, z.union([z.string(), z.number().transform(String)]).optional()).catch(undefined),
        paths: ErrorPaths,
        causes: z
          .array(z.looseObject({ code: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined), paths: ErrorPaths }))
          .optional()
          .catch(undefined),
      }),
    )
    .min(1),
});
export type IntershopErrors = z.infer<typeof IntershopErrors>;

/** PATCH /orders/{id} body. */
export interface IntershopContinueRequest {
  orderCreation: {
    status: 'CONTINUE';
    redirect:
      | { successUrl: string; cancelUrl: string; failureUrl: string }
      | { status: 'SUCCESS' | 'CANCEL' | 'FAILURE'; parameters: { name: string; value: string }[] };
  };
}
