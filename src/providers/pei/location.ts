import { headerText, type ResponseHeaders } from '../listing-headers.js';
import { idAfter } from '../location-id.js';
import { oneLocation } from '../redirects.js';
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
  // spanningSegments). A trailing one is read as round fifteen read it, a path's trailing slash;
  // locatedOrderIds says where it may be the id's own.
  const id = idAfter(headerText(headers, 'location'), 'orders', { spanningSegments: true });
  return id !== undefined && peiIdShaped(id) ? id : undefined;
}

/**
 * The ids a `Location` may name (round twenty-three): locatedOrderId's, and, where the path ends in
 * `/` after it, the same with that `/`. A base64 id ends in `/` once in 64, and written raw
 * (`Created($"/api/orders/{id}")`) it ends the path as a trailing slash does; nothing in the
 * header tells the two apart, so the client asks Pei which one it has (client.ts locatedOrder).
 * Before, the `/` was always a trailing slash: the id was misnamed, its read-back found nothing,
 * and an Orders/Pay answered so was CAPTURED on the answer alone under an id Pei does not have.
 */
export function locatedOrderIds(headers: ResponseHeaders): string[] {
  const id = locatedOrderId(headers);
  if (id === undefined) return [];
  const written = oneLocation(headerText(headers, 'location'));
  let endsInSlash = false;
  try {
    endsInSlash = written !== undefined && new URL(written, 'http://provider.invalid/').pathname.endsWith('/');
  } catch {
    endsInSlash = false;
  }
  return endsInSlash && peiIdShaped(`${id}/`) ? [id, `${id}/`] : [id];
}
