import { z } from 'zod';
import { fieldsByKey } from '../field-names.js';
import { blankAsAbsent } from '../wire-nulls.js';
import { isNoValueText, withoutNoValueText } from '../no-value-text.js';

/**
 * Payway's JSON shapes (seed payway-adyen-place-order.txt, CONTRACT §8), as the adapter sends and
 * reads them. Only this folder sees them.
 */

export interface PaywayBrowserInfo {
  browser_ip: string;
  browser_language: string;
  browser_user_agent: string;
  referer: string;
  accept_header: string;
  color_depth: number;
  screen_height: number;
  screen_width: number;
  time_zone_offset: number;
  java_enabled: boolean;
}

export interface PaywayDeliveryAddress {
  first_name: string;
  last_name: string;
  street: string;
  street_number?: string;
  zip_code: string;
  floor?: string;
  apartment_number?: string;
  entrance?: string;
  city: string;
  dropbox?: string;
  country_code: string;
}

/** POST /external/api/v1/adyen/place_order */
export interface PaywayPlaceOrderRequest {
  payment_method: Record<string, unknown>;
  product_code: string;
  period_id: string;
  return_url: string;
  origin: string;
  traffic_source?: string;
  subscription_start_date?: string;
  discount_code?: string;
  merchant_reference?: string;
  browser_info: PaywayBrowserInfo;
  delivery_address?: PaywayDeliveryAddress;
}

/** GET /external/api/v1/adyen/payment_methods's query (CONTRACT §8; discount_code ASSUMED, and harmless if ignored: the read is best effort). */
export interface PaywayPaymentMethodsQuery {
  period_id: string;
  product_code: string;
  origin: string;
  discount_code?: string;
}

/** POST /external/api/v1/adyen/perform_additional_action (CONTRACT §8). */
export interface PaywayAdditionalActionRequest {
  details: Record<string, unknown>;
  session_reference: string;
  origin: string;
}

/** Prose (`message`): read when it is text, else none; nothing depends on it. */
const PaywayMessage = z.string().optional().catch(undefined);

/**
 * An Adyen action as Payway passes it through. Its `type` is an open set (threeDS2Fingerprint,
 * threeDS2Challenge, redirect, and Adyen's qrCode, await, sdk, voucher... for wallets such as
 * Swish): the purchase exists at Payway whatever the type, so any type is read, and mapping.ts
 * decides what the client is told.
 */
export const PaywayAction = z.preprocess(
  objectOfJsonText,
  z.looseObject({
    type: z.string().min(1),
    paymentMethodType: blankAsAbsent(z.string()),
    token: blankAsAbsent(z.string()),
    /** Redirect actions (3-D Secure 1, banks). */
    url: blankAsAbsent(z.string()),
    method: blankAsAbsent(z.string()),
  }),
);

/**
 * The object a JSON text holds, where `value` is one (`"{\"type\":\"threeDS2Fingerprint\",...}"`);
 * else `value` as it is. Payway passes Adyen's action through, and a Payway that keeps Adyen's
 * answer as its JSON text (a text column, a queue message) may put that text in its own answer
 * as it is: the seed shows the action as an object and says nothing of how Payway holds it.
 * Round thirteen: such an action was no action, so every 3-D Secure purchase was an unreadable
 * answer (PROVIDER_UNAVAILABLE, kept as a lost answer) and the shopper could never pay. Text
 * that holds no object is left as it is (no action, as before).
 */
function objectOfJsonText(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*\{/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}
export type PaywayAction = z.infer<typeof PaywayAction>;

const KNOWN_STATUS_WORDS: readonly string[] = ['complete', 'pending', 'action_required'];

/**
 * An id of `complete` (the seed writes strings); a whole number is the same id, anything else none.
 * Round twenty-four: text spelling "no value" (`"null"`, `"None"`: no-value-text.ts) is none too.
 * Found: a pending answer's `order_id: "null"` announced Payway's order as "null", so the
 * purchase's order_closed naming its real order matched nothing (an attempt announced as another
 * order takes no other order's events): acknowledged and parked, the purchase Payway charged
 * PENDING for good; a `receipt_id: "null"` was the completed purchase's receipt, so the next
 * purchase's order_closed under a reused reference whose receipt was also written "null" was
 * taken for that completed one's late event (the next one PENDING for good).
 */
const PaywayId = z
  .preprocess(withoutNoValueText, z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]).optional())
  .catch(undefined);

/**
 * A positive amount written as a JSON string of plain decimal digits (`"129.0"`, `"12900"`), kept
 * as its text so that it never passes through a float. Rails writes a BigDecimal (a price column)
 * as a string, `"129.0"`, and the seed shows no price at all. Round eleven: such a price was no
 * price, so the stated one was the total and, once complete, the captured amount, though Payway's
 * figure differed (149.00 recorded for a period Payway charges 129.00). Anything else (`"12,90"`,
 * `"free"`, `""`, zero) is no price, as before.
 */
