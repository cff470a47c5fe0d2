import { GatewayError } from '../../domain/errors.js';
import type { CreatedOrder, CreationAttempt } from '../../domain/provider-port.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import type { KeyValueStore } from '../../store/types.js';
import type { AnsweredOrders } from '../answered-orders.js';
import { chainOf, readChainLeft } from './chain.js';
import { withoutChain } from './chain-left.js';
import type { IntershopClient, IntershopListedOrders } from './client.js';
import { icmInstant, type IcmDateValue } from './dates.js';
import { includedFor, sharedPaymentIds } from './list-included.js';
import { includedPayments, orderObservation, totalsOf } from './mapping.js';
import { marked, withPaymentWords, type IntershopReads } from './payment-words.js';
import { paymentsOrNone } from './read-back.js';
import { continueWithUrls, returnUrlsOf } from './return-urls.js';
import { noted } from './sent-to-psp.js';
import { IntershopListedOrderRef, IntershopOrderData } from './wire.js';

/** How long before the call an order found for a lost creation may have been made (ICM's clock against ours). */
const LOST_CREATION_WINDOW_MS = 5 * 60 * 1000;
/**
 * How long after its call a creation may be missing from GET /orders though ICM made it: seed §2.3
 * promises nothing of when the list shows a new order, and a list served by another node (or a
 * search index) lags the writes by a moment. Not found sooner, the list is asked once more when
 * this has passed (findCreated).
 */
const LISTING_LAG_MS = 1500;
/** How many list entries without their basket a lost creation's search reads one by one (newest first). */
const MAX_THIN_READS = 20;
/** The farthest any zone's wall clock is from UTC (UTC+14): a date without a zone may be that far off. */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Where a lost creation is looked for: ICM's list and orders, and the notes shared by every gateway instance (sent-to-psp.ts). */
export interface LostCreationSearch extends IntershopReads {
  readonly kv: KeyValueStore;
  readonly answered: AnsweredOrders;
}

/**
 * The order a lost creation made: ICM makes one order of one basket (a second POST with it is
 * refused, the basket is taken), so it is the order of the user's list (seed §2.3) whose
 * `basket` is ours, made since shortly before the call; then read whole, as a create answers.
 * Entries without `basket` (seed §2.3 shows no entry: a list of `{id}` alone is faithful) are
 * read one by one, newest first, as far back as the call (thinMatches); before, such a list
 * found nothing, and once the call had settled the sweep took the order ICM made as never made.
 * - A creationDate without a zone (every seed date has one) is ICM's own wall clock, whose zone
 *   the gateway does not know: it counts if it is that recent in any zone.
 * - A rolled-back order "restores the basket" (seed §3.2.5), which may then be ordered again:
 *   the rolled-back order of the same basket is not the one the lost call made.
 */
export async function findCreated(search: LostCreationSearch, attempt: CreationAttempt): Promise<CreatedOrder | null> {
  // Not listed (yet): asked once more once a list that lags ICM's writes must show it. Before, a
  // POST that ICM answered with a 500 of its own after placing the order (the gateway takes such
  // an answer as done with the request) was "surely absent" to a retry made at once: the basket
  // was POSTed again, ICM refused it (the basket is taken), and the client was told
  // PROVIDER_REJECTED for an order whose money ICM holds.
  const found = await findListed(search, attempt);
  const wait = attempt.since.getTime() + LISTING_LAG_MS - Date.now();
  if (found || wait <= 0) return found;
  await pause(wait);
  return findListed(search, attempt);
}

