import { icmInstant } from './dates.js';
import { IntershopListedOrderRef } from './wire.js';

/*
 * Where ICM's list may stop being read (round twenty-six). Pure.
 *
 * Seed §2.3: "Entries in the list are sorted in descending order according to the orders' creation
 * date", the user's most recent order first. The gateway calls ICM as one user (its
 * authentication-token), so "the user's orders" are every order the shop made through it: thousands,
 * and the list grows by every order. A lost creation's search wants only the orders made since
 * shortly before its call, and a listing for `from` only those since that day; once a page reaches an
 * order made before that, every later page is older still. Before, both read the whole list: at
 * ICM's page size a list of more than LIST_PAGE_SIZE x MAX_LIST_PAGES orders (client.ts) was never
 * finished, so every lost creation stayed PROVIDER_UNAVAILABLE for good (an order ICM had made and,
 * paid without a redirect, taken the money of) and `orders` for INTERSHOP failed as a whole.
 */

/** The farthest any zone's wall clock is from UTC (UTC+14): a date without a zone may be that far off (as lost-creation.ts reads it). */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/**
 * Whether a page of the list reaches back before `sinceMs` (ICM's clock): one of its entries is
 * dated before it, surely (a date without a zone counts only if it is before it in every zone). An
 * entry without a readable date (a list of ids, `{id}` alone) says nothing: the list is read on.
 */
export function reachesBefore(page: readonly unknown[], sinceMs: number): boolean {
  return page.some((entry) => {
    const ref = IntershopListedOrderRef.safeParse(entry);
    const created = ref.success ? icmInstant(ref.data.creationDate) : undefined;
    return created !== undefined && created.ms + (created.zoned ? 0 : MAX_ZONE_OFFSET_MS) < sinceMs;
  });
}

/**
 * Whether the entries read so far are in §2.3's order (each dated no later than the one before it;
 * undated entries say nothing), so that stopping at reachesBefore is safe. An ICM that sorted its
 * list another way (oldest first, by id) would otherwise end a lost creation's search before the
 * order it made, and "not there" would let the client's retry make and charge a second one: such a
 * list is read on as before (to its end, or PROVIDER_UNAVAILABLE past the bound), never cut short.
 */
export function inNewestFirstOrder(entries: readonly unknown[]): boolean {
  let previous: number | undefined;
  for (const entry of entries) {
    const ref = IntershopListedOrderRef.safeParse(entry);
    const created = ref.success ? icmInstant(ref.data.creationDate) : undefined;
    if (created === undefined) continue;
    if (previous !== undefined && created.ms > previous) return false;
    previous = created.ms;
  }
  return true;
}
