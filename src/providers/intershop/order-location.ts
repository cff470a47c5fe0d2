import { idAfter } from '../location-id.js';

/**
 * The ICM order id a `Location` header names, or undefined when it names no order.
 *
 * Seed §2.2 shows the POST /orders answer carrying the order; an ICM may answer instead with the
 * order's address alone: `201 Created` with `Location` (REST's create answer, a JAX-RS
 * `Response.created(uri)`: round twelve) or `303 See Other` (POST/Redirect/GET). The address is
 * `.../orders/<id>` (the seed's `links.self`), but its host and prefix may be ICM's own rather than
 * the address the gateway calls (`http://jrwilms01:10080/INTERSHOP/rest/...` in the seed), so only
 * the id is taken from it: the order is read at INTERSHOP_URL, never at a host an answer names.
 * Anything else (no `orders` segment before a last one, a query-only or empty value, more than one
 * `Location`) names nothing, and the caller finds the order as it did before (ICM's list).
 */
export function orderIdAt(location: string): string | undefined {
  const id = idAfter(location, 'orders');
  // ICM ids are opaque, their alphabet not shown (round twenty-one): the id is one segment of the
  // address, decoded, so a `/`, `?`, `#`, `%` or space in it came percent-encoded and is the id's
  // own; the order is read with it encoded again (../path-segment.ts). Only what no id holds (a
  // control character, a line break) names nothing. Before, an id with `/` or a space was no id,
  // and a create answered 201 or 303 at an ICM without a list stayed PROVIDER_UNAVAILABLE while
  // ICM held the order and, paid without a redirect, its money.
  return id !== undefined && !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(id) ? id : undefined;
}
