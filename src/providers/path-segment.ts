import { badInput } from '../domain/errors.js';

/**
 * An id as one segment of a provider's REST path (`/api/orders/<id>`). encodeURIComponent escapes
 * `/`, `?`, `#` and `%`, but not `.`: an id that is `.` or `..` stays a dot-segment, which every
 * URL parser on the way (undici's, a proxy's, the provider's framework) resolves, so
 * `/api/orders/..` asked Pei for `/api/` and `/v1/transactions/.` asked Dintero for its
 * transaction listing, with the gateway's credentials. Escaping the dots does not help: `%2e` is a
 * dot-segment too (WHATWG URL). An empty id would ask for the collection itself.
 *
 * No provider issues such an id; one comes from an unsigned callback (a Pei postback's `orderId`,
 * a Dintero callback's `transaction_id`), so it is refused as bad input (a webhook's 400) before
 * any call is made.
 */
export function pathSegment(id: string, field: string): string {
  if (id === '' || id === '.' || id === '..') throw badInput(field, `${field} is not an id`);
  return encodeURIComponent(id);
}
