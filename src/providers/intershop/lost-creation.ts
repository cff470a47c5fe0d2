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
import { paymentsOrNone, readCaughtUp } from './read-back.js';
import { continueWithUrls, returnUrlsOf } from './return-urls.js';
import { noted } from './sent-to-psp.js';
import { keepUrlsForUnsaidStop } from './unsaid-stop.js';
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
  const found = await lookTwice(search, attempt, false);
  if (found === 'unlisted') throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop has no order list to find the order in');
  return found === null || 'failed' in found ? null : found;
}

/**
 * What a POST /orders refused with a 400 that says nothing readable (or taken without a body) did
 * at ICM (see whatThePostMade); `failed`: the id of the basket's rolled-back order, claimed for it.
 */
export type UnclearPostOutcome = { made: CreatedOrder } | { failed: string } | 'nothing' | 'unlisted';

/**
 * What a POST /orders that ICM refused with a 400 it says nothing readable of (no ICM error body,
 * no order; the seed shows no error at all) did, told by ICM's list (seed §2.3) as a lost
 * creation's search tells it: the basket's order made since the call (`made`: an include refused
 * after the work, answered as the create's own answer would have been); a rolled-back order of the
 * basket made since the call that no other gateway order holds (`failed`: the chain failed inside
 * the POST, claimed for this creation so that the restored basket's next create does not take it
 * for its own); else `nothing` (ICM made nothing, the include was refused before any work), or
 * `unlisted` for an ICM without a list. Before, every such 400 was taken for the include's refusal
 * and the basket POSTed again: after a failed chain (the basket restored, §3.2.5), a second order
 * and the buyer's payment at the PSP a second time; after an include refused after the work, a
 * refusal (the basket taken) that read as the first said twice, PROVIDER_REJECTED while ICM held
 * the order and its money.
 */
export async function whatThePostMade(search: LostCreationSearch, attempt: CreationAttempt): Promise<UnclearPostOutcome> {
  const found = await lookTwice(search, attempt, true);
  if (found === null) return 'nothing';
  if (found === 'unlisted' || 'failed' in found) return found;
  return { made: found };
}

/**
 * The rolled-back order whatThePostMade found for a POST taken without a body (the chain failed
 * inside it), read and answered as ICM's own ROLLED_BACK answer would have been: the create's
 * order, CANCELLED, which a retry under the same key is answered with (it is not POSTed again).
 */
export async function failedCreation(search: LostCreationSearch, attempt: CreationAttempt, id: string): Promise<CreatedOrder> {
  return answerOf(search, attempt, id, undefined, undefined);
}

/** One look at the list, and once more after the list's lag when nothing was found (see findCreated). */
async function lookTwice(search: LostCreationSearch, attempt: CreationAttempt, failedToo: boolean): Promise<Listed> {
  // Not listed (yet): asked once more once a list that lags ICM's writes must show it. Before, a
  // POST that ICM answered with a 500 of its own after placing the order (the gateway takes such
  // an answer as done with the request) was "surely absent" to a retry made at once: the basket
  // was POSTed again, ICM refused it (the basket is taken), and the client was told
  // PROVIDER_REJECTED for an order whose money ICM holds.
  const found = await findListed(search, attempt, failedToo);
  const wait = attempt.since.getTime() + LISTING_LAG_MS - Date.now();
  if (found !== null || wait <= 0) return found;
  await pause(wait);
  return findListed(search, attempt, failedToo);
}

/** What one look at the list found: the order the creation made, its rolled-back order (asked with `failedToo`), nothing, or no list at all. */
type Listed = CreatedOrder | { failed: string } | 'unlisted' | null;

