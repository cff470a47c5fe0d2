import type { ProviderListFilter } from '../../domain/provider-port.js';
import { readChainLeft } from './chain.js';
import { withoutChain } from './chain-left.js';
import type { IntershopListedOrders } from './client.js';
import { icmInstant } from './dates.js';
import { includedFor, sharedPaymentIds } from './list-included.js';
import { includedPayments, listedObservation, totalsOf } from './mapping.js';
import { IntershopListedOrderData } from './wire.js';

/*
 * Whether the list's entries read so far already give a listing (list-orders.ts) at least
 * `filter.examined` orders. Pure.
 *
 * The gateway looks at the first `examined` entries of a provider's listing and no more
 * (src/domain/orders/list-orders.ts EXAMINE_PER_QUERY), in the order they come, and ICM's list
 * (§2.3) grows by every order the shop makes through the gateway. Before (round twenty-six's
 * it.fails), a listing without `from` read the whole list and failed past 200 pages
 * (PROVIDER_UNAVAILABLE: `orders` for INTERSHOP failed as a whole). Pages read later only add
 * entries after those read, so once the entries read give `examined` listed orders, the rest would
 * never be looked at: the walk may stop there, leaving out nothing the gateway would show.
 *
 * Only entries certain to be listed count, so the count never runs ahead of the listing: one with a
 * readable date in the filter's days, read from the list itself (not read one by one, not
 * stripped of a payment id another entry names: list-included.ts), whose state and total the list
 * alone says (mapping.ts; one whose total needs the payments resource may still fail). Anything
 * uncertain is not counted, so the walk reads on.
 */
export function listedEnough(data: readonly unknown[], included: IntershopListedOrders['included'], filter: ProviderListFilter, inRange: (day: string) => boolean): boolean {
  const wanted = filter.examined;
  if (wanted === undefined || data.length < wanted) return false;
  const shared = sharedPaymentIds(data);
  const ids = new Set<string>();
  for (const entry of data) {
    if (includedFor(entry, included, shared) !== included) continue;
    const parsed = IntershopListedOrderData.safeParse(entry);
    if (!parsed.success || ids.has(parsed.data.id)) continue;
    const created = icmInstant(parsed.data.creationDate);
    if (!created || !inRange(new Date(created.ms).toISOString().slice(0, 10))) continue;
    try {
      const one = parsed.data;
      const left = readChainLeft(one, includedPayments(one, included));
      listedObservation(left ? withoutChain(one) : one, included, false);
      totalsOf(one, included);
    } catch {
      continue;
    }
    ids.add(parsed.data.id);
    if (ids.size >= wanted) return true;
  }
  return false;
}
