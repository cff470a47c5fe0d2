import { headerText, type ResponseHeaders } from '../listing-headers.js';
import { idAfter } from '../location-id.js';

/**
 * The order a 2xx without a body names in its `Location` header (round fifteen). The seed shows no
 * output for Orders/Pay, and a REST service answering a POST that made something `201 Created`
 * names it there and may send nothing else: ASP.NET's `Created($"/api/orders/{id}", null)`, or
 * `CreatedAtAction` to Get order, whose path the seed writes `/api/orders/{orderId}`. Before, such an
 * answer was unreadable: the purchase Pei had made was looked for in the day's listing as a lost
 * answer's, and where the listing did not show it yet createOrder failed (PROVIDER_UNAVAILABLE)
 * while the buyer was charged. Only a path ending `/orders/<id>` with an id shaped like Pei's (as
 * wire.ts bareOrderId) names one; `/api/orders/pay` or any other location names none.
 */
export function locatedOrderId(headers: ResponseHeaders): string | undefined {
  const id = idAfter(headerText(headers, 'location'), 'orders');
  return id !== undefined && /^[A-Za-z0-9_-]{16,128}$/.test(id) ? id : undefined;
}
