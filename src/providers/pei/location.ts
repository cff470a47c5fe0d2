import { headerText, type ResponseHeaders } from '../listing-headers.js';
import { idAfter } from '../location-id.js';
import { peiIdShaped } from './order-id-shape.js';

/**
 * The order a 2xx without a body names in its `Location` header (round fifteen). The seed shows no
 * output for Orders/Pay, and a REST service answering a POST that made something `201 Created`
 * names it there and may send nothing else: ASP.NET's `Created($"/api/orders/{id}", null)`, or
 * `CreatedAtAction` to Get order, whose path the seed writes `/api/orders/{orderId}`. Before, such an
 * answer was unreadable: the purchase Pei had made was looked for in the day's listing as a lost
 * answer's, and where the listing did not show it yet createOrder failed (PROVIDER_UNAVAILABLE)
 * while the buyer was charged. Only a path ending `/orders/<id>` with an id shaped like Pei's
 * (order-id-shape.ts) names one; `/api/orders/pay` or any other location names none.
 *
 * Round twenty-one: ids in base64's alphabet (`+`, `/`, `=`). `CreatedAtAction` encodes the id's
 * `/` (`%2F`: one segment, read by idAfter); `Created($"/api/orders/{id}")` interpolates it raw, so
 * the id runs over two or more segments. Such a Location names the order by all that follows its
 * first `/orders/` (idAfter's spanningSegments). The seed has no path under an order, and what is taken here is
 * read back from Pei before it is believed (a read of another id is no answer).
 */
export function locatedOrderId(headers: ResponseHeaders): string | undefined {
  // A `/` written raw between characters after `/orders/` is the id's own (idAfter's
  // spanningSegments). A trailing one is read as round fifteen read it, a path's trailing slash (so
  // an id ending in `/`, one base64 id in 64, is misnamed there: its read-back finds nothing,
  // README Known limitations).
  const id = idAfter(headerText(headers, 'location'), 'orders', { spanningSegments: true });
  return id !== undefined && peiIdShaped(id) ? id : undefined;
}
