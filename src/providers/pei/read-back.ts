import { GatewayError } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import { readPastLag } from '../read-lag.js';
import type { PeiClient } from './client.js';
import { sentExpiryOf } from './mapping.js';
import { listedOrderId as listedOrderIdOf } from './listing-shape.js';
import type { PeiOrder } from './order-shape.js';

/**
 * The days of Pei's listing an order of the gateway's may be filed under: the day it was made and
 * the day of the ExpirationDate it was submitted with (the seed's "all orders on a specific date"
 * does not say which date), each also as the date of a server in another zone (a .NET Pei filing
 * by its own DateTime.Now.Date files an order made at 02:00 UTC under the day before when it runs
 * five hours behind, as lost-answer.ts's search already asks), none after today. Round seven:
 * before, only the UTC days were asked, and at a Pei without Get order an order the buyer paid,
 * filed under the day before, was "on no listing", so EXPIRED (final) while Pei held its purchase.
 * Near midnight one or two listing calls more, and only for an order past its expiry that Pei's
 * read does not show.
 */
export function listingDaysOf(order: Order, now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const instants = [new Date(order.createdAt), sentExpiryOf(order)].flatMap((at) => (at && !Number.isNaN(at.getTime()) ? [at.getTime()] : []));
  const days = [...instants, ...instants.flatMap((at) => [at - MAX_ZONE_OFFSET_MS, at + MAX_ZONE_OFFSET_MS])].map((at) => new Date(at).toISOString().slice(0, 10));
  return [...new Set(days)].filter((day) => day <= today).sort();
}

/** The furthest a zone is from UTC (Kiribati, +14 h; Baker Island, -12 h). */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/**
 * A Pei order found in the merchant's listing of `days`, for when its own read does not show it:
 * the order, null when every day was listed and it is on none, undefined when that cannot be said
 * (a day Pei refused to list). A listing that fails otherwise fails the call (PROVIDER_UNAVAILABLE).
 * `knownTotal`: the total the gateway submitted it with (round twenty-four, client.ts listingOn).
 */
export async function findListed(client: PeiClient, merchantId: number, orderId: string, days: string[], knownTotal?: number): Promise<PeiOrder | null | undefined> {
  if (days.length === 0) return undefined;
  let unsure = false;
  // Round twenty-four: its entry read beside the total the order was submitted with, as its own read is (an Amount `5.000`).
  const totalOf = async (listed: string) => (knownTotal !== undefined && listed === orderId ? knownTotal : undefined);
  for (const day of days) {
    const listing = await client.listingOn(merchantId, day, totalOf).catch((error: unknown) => {
      if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return undefined;
      throw error;
    });
    if (listing === undefined) {
      unsure = true;
      continue;
    }
    const found = listing.orders.find((order) => order.orderId === orderId);
    if (found) return found;
    // One page of more (round six): the order may be on another page.
    if (listing.partial) unsure = true;
    // An entry naming the order that cannot be read is not "not there".
    if (listing.unreadable.some((entry) => listedOrderIdOf(entry) === orderId)) unsure = true;
  }
  return unsure ? undefined : null;
}

/**
 * How long a read of an order Pei has only just made (or posted back for) waits, one wait before
 * each try again, while Pei's read does not show it: a read may lag the write (a replica a few
 * hundred ms behind). 1.75 s at most; a Pei without Get order (404 for every id) costs that much.
 */
export const READ_LAG_WAITS_MS = [250, 500, 1000];

/**
 * `GET /api/orders/{id}` of an order Pei should show by now, asked again (READ_LAG_WAITS_MS) while
 * it answers that it does not (404, 410, 400, nothing): null only once every try said so. A failure
 * or a refusal (403, 405) is thrown at once: it is no lag.
 */
export function readWhileUnshown(client: PeiClient, orderId: string, knownTotal?: number): Promise<PeiOrder | null> {
  return readPastLag(() => client.getOrder(orderId, knownTotal), (order) => order === null, READ_LAG_WAITS_MS);
}
