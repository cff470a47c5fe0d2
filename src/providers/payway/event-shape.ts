import type { Money } from '../../domain/money.js';
import { fieldsByKey } from '../field-names.js';
import { isNoValueText } from '../no-value-text.js';
import { PaywayPurchaseEventType, wordKey } from './wire.js';

/**
 * What a Payway purchase event says, read from whatever shape it comes in. The seed shows no
 * event at all (only that a pending purchase's end triggers "the events associated with" it, for
 * instance `order_closed`); the sandbox sends the shape of Payway's events overview,
 * `{event, timestamp, payload: {order: {id, merchant_reference}, receipt: {id}, payment: {message}}}`.
 * Another Payway may name the same things differently, so each is looked for where an event
 * commonly carries it, and an event is refused only when it names neither an order nor the
 * purchase's merchant reference (a failed payment may have made no Payway order to name; the
 * reference the gateway sent is then the only link, as it is for the pending answer):
 *
 * - field names in any spelling (fieldKey: `order_id`, `orderId`, `OrderId`);
 * - the event's name: `event`, `type`, `event_type`, `event_name`, `name` or `topic`, its words
 *   written any way (wordKey: `order.closed`, `OrderClosed`, `PAYMENT_FAILURE`), beside what it
 *   is about or inside it (see eventOf), or as the `type` / `name` of an `event` object
 *   (`{event: {type: "order_closed", id}, payload}`); a purchase event named inside wins over a
 *   bare outer `type` / `name` that names none (the delivery's or the sender's); never from a
 *   header, which a body signature does not cover (a captured payment_failure must not be
 *   replayed as order_closed);
 * - what it is about: `payload`, `data`, `object` or `item` (in any spelling, as every field
 *   here: `Payload`), or one of them inside another (`data.object`), else the event itself;
 * - an event without a name may post the purchase's result as place_order answers it (its
 *   `status` word: see eventOfResult);
 * - the order: an `order` object there (its `order_id` / `orderId`, else its `id`) or `order` as
 *   the id itself, else that object's
 *   own `order_id` / `orderId` (never a bare `id` beside the event's name: that is the event's
 *   own id), else the `order_id` of its `payment`, `receipt` or `purchase`; an id written as a
 *   number is the same id;
 * - the purchase's merchant reference: `merchant_reference` / `merchantReference` of the order,
 *   else of what the event is about, else of its `payment`, `receipt` or `purchase` (a whole
 *   number is its digits);
 * - the receipt: `receipt.id`, else `receipt_id` / `receiptId`; the payment's message:
 *   `payment.message`, else `message`.
 */
export interface PaywayPurchaseEvent {
  event: PaywayPurchaseEventType;
  /** An item of Adyen's own notification (event-adyen.ts): it names the reference only, for every payment under it. */
  fromAdyen?: boolean;
  /**
   * What Adyen's notification item says it authorised (its signed `amount`, value in minor units
   * by Adyen's convention), where the event is one (event-adyen.ts ADYEN_AMOUNT). Payway's own
   * events carry no price.
   */
  adyenAmount?: Money;
  /** Absent when the event names only the purchase's merchant reference. */
  paywayOrderId?: string;
  merchantReference?: string;
  receiptId?: string;
  message?: string;
}

/** The purchase event `json` is; `other` for an event about something else; `unreadable` when it names no event, or neither an order nor a merchant reference. */
export function purchaseEventOf(json: unknown): PaywayPurchaseEvent | 'other' | 'unreadable' {
  if (!isObject(json)) return 'unreadable';
  const outer = objectAt(json, WRAPPERS);
  // One wrapper inside another (Stripe's `{type, data: {object: {...}}}`) when the outer one
  // names no purchase itself; before, such an event was 400 on every delivery.
  const about = (outer && !namesPurchase(outer) && objectAt(outer, WRAPPERS)) || outer || json;
  const event = eventOf(json, about);
  if (event === 'unreadable' || event === 'other') return event;
  const order = objectAt(about, ['order']);
  // `order` may be the order's id itself rather than an object. Inside it, `order_id` (the name
  // place_order's answer gives Payway's order id) comes before the object's own `id`: a Payway
  // that serialises its order record may carry the record's id (an ObjectId, like the receipt's)
  // beside the order_id. Before, that id was taken for the order: a completed purchase's
  // order_closed, naming an id its answer never gave, was taken under a reused reference for the
  // purchase still waiting there (CAPTURED, with no money moved for it).
  // The purchase's other parts (its payment, receipt, or the purchase itself) may carry what the
  // order does not (see PURCHASE_PARTS); what the order or the event itself says comes first.
  const parts = PURCHASE_PARTS.map((key) => objectAt(about, [key])).filter((part): part is Record<string, unknown> => part !== undefined);
  const inParts = (keys: string[]): string | undefined => parts.map((part) => firstId(part, keys)).find((id) => id !== undefined);
  const paywayOrderId = paywaysId((order ? firstId(order, ['orderid', 'id']) : firstId(about, ['order'])) ?? firstId(about, ['orderid']) ?? inParts(['orderid']));
  // Read as an id (a whole number is its digits): the seed types merchant_reference a String, but
  // shows no event, and a Payway may keep a shop's order number ("100234") as a number. Round
  // nine: before, such a reference was none, so an event naming only it was 400 on every delivery
  // and one naming an order the gateway never heard of was dropped (the purchase PENDING for good).
  const merchantReference = (order && firstId(order, REFERENCE_NAMES)) ?? firstId(about, REFERENCE_NAMES) ?? inParts(REFERENCE_NAMES);
  if (paywayOrderId === undefined && merchantReference === undefined) return 'unreadable';
  const receipt = objectAt(about, ['receipt']);
  const payment = objectAt(about, ['payment']);
  const receiptId = paywaysId((receipt ? firstId(receipt, ['id']) : firstId(about, ['receipt'])) ?? firstId(about, ['receiptid']));
  const message = (payment && firstString(payment, ['message'])) ?? firstString(about, ['message']);
  return {
    event,
    ...((json as { [FROM_ADYEN]?: unknown })[FROM_ADYEN] === true ? { fromAdyen: true } : {}),
    ...adyenAmountOf(json),
    ...(paywayOrderId !== undefined ? { paywayOrderId } : {}),
    ...(merchantReference ? { merchantReference } : {}),
    ...(receiptId ? { receiptId } : {}),
    ...(message ? { message } : {}),
  };
}

