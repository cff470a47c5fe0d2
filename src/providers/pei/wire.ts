import { z } from 'zod';
import { TokenExpiresIn } from '../shared-token.js';
import { fieldKey } from '../field-names.js';
import { peiIdShaped } from './order-id-shape.js';
import { statusRowWord, withStatusWord } from './status-words.js';
import { PeiOrderId, PeiPage, PeiPurchaseId, type PeiSequenceType } from './wire-fields.js';
import { caselessObject, hasKey, heldOne, isObject } from './wire-reading.js';

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

/*
 * This file holds the answers to Submit and Orders/Pay, the error body, the token and what the
 * gateway sends. The rest of Pei's JSON: wire-reading.ts (caseless objects, enums, wrappers),
 * wire-fields.ts (field types), status-words.ts, order-shape.ts (an order read), listing-shape.ts,
 * postback-shape.ts.
 */

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
