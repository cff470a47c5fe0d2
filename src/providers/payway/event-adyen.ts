import { fieldsByKey } from '../field-names.js';
import { adyenAmount } from './event-adyen-amount.js';
import { ADYEN_AMOUNT, FROM_ADYEN } from './event-shape.js';
import { wordKey } from './wire.js';

/**
 * Adyen's standard notification, as a Payway may pass it on to the merchant as it came: `{live,
 * notificationItems: [{NotificationRequestItem: {eventCode, success, merchantReference,
 * pspReference, amount, reason}}]}`. The seed says only that for a pending payment "Payway will
 * receive a callback when it is" (Adyen's, to Payway) and that the events of the purchase's end
 * are triggered; it shows no event. A Payway relaying Adyen's callback names the purchase by
 * Adyen's merchantReference, which is the merchant_reference it was placed under (the parameter
 * is named for it), or (round fifteen, webhook.ts adyensOrderOf) by Payway's own order id, or
 * by the first 80 characters of a longer reference (all Adyen keeps). Round fourteen: such a
 * notification named no event the gateway knew, nor anything in a list it reads, so it was 400
 * on every delivery and the purchase Adyen authorised (and Payway charged) stayed PENDING for
 * good; one Adyen refused as well.
 *
 * Each item becomes the Payway event it means, in the shape event-shape.ts reads:
 * - AUTHORISATION with success "true": the payment succeeded, `payment_success` (the seed's
 *   `complete` is "The payment was successfully authorised", which the gateway takes as CAPTURED;
 *   one key with order_closed, so either after the other changes nothing);
 * - AUTHORISATION with success "false": Adyen refused it, `payment_failure`;
 * - OFFER_CLOSED with success "true": Adyen closed a pending payment's offer unpaid (the shopper
 *   never finished in the other app), `payment_failure`;
 * - anything else (a report, a capture, a refund, an offer Adyen could not close) keeps its
 *   eventCode as its name: another event, acknowledged and ignored, as Payway's other events are.
 * Adyen's pspReference is Adyen's, not Payway's order: it is not read as one.
 */
export function adyenNotificationEvents(json: unknown): unknown[] | undefined {
  if (!isObject(json)) return undefined;
  const items = fieldsByKey(Object.entries(json)).get('notificationitems');
  if (Array.isArray(items) && items.length > 0) return items.map((entry) => (isObject(entry) ? paywayEventOf(itemOf(entry)) : entry));
  // One item alone: wrapped (`{NotificationRequestItem: {...}}`), or its fields flat, as Adyen's
  // HTTP POST notifications post them as a form (`eventCode=AUTHORISATION&success=true&...`).
  const item = itemOf(json);
  return isAdyenItem(item) ? [paywayEventOf(item)] : undefined;
}

/** The NotificationRequestItem an entry wraps, or the entry itself. */
function itemOf(entry: Record<string, unknown>): Record<string, unknown> {
  const inner = fieldsByKey(Object.entries(entry)).get('notificationrequestitem');
  return isObject(inner) ? inner : entry;
}

/**
 * Whether an object is Adyen's notification item: its `eventCode` and `success` (both Adyen's
 * names, which no Payway event is shown to carry), and no event named the way Payway's are.
 */
function isAdyenItem(item: Record<string, unknown>): boolean {
  const fields = fieldsByKey(Object.entries(item));
  return typeof fields.get('eventcode') === 'string' && fields.has('success') && !['event', 'eventtype', 'eventname', 'topic'].some((key) => fields.has(key));
}

function paywayEventOf(item: Record<string, unknown>): Record<string, unknown> {
  const fields = fieldsByKey(Object.entries(item));
  const code = fields.get('eventcode');
  const succeeded = successOf(fields.get('success'));
  const reason = fields.get('reason');
  // Signed by Adyen's HMAC (event-adyen-hmac.ts) as much as the reference is; mapping.ts tells the
  // order where it is not what the order records as captured (round sixteen).
  const amount = adyenAmount(fields.get('amount'), { value: fields.get('value'), currency: fields.get('currency') });
  return {
    [FROM_ADYEN]: true,
    ...(amount ? { [ADYEN_AMOUNT]: amount } : {}),
    event: typeof code === 'string' ? eventName(wordKey(code), succeeded) : 'adyen_notification',
    ...(fields.has('merchantreference') ? { merchant_reference: fields.get('merchantreference') } : {}),
    ...(typeof reason === 'string' && reason.trim() !== '' ? { message: reason } : {}),
  };
}

function eventName(code: string, succeeded: boolean | undefined): string {
  if (code === 'authorisation' && succeeded !== undefined) return succeeded ? 'payment_success' : 'payment_failure';
  if (code === 'offer_closed' && succeeded === true) return 'payment_failure';
  return `adyen_${code}`;
}

/** Adyen writes `success` as the string "true" or "false"; a boolean is the same. Else unknown. */
function successOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