const PaywayDecimalText = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/)
  .refine((text) => /[1-9]/.test(text), 'a positive amount');

/**
 * An amount as Adyen writes one (`{currency, value}`, value in minor units by Adyen's convention;
 * mapping.ts offeredTotal also reads major units). Where it is not one, it is none. The currency
 * may be ISO 4217's numeric code written as a number (round twenty-seven: currency-code.ts).
 */
const PaywayAmount = z.object({ currency: z.union([z.string(), z.number()]), value: z.union([z.number().positive(), PaywayDecimalText]) }).optional().catch(undefined);
export type PaywayAmount = NonNullable<z.infer<typeof PaywayAmount>>;

/**
 * The session an action goes on in. The seed's example is a placeholder ("session_reference"): a
 * whole number is that session, and is sent back as its digits.
 */
const PaywaySessionReference = blankAsAbsent(z.union([z.string(), z.number().int().nonnegative().transform(String)]));

/**
 * The three answers of place_order and perform_additional_action the seed shows, by `status`.
 * `complete` means the money was taken whatever else it carries: its `receipt_id` (only used to
 * fetch a receipt) and even its `order_id` are read where present, and a `complete` without them
 * is still a completed purchase, never an unreadable answer (which would tell the client
 * "unavailable" for a purchase that charged the shopper). An `action_required` without its
 * action cannot be continued, so it stays unreadable; one without `session_reference` is read
 * (perform_additional_action's answer may leave out the session it goes on in), and mapping.ts
 * continues it under the session it answers, or finds it unreadable when there is none.
 */
export const PaywayKnownPurchaseResult = z.discriminatedUnion('status', [
  // `amount` is none of the seed's answers' fields: Adyen's payment amount, where Payway passes
  // it through with Adyen's answer (as the seed's action object is Adyen's own). What Payway
  // charges, so the order's total where given (see index.ts placeAdyenOrder).
  z.object({ status: z.literal('complete'), receipt_id: PaywayId, order_id: PaywayId, message: PaywayMessage, amount: PaywayAmount }),
  // The seed's pending and action_required answers name no order; one that does (an extra field:
  // Payway has its order by then) names Payway's order, which its later event may name alone.
  z.object({
    status: z.literal('pending'),
    order_id: PaywayId,
    message: PaywayMessage,
    amount: PaywayAmount,
    // Not in the seed's pending answer: Adyen's own action where Adyen answered `Pending` with one
    // (Swish's QR code, an app's `await`), which a Payway relaying Adyen's result code passes on
    // as the action_required answer's is (mapping.ts: the shopper's step). Anything that is no
    // action is none: the plain pending answer the seed shows.
    action: PaywayAction.optional().catch(undefined),
    session_reference: PaywaySessionReference,
  }),
  z.object({
    status: z.literal('action_required'),
    action: PaywayAction,
    session_reference: PaywaySessionReference,
    order_id: PaywayId,
    message: PaywayMessage,
    amount: PaywayAmount,
  }),
]);

/**
 * Any other status word (CONTRACT §7: a word the gateway does not know). The purchase may exist
 * at Payway, so the answer is not an error: the order keeps its status and shows the word.
 */
export const PaywayUnknownPurchaseResult = z.object({
  status: z.string().refine((word) => !KNOWN_STATUS_WORDS.includes(word), 'a known status with its fields missing'),
  order_id: PaywayId,
  message: PaywayMessage,
  // As for the known words: what Payway charges for the purchase, whatever it became.
  amount: PaywayAmount,
});

export const PaywayPurchaseResult = z.union([PaywayKnownPurchaseResult, PaywayUnknownPurchaseResult]);
export type PaywayPurchaseResult = z.infer<typeof PaywayPurchaseResult>;
export type PaywayKnownPurchaseResult = z.infer<typeof PaywayKnownPurchaseResult>;
export type PaywayPurchaseStatus = PaywayKnownPurchaseResult['status'];

/**
 * A word of Payway's (a status, an event's name) in the seed's spelling, lower case with `_`
 * between its words, however it was written: `Complete`, `ACTION_REQUIRED`, `action required`,
 * `ActionRequired`, `order.closed`, `order-closed`.
 */
export function wordKey(word: string): string {
  return word
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s.\-_]+/g, '_');
}

/** A status word as the seed spells it (wordKey) when it is one of `known`; another word stays as it is (unknown to the gateway). */
export function canonicalWord(known: readonly string[], word: unknown): unknown {
  if (typeof word !== 'string') return word;
  const wanted = wordKey(word);
  return known.find((candidate) => candidate === wanted) ?? word;
}

