import { GatewayError } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { PeiClient } from './client.js';
import { sentExpiryOf } from './mapping.js';
import { listedOrderId as listedOrderIdOf, type PeiOrder } from './wire.js';

/**
 * The days of Pei's listing an order of the gateway's may be filed under: the day it was made and
 * the day of the ExpirationDate it was submitted with (the seed's "all orders on a specific date"
 * does not say which date), none after today.
 */
export function listingDaysOf(order: Order, now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const days = [new Date(order.createdAt), sentExpiryOf(order)].flatMap((at) => (at && !Number.isNaN(at.getTime()) ? [at.toISOString().slice(0, 10)] : []));
  return [...new Set(days)].filter((day) => day <= today);
}

/**
 * A Pei order found in the merchant's listing of `days`, for when its own read does not show it:
 * the order, null when every day was listed and it is on none, undefined when that cannot be said
 * (a day Pei refused to list). A listing that fails otherwise fails the call (PROVIDER_UNAVAILABLE).
 */
export async function findListed(client: PeiClient, merchantId: number, orderId: string, days: string[]): Promise<PeiOrder | null | undefined> {
  if (days.length === 0) return undefined;
  let unsure = false;
  for (const day of days) {
    const listing = await client.listingOn(merchantId, day).catch((error: unknown) => {
      if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return undefined;
      throw error;
    });
    if (listing === undefined) {
      unsure = true;
      continue;
    }
    const found = listing.orders.find((order) => order.orderId === orderId);
    if (found) return found;
    // An entry naming the order that cannot be read is not "not there".
    if (listing.unreadable.some((entry) => listedOrderIdOf(entry) === orderId)) unsure = true;
  }
  return unsure ? undefined : null;
}