/**
 * Marks an event made from an item of Adyen's notification (event-adyen.ts). A symbol, so no
 * delivered JSON can carry it, and no reader of fields sees it.
 */
export const FROM_ADYEN = Symbol('an item of Adyen\'s notification');

/** The amount an item of Adyen's notification carries (event-adyen.ts), beside FROM_ADYEN; a symbol for the same reason. */
export const ADYEN_AMOUNT = Symbol('the amount an item of Adyen\'s notification carries');

function adyenAmountOf(json: Record<string, unknown>): { adyenAmount?: Money } {
  const amount = (json as { [ADYEN_AMOUNT]?: unknown })[ADYEN_AMOUNT];
  return amount !== undefined ? { adyenAmount: amount as Money } : {};
}

const REFERENCE_NAMES = ['merchantreference'];
/**
 * Objects beside the order that may carry the purchase's merchant reference and Payway's order
 * (`order_id` only: their own `id` is the payment's, the receipt's, the purchase's). Adyen's
 * merchantReference is the payment's, and a failed payment may have made no order to carry it.
 * Round ten: an event carrying the reference on its `payment` or `receipt` (or under `purchase`)
 * was not matched by it: a pending purchase's order_closed naming an order its answer never gave
 * was acknowledged and parked (the purchase Payway charged PENDING for good), and a
 * payment_failure naming only its payment was 400 on every delivery.
 */
const PURCHASE_PARTS = ['payment', 'receipt', 'purchase'];
/** What an event wraps the purchase in (fieldKey spellings). */
const WRAPPERS = ['payload', 'data', 'object', 'item'];

/** Whether `object` itself names a purchase: its order, its merchant reference or its result. */
function namesPurchase(object: Record<string, unknown>): boolean {
  return objectAt(object, ['order']) !== undefined || firstId(object, ['order', 'orderid', ...REFERENCE_NAMES]) !== undefined || firstString(object, RESULT_KEYS) !== undefined;
}
const NAME_KEYS = ['event', 'type', 'eventtype', 'eventname', 'name', 'topic'];
const EVENT_ONLY_KEYS = ['event', 'eventtype', 'eventname', 'topic'];

/**
 * The event `json` is: named beside what it is about (`{event, payload}`), else named inside it
 * (`{item: {event: "order_closed", order_id, merchant_reference}}`, the seed's own wrapper of
 * every answer; `{data: {type: "order_closed", ...}}`), else posting a result (eventOfResult).
 * Inside, `type` or `name` may as well be the purchase's own (a product type, a person's name),
 * so a name there counts only when it is a purchase event's; otherwise the result is read, and
 * without one an `event` / `event_type` / `topic` inside names another of Payway's events
 * (acknowledged, ignored). Before, a name inside the wrapper
 * was never looked for: the event was 400 for every delivery and its purchase stayed PENDING.
 */