/** findCreated's one look at the list (see findCreated); with `failedToo`, a rolled-back order of the basket no other order holds is `failed`. */
async function findListed(search: LostCreationSearch, attempt: CreationAttempt, failedToo: boolean): Promise<Listed> {
  const { client } = search;
  const basket = attempt.lookup.basket;
  if (typeof basket !== 'string') return null;
  // Read back only as far as the window (newest-first.ts; round twenty-six): a list of thousands ends there.
  const list = await client.listOrders({ since: attempt.since.getTime() - LOST_CREATION_WINDOW_MS });
  // No list to look in: the creation's outcome cannot be told (never "absent": that would create again).
  if (list.unlisted) return 'unlisted';
  // Dates are ICM's clock: one its `Date` header shows behind the gateway's moves the window back by
  // as much (icm-clock.ts). Before, an ICM ten minutes behind dated the order "before" the call: not
  // found, the basket POSTed again (PROVIDER_REJECTED while ICM held the money, or a failed chain's
  // restored basket ordered a second time).
  const earliest = attempt.since.getTime() - LOST_CREATION_WINDOW_MS - list.icmClockBehindMs;
  const recent = (date: IcmDateValue | undefined): boolean => {
    const created = icmInstant(date);
    return !created || created.ms + (created.zoned ? 0 : MAX_ZONE_OFFSET_MS) >= earliest;
  };
  const refs = readEachEntry('INTERSHOP', list.data, (entry) => ({ ref: IntershopListedOrderRef.parse(entry), entry }));
  const shared = sharedPaymentIds(list.data);
  const ofBasket = refs.filter(({ ref }) => ref.basket === basket && recent(ref.creationDate));
  const isRolledBack = ({ entry }: { entry: unknown }) => rolledBack(entry, includedFor(entry, list.included, shared));
  const matches = ofBasket.filter((match) => !isRolledBack(match));
  // The basket's rolled-back orders since the call (whatThePostMade: a creation that failed inside its POST).
  const rolled = ofBasket.filter(isRolledBack).map(({ ref }) => ref.id);
  // Orders made since the call that name no basket, read or listed (see unsaidHere).
  const unsaid: string[] = [];
  if (!matches.length) {
    const thin = await thinMatches(client, refs.filter(({ ref }) => ref.basket === undefined), basket, recent);
    matches.push(...thin.matches);
    rolled.push(...thin.rolled);
    unsaid.push(...thin.unsaid);
  }
  const [only, ...others] = [...new Map(matches.map((match) => [match.ref.id, match])).values()];
  if (others.length) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop shows several orders of one basket');
  if (!only && (await unsaidHere(search, unsaid, attempt.orderId))) {
    throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop shows an order made since the call that does not name its basket: it may be this one');
  }
  if (!only) {
    const failed = failedToo ? await failedHere(search, rolled, attempt.orderId) : null;
    return failed === null ? null : { failed };
  }
  // The basket's order is another gateway order's (answered-orders.ts): this creation made none
  // (ICM takes a basket once; an ICM idempotent by it answered that order). Not read or continued
  // here: the creation's URLs are not sent to another order's chain.
  if (await search.answered.heldByAnother(only.ref.id, attempt.orderId)) return null;
  return answerOf(search, attempt, only.ref.id, only.entry, includedFor(only.entry, list.included, shared));
}

/**
 * The order `id` found for a creation, read whole and answered as ICM's answer to it would have
 * been (sent on with its return URLs, claimed for it). `entry`: its list entry, whose totals count
 * when the order's own answer has none.
 */
