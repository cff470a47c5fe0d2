import { fieldsByKey } from '../field-names.js';
import { adyenNotificationEvents } from './event-adyen.js';
import { purchaseEventOf } from './event-shape.js';

/**
 * The events one delivery carries. No document shows a Payway event, let alone a delivery of
 * several: a batch may be the JSON array itself, or a list under a key, the way Payway's API
 * answers a list (the seed wraps one answer in `item`; a list comes as `items`, often with a
 * `meta` beside it) or a sender names its batch (`events`, `data`, `notifications`). Round
 * twelve: such a list was read as one event naming nothing, so the delivery was 400 on every try
 * and each purchase in it stayed PENDING though Payway had closed or failed it.
 *
 * A list is the batch only when the object holding it is no purchase event itself (an event may
 * carry a list of its own, its order lines) and it holds one such list; an object that names
 * another Payway event (`{type: "batch", events: [...]}`) is a batch only when a purchase event is
 * in its list, so that an event of another kind carrying a list is still acknowledged and ignored.
 */
export function deliveredEvents(json: unknown): unknown[] {
  if (Array.isArray(json)) return json.length > 0 ? json : [json];
  // Adyen's notification passed on as it came (round fourteen): its items, as Payway's events.
  const adyen = adyenNotificationEvents(json);
  if (adyen) return adyen;
  const list = listIn(json);
  if (!list) return [json];
  const itself = purchaseEventOf(json);
  if (itself === 'unreadable') return list;
  if (itself === 'other' && list.some(isPurchaseEvent)) return list;
  return [json];
}

/** Keys a list of events may come under (fieldKey spellings: `Items`, `EVENTS`). */
const LIST_KEYS = ['items', 'events', 'data', 'notifications'];

/** The one non-empty list of objects under LIST_KEYS, or undefined (none, or several). */
function listIn(json: unknown): unknown[] | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const fields = fieldsByKey(Object.entries(json));
  const lists = LIST_KEYS.map((key) => fields.get(key)).filter((value): value is unknown[] => Array.isArray(value) && value.length > 0 && value.every(isObject));
  return lists.length === 1 ? lists[0] : undefined;
}

const isObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);

function isPurchaseEvent(value: unknown): boolean {
  const read = purchaseEventOf(value);
  return read !== 'unreadable' && read !== 'other';
}