export const PaywayPurchaseAnswer = z.object({
  item: z.preprocess(
    (item) => (item !== null && typeof item === 'object' && 'status' in item ? { ...item, status: canonicalWord(KNOWN_STATUS_WORDS, item.status) } : item),
    PaywayPurchaseResult,
  ),
});

/** Whether an answer is one of the three the seed shows (else its word is unknown to the gateway). */
export const isKnownPurchaseResult = (result: PaywayPurchaseResult): result is PaywayKnownPurchaseResult => KNOWN_STATUS_WORDS.includes(result.status);

/**
 * GET /external/api/v1/adyen/payment_methods?period_id&product_code&origin[&discount_code]
 * (CONTRACT §8; the seed does not show it). Read best effort and never required: Adyen's own
 * /paymentMethods answer has no price, so a Payway that answers in that shape (or not at all)
 * blocks nothing. Where it carries `amount` (ASSUMED: the period's price in minor units, after
 * the discount code, as the amount Payway asks Adyen with), that is Payway's own figure for the
 * order's total; otherwise the price the client states is (see mapping.ts totalOf).
 */
export const PaywayPaymentMethodsAnswer = z.object({
  item: z.object({
    // Minor units is ASSUMED (Adyen's convention); no seed says, so mapping.ts offeredTotal also
    // recognises the stated price written in major units.
    amount: PaywayAmount,
  }),
});
export type PaywayPaymentMethodsAnswer = z.infer<typeof PaywayPaymentMethodsAnswer>;

/**
 * Seed "Errors": HTTP 400-500; correlation_id only for third-party errors. `code` is what makes it
 * Payway's error (and what the client is given); the other parts may be null, empty or left out
 * (the gateway's message never echoes Payway's prose anyway).
 */
export const PaywayError = z.preprocess(
  (body) => withPspReference(withAdyenResult(firstErrorMessage(body))),
  z.object({
    code: z.union([z.string().trim().min(1), z.number().int().transform(String)]),
    // Text spelling "no value" (`"null"`: no-value-text.ts, round twenty-four) is no field: the
    // client was told `providerField: "null"`.
    field: z.preprocess(withoutNoValueText, z.string().nullish()).catch(undefined),
    message: z.string().nullish().catch(undefined),
    // The seed's example is a placeholder string; a Payway relaying Adyen's pspReference (long all
    // digits) may write it as a number. Round nine: a number was dropped as no string, so an Adyen
    // timeout relayed as a 5xx counted as a refusal that made nothing (refusals.ts outcomeUnknown)
    // and its retry with the same key placed the purchase again. A whole number is its digits.
    // Round twenty-four: text spelling "no value" (`"null"`, `"None"`: a Java or Python Payway
    // writing an error's unset correlation id) correlates nothing at Adyen, so it is none. Found:
    // every error so written was a third-party error, so a 500 of Payway's own left the payment's
    // outcome unknown (the retry with the same key PROVIDER_UNAVAILABLE for a day though nothing
    // was placed), and a 400 about a field counted as a purchase that reached Adyen, whose
    // payment_failure it might own: the next purchase under its reference was not failed by its
    // own failure (PENDING for a person). Adyen's pspReference, where given, stands in for it.
    correlation_id: z.preprocess(withoutNoValueText, z.union([z.string(), z.number().int().nonnegative().transform(String)]).nullish()).catch(undefined),
    /** Adyen's own result of the payment, where the troubleshooting data carries it (see adyenResultOf). */
    adyen_result: z.string().optional().catch(undefined),
  }),
);

/**
 * The error message an error body carries. The seed says "an error message will contain these
 * properties" and shows one message as the whole body; a Payway that refuses several fields at
 * once may list its messages (`{errors: [...]}`, or the list itself) or put the one under
 * `error`. The first message with a `code` is Payway's error then (the client gets one code and
 * field, as for the seed's body). Before, such a body was no Payway error at all: a refusal was
 * PROVIDER_UNAVAILABLE, and Adyen's refusal of a 3-D Secure result left the purchase waiting.
 */
function firstErrorMessage(body: unknown): unknown {
  const hasCode = (value: unknown): value is { code: unknown } => isPlainObject(value) && 'code' in value && value.code != null;
  if (hasCode(body)) return body;
  if (Array.isArray(body)) return body.find(hasCode) ?? body;
  if (!isPlainObject(body)) return body;
  const list = body.errors;
  if (Array.isArray(list)) {
    const message = list.find(hasCode);
    return message === undefined ? body : withResponseData(body, 'errors', message);
  }
  // Under `error`, or under `item` (round eight): the seed wraps every answer it shows in `item`,
  // and a Payway that wraps its errors alike sends `{item: {code, field, message, ...}}`. Before,
  // such a body was no Payway error: a refusal was PROVIDER_UNAVAILABLE (a call that reached
  // nothing), and Adyen's refusal of a 3-D Secure result (`payment_refused`) left the purchase
  // waiting for a step that could never be taken.
  for (const wrapper of ['error', 'item']) {
    const inner = body[wrapper];
    if (hasCode(inner)) return withResponseData(body, wrapper, inner);
  }
  return body;
}