/** findCreated's one look at the list (see findCreated). */
async function findListed(search: LostCreationSearch, attempt: CreationAttempt): Promise<CreatedOrder | null> {
  const { client, kv } = search;
  const basket = attempt.lookup.basket;
  if (typeof basket !== 'string') return null;
  const earliest = attempt.since.getTime() - LOST_CREATION_WINDOW_MS;
  const list = await client.listOrders();
  // No list to look in: the creation's outcome cannot be told (never "absent": that would create again).
  if (list.unlisted) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop has no order list to find the order in');
  const recent = (date: IcmDateValue | undefined): boolean => {
    const created = icmInstant(date);
    return !created || created.ms + (created.zoned ? 0 : MAX_ZONE_OFFSET_MS) >= earliest;
  };
  const refs = readEachEntry('INTERSHOP', list.data, (entry) => ({ ref: IntershopListedOrderRef.parse(entry), entry }));
  const shared = sharedPaymentIds(list.data);
  const matches = refs.filter(({ ref, entry }) => ref.basket === basket && recent(ref.creationDate) && !rolledBack(entry, includedFor(entry, list.included, shared)));
  if (!matches.length) matches.push(...(await thinMatches(client, refs.filter(({ ref }) => ref.basket === undefined), basket, recent)));
  const [only, ...others] = [...new Map(matches.map((match) => [match.ref.id, match])).values()];
  if (others.length) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop shows several orders of one basket');
  if (!only) return null;
  // The basket's order is another gateway order's (answered-orders.ts): this creation made none
  // (ICM takes a basket once; an ICM idempotent by it answered that order). Not read or continued
  // here: the creation's URLs are not sent to another order's chain.
  if (await search.answered.heldByAnother(only.ref.id, attempt.orderId)) return null;
  const read = await client.getOrder(only.ref.id);
  // Listed but not found: a node that has not seen the create yet. The order is there (the list
  // says so), so the creation is not "absent" (before, a retry then POSTed the basket again).
  if (!read) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists the order but does not find it yet');
  // The create asked for the PSP's page (returnUrls): the order found is given them, as the first attempt would have.
  const document = await withPaymentWords(search, await continueWithUrls(client, read, returnUrlsOf(attempt.lookup)));
  // The total from the order's own answer when it has totals, else from a list entry that has them, else the payments.
  const listed = IntershopOrderData.safeParse(only.entry);
  const fromList = !document.data.totals && listed.success && listed.data.totals;
  const payments = await paymentsOrNone(client, only.ref.id);
  await search.answered.claim(only.ref.id, attempt.orderId);
  return {
    providerOrderId: only.ref.id,
    ...(attempt.reference ? { reference: attempt.reference } : {}),
    ...totalsOf(fromList ? listed.data : document.data, fromList ? includedFor(only.entry, list.included, shared) : document.included, payments),
    observation: await noted(kv, marked(search, document, orderObservation(document, payments))),
  };
}

/**
 * The orders of `basket` among list entries that do not say their basket, each read (GET
 * /orders/{id}), newest first (seed §2.3's order): reading stops at the order of the basket, or at
 * the first order made before the call; at most MAX_THIN_READS are read, and when that is not far enough back the
 * gateway cannot tell (PROVIDER_UNAVAILABLE: the creation stays unknown, nothing is sent again)
 * rather than saying the call made nothing.
 */
async function thinMatches(
  client: IntershopClient,
  refs: { ref: { id: string; creationDate?: IcmDateValue | undefined }; entry: unknown }[],
  basket: string,
  recent: (date: IcmDateValue | undefined) => boolean,
): Promise<{ ref: { id: string }; entry: unknown }[]> {
  let read = 0;
  for (const { ref } of refs) {
    if (ref.creationDate !== undefined && !recent(ref.creationDate)) return [];
    if (read === MAX_THIN_READS) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists orders without their basket, more than the gateway reads one by one');
    read += 1;
    const document = await client.getOrder(ref.id);
    // Listed but not found (a node that has not seen the create yet): it may be the one, so the
    // gateway cannot tell yet rather than saying the call made nothing.
    if (!document) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists an order it does not find yet');
    if (!recent(document.data.creationDate)) return [];
    // ICM takes a basket once (a rolled-back order's restored basket aside): the first is the one.
    if (document.data.basket === basket && !rolledBack(document.data, document.included)) return [{ ref: { id: ref.id }, entry: document.data }];
  }
  return [];
}

/**
 * Whether a list entry is an order ICM rolled back (its basket restored); an entry it cannot tell
 * of is not. Its payments count (chain.ts: a voided open tender beside statusCode PENDING is a
 * rollback), so that a rolled-back order an ICM leaves PENDING is not taken for the basket's new one.
 */
function rolledBack(entry: unknown, included: IntershopListedOrders['included']): boolean {
  const data = IntershopOrderData.safeParse(entry);
  if (!data.success) return false;
  // A read: a STOPPED chain its voided payments say it has left is read without it (chain.ts
  // readChainLeft). Before, an ICM whose reads keep the last answered chain showed the declined
  // order at the PSP page, and a lost creation of the restored basket found two orders for good.
  const payments = includedPayments(data.data, included);
  const chain = chainOf(readChainLeft(data.data, payments) ? withoutChain(data.data) : data.data, payments);
  return 'creation' in chain && chain.creation.status === 'ROLLED_BACK';
}