async function answerOf(search: LostCreationSearch, attempt: CreationAttempt, id: string, entry: unknown, included: IntershopListedOrders['included']): Promise<CreatedOrder> {
  const { client, kv } = search;
  // Listed but not found: a node that has not seen the create yet, asked again for a moment
  // (readCaughtUp, under a second) as a POST or PATCH answer's read is (round thirteen: before, the
  // first 404 was taken, and a create ICM answered 201 without a body was PROVIDER_UNAVAILABLE for
  // an order ICM said it made, its money taken). Still not found: the order is there (the list says
  // so), so the creation is not "absent" (before, a retry then POSTed the basket again).
  const read = await readCaughtUp(client, id, () => false);
  if (!read) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists the order but does not find it yet');
  // The create asked for the PSP's page (returnUrls): the order found is given them, as the first attempt would have.
  const document = await withPaymentWords(search, await continueWithUrls(client, read, returnUrlsOf(attempt.lookup)));
  // The total from the order's own answer when it has totals, else from a list entry that has them, else the payments.
  const listed = IntershopOrderData.safeParse(entry);
  const fromList = !document.data.totals && listed.success && listed.data.totals;
  const payments = await paymentsOrNone(client, id);
  await search.answered.claim(id, attempt.orderId);
  return {
    providerOrderId: id,
    ...(attempt.reference ? { reference: attempt.reference } : {}),
    ...totalsOf(fromList ? listed.data : document.data, fromList ? included : document.included, payments),
    // Its return URLs answered with a stop the gateway does not know: kept, to be sent again (unsaid-stop.ts).
    observation: await noted(kv, keepUrlsForUnsaidStop(marked(search, document, orderObservation(document, payments)), returnUrlsOf(attempt.lookup))),
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
): Promise<{ matches: { ref: { id: string }; entry: unknown }[]; rolled: string[]; unsaid: string[] }> {
  let read = 0;
  // The basket's rolled-back orders passed on the way (a creation that failed inside its POST).
  const rolled: string[] = [];
  // Orders passed on the way that do not name their basket even when read (see unsaidHere).
  const unsaid: string[] = [];
  for (const { ref } of refs) {
    if (ref.creationDate !== undefined && !recent(ref.creationDate)) return { matches: [], rolled, unsaid };
    if (read === MAX_THIN_READS) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists orders without their basket, more than the gateway reads one by one');
    read += 1;
    // Listed but not found: a node that has not seen the create yet, asked again for a moment (see
    // answerOf). Still not found, it may be the one, so the gateway cannot tell yet rather than
    // saying the call made nothing.
    const document = await readCaughtUp(client, ref.id, () => false);
    if (!document) throw new GatewayError('PROVIDER_UNAVAILABLE', 'Intershop lists an order it does not find yet');
    if (!recent(document.data.creationDate)) return { matches: [], rolled, unsaid };
    if (document.data.basket === undefined) {
      // A rolled-back order's basket is restored (§3.2.5): one that names none is not the basket's new order either way.
      if (!rolledBack(document.data, document.included)) unsaid.push(ref.id);
      continue;
    }
    // ICM takes a basket once (a rolled-back order's restored basket aside): the first is the one.
    if (document.data.basket !== basket) continue;
    if (!rolledBack(document.data, document.included)) return { matches: [{ ref: { id: ref.id }, entry: document.data }], rolled, unsaid };
    rolled.push(ref.id);
  }
  return { matches: [], rolled, unsaid };
}

/**
 * Whether an order made since the call that names no basket (`unsaid`) may be this creation's: one
 * that no other gateway order holds (answered-orders.ts). ICM may stop naming an order's basket once
 * the basket has become the order (`"basket": null`, `""`, or none; the seed shows `basket` in POST
 * and PATCH answers only, round nineteen), so such an order cannot be told from the creation's, and
 * "not found" would be a guess: once the call had settled, the retry POSTed the basket again and
 * was refused (the basket is taken), PROVIDER_REJECTED while ICM held the order and its money. The
 * outcome stays unknown instead (PROVIDER_UNAVAILABLE, nothing POSTed again).
 */
async function unsaidHere(search: LostCreationSearch, unsaid: string[], orderId: string): Promise<boolean> {
  for (const id of unsaid) if (!(await search.answered.heldByAnother(id, orderId))) return true;
  return false;
}

/**
 * Whether one of the basket's rolled-back orders is this creation's: the first that no other
 * gateway order holds, claimed for it (answered-orders.ts). A rollback another create of the same
 * basket met (its basket restored and ordered again since) is that create's, not this one's.
 */
async function failedHere(search: LostCreationSearch, rolled: string[], orderId: string): Promise<string | null> {
  for (const id of rolled) {
    if (await search.answered.heldByAnother(id, orderId)) continue;
    await search.answered.claim(id, orderId);
    return id;
  }
  return null;
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