/**
 * The message with what the response carries beside it: a response that wraps its message (or
 * lists several) may carry the parts that are the response's rather than a message's there, its
 * `correlation_id` and the troubleshooting data (Adyen's result), as in `{errors: [{code, field,
 * message}], correlation_id}`. The message's own parts win. Round nine: before, they were not
 * read, so an Adyen timeout relayed as a 5xx so written counted as a refusal that made nothing
 * (refusals.ts outcomeUnknown needs the correlation id) and its retry with the same key placed the
 * purchase a second time; and a 3-D Secure result Adyen refused so left the purchase waiting.
 */
function withResponseData(body: Record<string, unknown>, wrapper: string, message: Record<string, unknown>): Record<string, unknown> {
  const { [wrapper]: _message, ...beside } = body;
  return { ...beside, ...message };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The error message with Adyen's result of the payment (`adyen_result`) where its troubleshooting
 * data carries one. The seed: "Some error responses will add additional data for troubleshooting.
 * Third-party errors from Adyen for example", and names none of it; Adyen names a payment's
 * outcome `resultCode` (`Refused`, `Cancelled`, `ChallengeShopper`...). It is looked for beside
 * the error's properties (`result_code`, `resultCode`, any spelling) or one object down
 * (`details`, `additional_data`, `data`...), as a string; anything else is no result.
 */
function withAdyenResult(message: unknown): unknown {
  if (!isPlainObject(message)) return message;
  const { adyen_result: _ours, ...rest } = message;
  const result = adyenResultOf(rest);
  return result === undefined ? rest : { ...rest, adyen_result: result };
}

function adyenResultOf(message: Record<string, unknown>): string | undefined {
  return troubleshootingField(message, 'resultcode', (value) => (typeof value === 'string' && value.trim() !== '' ? value : undefined));
}

/**
 * A field of an error's troubleshooting data (`key` as fieldsByKey spells keys), as `read` takes
 * it: beside the error's properties, else one object down (`details`, `additional_data`...).
 */
function troubleshootingField<T>(message: Record<string, unknown>, key: string, read: (value: unknown) => T | undefined): T | undefined {
  const fieldIn = (object: Record<string, unknown>): T | undefined => read(fieldsByKey(Object.entries(object)).get(key));
  return fieldIn(message) ?? Object.values(message).filter(isPlainObject).map(fieldIn).find((found) => found !== undefined);
}

/**
 * The error message with Adyen's `pspReference` as its correlation id where it has none (absent,
 * null or blank). Adyen gives every payment request it received a pspReference, and the seed's
 * "additional data for troubleshooting" of a third-party error may carry it, under Adyen's own
 * name, beside the error's properties or one object down (as Adyen's result, above), rather than
 * (or with a null) `correlation_id`. It is what says the request reached Adyen. Round twelve:
 * before, such an error was a refusal that made nothing, so an Adyen timeout relayed as a 500
 * (outcome unknown) let the retry with the same idempotency key place the purchase a second time.
 * A string or a whole number (Adyen's older all-digit references), as correlation_id is read.
 */
function withPspReference(message: unknown): unknown {
  if (!isPlainObject(message) || hasCorrelationId(message.correlation_id)) return message;
  const reference = pspReferenceOf(message);
  return reference === undefined ? message : { ...message, correlation_id: reference };
}

const hasCorrelationId = (value: unknown): boolean => (typeof value === 'string' && value.trim() !== '' && !isNoValueText(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

function pspReferenceOf(message: Record<string, unknown>): string | number | undefined {
  return troubleshootingField(message, 'pspreference', (value) => {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  });
}
export type PaywayError = z.infer<typeof PaywayError>;

/**
 * The purchase events the gateway listens to; others are acknowledged and ignored. The seed names
 * `order_closed` "for instance" among "the events associated with a completed purchase", and
 * `payment_failure` among a failed one's; Payway's events overview lists `payment_success` ("at a
 * successful payment on an order") beside order_closed (which follows once the product is
 * provisioned). Round eight: payment_success was ignored, so a purchase whose order_closed never
 * came stayed PENDING though Payway had taken the money.
 */
export const PaywayPurchaseEventType = z.enum(['order_closed', 'payment_failure', 'payment_success']);
export type PaywayPurchaseEventType = z.infer<typeof PaywayPurchaseEventType>;

