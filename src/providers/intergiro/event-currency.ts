import { currencyCodeOf } from './currency-codes.js';

/*
 * Round twenty-nine: an event's amount written in a currency other than its order's. Pure.
 *
 * The seed shows no event, and quotes a payment's "currency": "<Currency of payment>" beside the
 * order's "<Currency of order>": two fields, so a payment (and its events) may be in another
 * currency than the order (dynamic currency conversion, the currency Intergiro settles in). An
 * Intergiro writing each event's `items` in SEK, named in the event's own `currency`, on a EUR
 * order: read as EUR, a charge of 219.40 SEK was 219.40 EUR captured (more than the order's 20.00),
 * a capture of 12.00 EUR (131.64 SEK) showed the whole order captured, and a refund of 5.00 EUR
 * (54.85 SEK) showed all of it refunded (REFUNDED, final, 15.00 still refundable at Intergiro).
 */

/**
 * The order's JSON with each event whose own `currency` is not the order's (or is not readable as
 * a currency) kept without its amount: the event still says what happened, and is read as round
 * seven's events without amounts are (amounts.ts movedAmounts: never more than the gateway's own
 * figures). No rate is known, so nothing is converted: a figure in another currency is not the
 * order's amount, it is none. An event without `currency`, or with the order's, is as written; so
 * is an order whose own `currency` cannot be read (it is unreadable as it stands).
 */
export function foreignEventAmountsDropped(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  const order = json as Record<string, unknown>;
  const own = currencyCodeOf(order['currency']);
  if (own === undefined) return json;
  const kept = (event: unknown): unknown => {
    if (!event || typeof event !== 'object' || Array.isArray(event)) return event;
    const { currency, items: _foreign, ...rest } = event as Record<string, unknown>;
    if (currency === undefined || currency === null || currencyCodeOf(currency) === own) return event;
    return { ...rest, currency };
  };
  const events = order['event'];
  if (Array.isArray(events)) return { ...order, event: events.map(kept) };
  // Round six: one event written unwrapped.
  return events && typeof events === 'object' ? { ...order, event: kept(events) } : json;
}