function eventOf(json: Record<string, unknown>, about: Record<string, unknown>): PaywayPurchaseEventType | 'other' | 'unreadable' {
  // `event` / `event_type` / `event_name` / `topic` can only name the event; a bare `type` or
  // `name` beside them may be something else's (`{type: "webhook", event_type: "order_closed"}`).
  // The name may also sit in an `event` object of its own (`{event: {type: "order_closed", id},
  // payload}`): before, such an event named nothing and was 400 on every delivery.
  const explicit = firstString(json, EVENT_ONLY_KEYS) ?? nameOfEventObject(json);
  if (explicit !== undefined) return eventNamed(explicit);
  const inner = NAME_KEYS.map((key) => firstString(about, [key])).filter((word): word is string => word !== undefined);
  const namedInside = about === json ? undefined : inner.map(eventNamed).find((event) => event !== 'other');
  const loose = firstString(json, ['type', 'name']);
  if (loose !== undefined) {
    // A bare `type` / `name` beside the wrapper may be the delivery's or the sender's
    // (`{type: "webhook", data: {event: "order_closed", ...}}`): a purchase event named inside
    // is the event then. Before, the outer word won, and the purchase event was acknowledged and
    // ignored (its purchase PENDING for good). A purchase event's name outside still wins.
    const named = eventNamed(loose);
    return named === 'other' && namedInside ? namedInside : named;
  }
  if (about === json) return eventOfResult(about);
  if (namedInside) return namedInside;
  const result = eventOfResult(about);
  // `event`, `event_type`, `topic` inside can only name an event: another one of Payway's.
  return result === 'unreadable' && firstString(about, EVENT_ONLY_KEYS) !== undefined ? 'other' : result;
}

/** The name an `event` object carries (`{event: {type: "order_closed", id}}`), if the event is one. */
function nameOfEventObject(json: Record<string, unknown>): string | undefined {
  const event = objectAt(json, ['event']);
  return event ? firstString(event, NAME_KEYS) : undefined;
}

/** A purchase event by its name (order_closed, payment_success, payment_failure); `other` for another Payway event (account_changed, ...). */
function eventNamed(name: string): PaywayPurchaseEventType | 'other' {
  const event = PaywayPurchaseEventType.safeParse(wordKey(name));
  return event.success ? event.data : 'other';
}

/**
 * An event that names no event but posts the purchase's result the way place_order answers it
 * (`{item: {status: "complete", order_id, receipt_id, message}}`): the seed says only that
 * "Payway will receive a callback" when a pending payment's result is known. `complete` (or
 * `completed`, `closed`) is the purchase closed; `failed` (`failure`, `refused`, `declined`) its
 * payment failed; another word (`pending`, `action_required`) is no end of the purchase.
 *
 * The callback Payway receives is Adyen's, and a Payway may post that result on as Adyen wrote it:
 * Adyen's `resultCode` (its /payments/details answer: `{merchantReference, pspReference,
 * resultCode: "Authorised"}`), or Adyen's word as the `status` (round thirteen's reading of the
 * seed's pending as Adyen's `Pending`, relayed). `Authorised` is the payment taken (the seed's
 * `complete` is "successfully authorised", which the gateway takes as CAPTURED), `Refused` and
 * `Cancelled` (the shopper cancelled in the other app) its end unpaid. Round fourteen: before,
 * `resultCode` was not read (the event was 400 on every delivery) and `status: "Authorised"`
 * was another word (acknowledged and dropped): the purchase Payway charged stayed PENDING for
 * good. Adyen's `Pending`, `Received` and `Error` (a processing error the shopper may retry, as
 * refusals.ts reads it) end nothing.
 */
function eventOfResult(about: Record<string, unknown>): PaywayPurchaseEventType | 'other' | 'unreadable' {
  const status = firstString(about, RESULT_KEYS);
  if (status === undefined) return 'unreadable';
  const word = wordKey(status);
  if (['complete', 'completed', 'closed', 'order_closed', 'authorised', 'authorized'].includes(word)) return 'order_closed';
  if (['failed', 'failure', 'refused', 'declined', 'payment_failure', 'cancelled', 'canceled'].includes(word)) return 'payment_failure';
  return 'other';
}

/** Where a posted result's word is: Payway's `status`, else Adyen's `resultCode` (fieldKey spellings). */
const RESULT_KEYS = ['status', 'resultcode'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first of the fields `keys` (fieldKey spellings: `Payload`, `ORDER`) that is an object. */
function objectAt(object: Record<string, unknown>, keys: string[]): Record<string, unknown> | undefined {
  const fields = fieldsByKey(Object.entries(object));
  return keys.map((key) => fields.get(key)).find(isObject);
}

/** The first of the fields `keys` (fieldKey spellings) that is a non-blank string. */
function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  const fields = fieldsByKey(Object.entries(object));
  for (const key of keys) {
    const value = fields.get(key);
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/**
 * One of Payway's own ids (its order, its receipt) as an event writes it: none where the text
 * spells "no value" (`"null"`, `"None"`: no-value-text.ts, round twenty-four), as a place_order
 * answer's is. Found: a pending purchase's event writing `receipt_id: "null"` beside its
 * reference, under a reference whose earlier purchase completed with a receipt so written, was
 * taken for that completed purchase's late event (PENDING for good though Payway charged it).
 * Never for a merchant reference: that is the client's own text.
 */
const paywaysId = (id: string | undefined): string | undefined => (isNoValueText(id) ? undefined : id);

/** Likewise, an id: a non-blank string or a whole number, as its string. */
function firstId(object: Record<string, unknown>, keys: string[]): string | undefined {
  const fields = fieldsByKey(Object.entries(object));
  for (const key of keys) {
    const value = fields.get(key);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}
