import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import type { PeiClient, PeiListing } from './client.js';
import { DEFAULT_EXPIRY_MS, EXPIRY_GRACE_MS } from './mapping.js';
import { listingEntryHints } from './listing-shape.js';
import type { PeiOrder } from './order-shape.js';
import { MIN_KEPT_REFERENCE, saysReferenceInUse } from './reference-width.js';
import { canonicalReference, referenceSpellings } from './reference-forms.js';

/**
 * How far before the call an order found after a lost answer may have been created at Pei (its
 * clock against ours): older ones with the same reference are another purchase, not this one.
 */
const LOST_ANSWER_WINDOW_MS = 5 * 60 * 1000;

/** Where and how a lost answer is looked for: the merchant's orders at Pei, by Pei's day. */
export interface LostAnswerSearch {
  client: PeiClient;
  merchantId: number;
  now: () => Date;
}

/** What identifies one submitted order among the merchant's: the reference sent with it and what it asked for. */
export interface WantedOrder {
  reference: string;
  amount: number;
  /**
   * What the submit sent, compared where the read shows it. Undefined: not sent, so anything Pei
   * shows is alike (Orders/Pay's input has neither, and a Pei may show such an order as a charge
   * on the buyer's stored card: Recurring, with the mandate it charged).
   */
  sequenceType: PeiOrder['sequenceType'] | undefined;
  mandateId: string | null | undefined;
  /**
   * The client chose the reference (else it is the gateway's order id, unique): it may have been
   * used before, e.g. "SUB-42" billed every month, so an order Pei held under it before the call
   * is not this one.
   */
  clientReference: boolean;
  /** The ExpirationDate sent with it, if any (Orders/Pay sends none: Pei's default, a day on, applies). */
  expiresAt?: Date | null;
}

/**
 * Pay and a Recurring submit move money without the buyer: when their answer is lost (timeout,
 * 5xx, a dropped connection) Pei may have charged the buyer anyway, and a retry would charge
 * twice. Before failing, the order is looked for (findSubmitted); only if it is not found does
 * the original error stand.
 */
export async function sendOrFind<T>(
  search: LostAnswerSearch,
  send: () => Promise<T>,
  sent: WantedOrder,
  noteHeld?: (held: ReadonlySet<string>) => Promise<void>,
): Promise<{ answer: T } | { found: PeiOrder }> {
  const wanted = asListed(sent);
  const startedAt = search.now();
  // Under a reference the client chose, what Pei already holds before the call: found after a
  // lost answer, such an order is an earlier purchase, and the call may never have reached Pei.
  // (Pei's reads need not say when an order was made: the seed's Order has no such field.)
  const earlier = wanted.clientReference ? await heldUnder(search, wanted, startedAt).catch(() => null) : new Set<string>();
  // Kept for the client's retry (held-before.ts), before anything is sent.
  if (wanted.clientReference && earlier && noteHeld) await noteHeld(earlier);
  try {
    return { answer: await send() };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    // Round thirteen: Pei refusing the submit for a Reference it already holds an order under,
    // where that order is none Pei listed before the call (under the gateway's own reference, its
    // order id, none can be): an earlier attempt of this creation, whose answer was lost and which
    // Pei's listing does not show yet. Looked for as a lost answer's, and unknown where it is not
    // listed, never refused. Before, past Pei's listing lag bound the retry sent the charge again,
    // and this refusal made the creation PROVIDER_REJECTED (the order FAILED, final) while Pei
    // had charged the buyer under it.
    const taken = error.code === 'PROVIDER_REJECTED' && refusesTakenReference(error) && (!wanted.clientReference || !earlier?.size);
    if (error.code !== 'PROVIDER_UNAVAILABLE' && !taken) throw error;
    const found = await findSubmitted(search, wanted, startedAt, earlier ?? undefined).catch(() => null);
    // Not known to be new (what Pei held before could not be read, and the read does not date
    // it): the original error stands, and the creation's lost outcome is settled later, where the
    // gateway's own orders are known (a retry with its key, the reconciliation sweep).
    if (!found || (earlier === null && !datesItself(found))) throw taken ? providerUnavailable('Pei', new Error('Pei holds an unlisted order under the reference sent', { cause: error })) : unsettled(error);
    return { found };
  }
}

/** Whether a listed order says when it was made, to the instant (round fourteen: not a day, nor a time without a zone). */
const datesItself = (order: PeiOrder): boolean => order.created != null && order.createdLatest?.getTime() === order.created.getTime();

/**
 * Pei refusing a submit for its Reference being in use: 409 Conflict (a unique index on the
 * merchant's references), or a 400 / 422 whose words name the Reference as already there. The seed
 * says nothing of a Reference used twice ("A reference in Order in the merchant's system").
 */
function refusesTakenReference(error: GatewayError): boolean {
  const status = String(error.details.providerCode);
  if (status === '409') return true;
  const words = `${error.message} ${String(error.details.providerField ?? '')}`;
  return ['400', '422'].includes(status) && /reference/i.test(words) && saysReferenceInUse(words);
}

/**
 * The lost answer's error, no longer saying Pei has finished with the request. Pei's own 500 does
 * say so of the call, but not of its listing, where the order is looked for: a day's report built
 * from a replica or cached a while may show the order only later. Left "answered", the client's
 * retry with the same key would take "not listed" for "not made" at once and charge the buyer (or
 * the mandate) again; unsettled, the gateway waits until the call must be over (the creation's
 * settle time) before "not there" counts.
 */
function unsettled(error: GatewayError): GatewayError {
  if (!error.details.answered) return error;
  const { answered: _answered, ...details } = error.details;
  return new GatewayError(error.code, error.message, details);
}

/**
 * The days of Pei's listing a submit made at `startedAt` may be filed under (its clock against
 * ours). The seed's "all orders on a specific date" does not say which date: the day it was made,
 * or the day it expires on (the ExpirationDate sent, else Pei's default a day on) are both
 * faithful readings, and a search that missed the order would let the retry charge again. Both are
 * asked: one or two listing calls more, only around a submit that moves money.
 */
function searchDays(startedAt: Date, now: Date, expiresAt?: Date | null): { made: string[]; expiring: string[] } {
  const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);
  const madeAt = [startedAt.getTime() - LOST_ANSWER_WINDOW_MS, startedAt.getTime(), now.getTime()];
  const made = [...new Set(madeAt.map(dayOf))];
  const expiringAt = expiresAt ? [expiresAt.getTime()] : madeAt.map((time) => time + DEFAULT_EXPIRY_MS);
  // The same instants as the dates of a server in another zone (round six): a .NET Pei filing by
  // its own local date (DateTime.Now.Date) files an order made at 02:00 UTC under the day before
  // when it runs five hours behind, or one made at 22:00 UTC under the day after when it runs
  // ahead. Asked where they are not UTC days already: near midnight, one listing call more.
  // Tolerant of a refusal as an expiry day is (a day still to come at a Pei filing by creation).
  const inZones = [...madeAt, ...expiringAt].flatMap((time) => [time - MAX_ZONE_OFFSET_MS, time + MAX_ZONE_OFFSET_MS]);
  const expiring = [...new Set([...expiringAt, ...inZones].map(dayOf))].filter((day) => !made.includes(day));
  return { made, expiring };
}

/**
 * The wanted order with its reference as Pei's reads are taken (wire-fields.ts PeiOptionalString: without
 * surrounding blanks, round ten), so a reference Pei pads (a `CHAR(n)` column) or trims is the one sent.
 */
function asListed(wanted: WantedOrder): WantedOrder {
  return { ...wanted, reference: wanted.reference.trim() };
}

/**
 * Whether a listed Reference is the one sent (`same`), or that one cut to its column's width (`cut`:
 * a proper prefix of it, at least MIN_KEPT_REFERENCE long; round thirteen: the seed gives the
 * Reference no length, and a Pei keeping it in a `VARCHAR(n)` that truncates rather than refuses
 * answers its first n characters in reads and listings, reference-width.ts). Before, a cut Reference was another
 * order's: an Orders/Pay or a Recurring charge whose answer Pei lost was "not there" once Pei's
 * listing lag bound had passed, and the client's retry charged the buyer, or the mandate, again.
 */
function referenceAs(listed: string | null | undefined, wanted: string, answeredIn?: string): 'same' | 'cut' | null {
  if (listed == null) return null;
  // Round seventeen: or as a Pei reading the UTF-8 sent in ISO-8859-1 keeps it (reference-bytes.ts);
  // round twenty-four: as the label of the answer it came in reads it (answeredIn); round
  // twenty-six: in either Unicode normalisation form, compared canonically (reference-forms.ts).
  const spellings = referenceSpellings(wanted, answeredIn);
  const shown = canonicalReference(listed);
  if (spellings.includes(shown)) return 'same';
  return listed.length >= MIN_KEPT_REFERENCE && cutFrom(shown, spellings) ? 'cut' : null;
}

/** Whether the canonical `shown` is a proper prefix of one of `spellings` (a Reference cut to its column's width). */
const cutFrom = (shown: string, spellings: readonly string[]): boolean => spellings.some((spelling) => shown.length < spelling.length && spelling.startsWith(shown));
const underReference = (listed: string | null | undefined, wanted: string, answeredIn?: string): boolean => referenceAs(listed, wanted, answeredIn) !== null;

/** The furthest a zone is from UTC (Kiribati, +14 h; Baker Island, -12 h). */
const MAX_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/** A listing's orders, and what its entries that are not readable orders name (listingEntryHints). */
interface Listed {
  orders: PeiOrder[];
  loose: { orderId: string | null; reference: string | null; answeredIn?: string }[];
  /** A day's answer said it was one page of more (round six): what is not on it is not known to be absent. */
  partial: boolean;
}

/**
 * Pei's orders on the days a submit may be filed under. A Pei that files orders by the day they
 * were made may refuse a day still to come (a 4xx): nothing can be filed there then, so such a
 * refusal of an expiry day is an empty day. Any other failure fails the search.
 */
async function listedOn(search: LostAnswerSearch, days: { made: string[]; expiring: string[] }): Promise<Listed> {
  const onDay = (day: string) => search.client.listingOn(search.merchantId, day);
  const onExpiryDay = (day: string): Promise<PeiListing> =>
    onDay(day).catch((error: unknown): PeiListing => {
      if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return { orders: [], unreadable: [], partial: false };
      throw error;
    });
  const listings = await Promise.all([...days.made.map(onDay), ...days.expiring.map(onExpiryDay)]);
  return {
    orders: listings.flatMap((listing) => listing.orders),
    loose: listings.flatMap((listing) => listing.unreadable.map((entry) => ({ ...listingEntryHints(entry), ...(listing.answeredIn ? { answeredIn: listing.answeredIn } : {}) }))),
    partial: listings.some((listing) => listing.partial),
  };
}

/** The ids of the orders Pei lists under `reference` on the days a submit made now may be filed under. */
async function heldUnder(search: LostAnswerSearch, wanted: WantedOrder, startedAt: Date): Promise<Set<string>> {
  const { orders, loose, partial } = await listedOn(search, searchDays(startedAt, startedAt, wanted.expiresAt));
  // One page of more: an earlier order under the reference may be on another, so what Pei held is not known.
  if (partial) throw providerUnavailable('Pei', new Error('the listing is one page of more'));
  return new Set([
    ...orders.filter((order) => underReference(order.reference, wanted.reference, order.answeredIn)).map((order) => order.orderId),
    ...loose.flatMap((entry) => (underReference(entry.reference, wanted.reference, entry.answeredIn) && entry.orderId !== null ? [entry.orderId] : [])),
  ]);
}

/**
 * The listing's orders, with those of its unreadable entries that may be the submit read by
 * themselves. The seed shows no listing output: a Pei may list summaries (no amount, no lines) or
 * entries the reader cannot take whole. "Not readable" must not pass for "not there" (the retry
 * would charge again): an entry under the wanted reference that names its order is read with
 * `GET /api/orders/{id}`; one that cannot be (it names none, or Pei does not show it) and one
 * without a reference leave the search unsure.
 */
async function withLooseEntries(search: LostAnswerSearch, listed: Listed, wanted: WantedOrder, heldBefore?: ReadonlySet<string>): Promise<{ orders: PeiOrder[]; unsure: boolean }> {
  const known = new Set(listed.orders.map((order) => order.orderId));
  const mayBe = listed.loose.filter(
    (entry) => (entry.reference === null || underReference(entry.reference, wanted.reference, entry.answeredIn)) && !(entry.orderId !== null && (known.has(entry.orderId) || heldBefore?.has(entry.orderId))),
  );
  const named = [...new Set(mayBe.flatMap((entry) => (underReference(entry.reference, wanted.reference, entry.answeredIn) && entry.orderId !== null ? [entry.orderId] : [])))];
  const read = (await Promise.all(named.map((orderId) => search.client.getOrder(orderId, wanted.amount)))).filter((order): order is PeiOrder => order !== null);
  const readIds = new Set(read.map((order) => order.orderId));
  // A page of more leaves the rest unseen: the submit may be there (round six: a Pei paging its listing oldest first).
  return { orders: [...listed.orders, ...read], unsure: listed.partial || mayBe.some((entry) => entry.orderId === null || !readIds.has(entry.orderId)) };
}

/**
 * The order a submit made at `startedAt`, among the merchant's orders of Pei's days since then
 * (a lost answer, a creation whose answer never got stored): same reference (the gateway's order
 * id when the client gave none, so unique), amount, sequence type and mandate, created since
 * shortly before the call, and not among `heldBefore` (what Pei held under the reference before
 * the call, when known). Null when none is there; PROVIDER_UNAVAILABLE when several are (the
 * client reused a reference: which one is not known), when orders like it are listed without a
 * reference (none can be ruled out), or Pei cannot be asked.
 */
export async function findSubmitted(search: LostAnswerSearch, sent: WantedOrder, startedAt: Date, heldBefore?: ReadonlySet<string>): Promise<PeiOrder | null> {
  const wanted = asListed(sent);
  const earliest = startedAt.getTime() - LOST_ANSWER_WINDOW_MS;
  const { orders: listed, unsure } = await withLooseEntries(search, await listedOn(search, searchDays(startedAt, search.now(), wanted.expiresAt)), wanted, heldBefore);
  const candidates = heldBefore ? listed.filter((order) => !heldBefore.has(order.orderId)) : listed;
  // What the order asked for, where the read shows it (the seed shows no read: a field it leaves
  // out is no disagreement), made since shortly before the call (a read without `created` cannot
  // be placed in time: the other fields decide).
  const alike = (order: PeiOrder) =>
    order.amount === wanted.amount &&
    (wanted.sequenceType === undefined || order.sequenceType == null || order.sequenceType === wanted.sequenceType) &&
    (wanted.mandateId === undefined || order.mandateId == null || order.mandateId === wanted.mandateId);
  // Round fourteen: by the latest moment its `created` may stand for (a time without a zone, a day
  // without a time: order-shape.ts PeiCreated); read as an instant, such an order made a moment ago was
  // hours "before the call", another purchase under the client's reference, and the retry charged again.
  const recent = (order: PeiOrder) => order.created == null || (order.createdLatest ?? order.created).getTime() >= earliest;
  // Under the gateway's own reference (its order id: unique) the order is this one whenever Pei
  // says it was made (`created` is no seed field: a Pei may write its server's local time without
  // a zone, hours off); and where what Pei held before the call is known, that rules out the
  // earlier ones. Only a client's reference with nothing else to go by is placed in time.
  const placed = (order: PeiOrder) => !wanted.clientReference || heldBefore !== undefined || recent(order);
  // Under the Reference as sent, else (round thirteen) under it cut to a column's width: a Pei
  // keeping fewer characters keeps them of every long Reference, so a cut one is read as this
  // order's only where none is listed whole.
  const under = (how: 'same' | 'cut') => candidates.filter((order) => alike(order) && placed(order) && referenceAs(order.reference, wanted.reference, order.answeredIn) === how);
  const whole = under('same');
  const matches = whole.length > 0 ? whole : under('cut');
  // A read that leaves the reference out cannot say whether it is this order: "not there" would
  // let the creation be made again (the buyer charged twice), so the outcome stays unknown.
  if (matches.length === 0 && candidates.some((order) => alike(order) && recent(order) && order.reference == null)) {
    throw providerUnavailable('Pei', new Error('orders like the lost submit are listed without their reference'));
  }
  // Round thirteen: nor can a reference cut shorter than MIN_KEPT_REFERENCE (a proper prefix of
  // the one sent, too short to tell it from another's): unknown, never absent.
  if (matches.length === 0 && candidates.some((order) => alike(order) && recent(order) && order.reference != null && cutFrom(canonicalReference(order.reference), referenceSpellings(wanted.reference, order.answeredIn)))) {
    throw providerUnavailable('Pei', new Error('orders like the lost submit are listed under a reference cut too short to tell'));
  }
  if (matches.length === 0 && unsure) throw providerUnavailable('Pei', new Error('listing entries that may be the lost submit cannot be read, or are on a page Pei did not answer'));
  if (matches.length === 0 && mayBeUnlisted(wanted, listed, startedAt, search.now())) {
    throw providerUnavailable('Pei', new Error('a Recurring submit Pei has not charged yet may be in no listing'));
  }
  const unique = new Map(matches.map((order) => [order.orderId, order]));
  const [only, ...others] = [...unique.values()];
  if (others.length > 0) throw providerUnavailable('Pei', new Error('several orders match a lost submit'));
  return only ?? null;
}

/**
 * Whether a listed order shows the listing holds unconfirmed orders: one without a purchase that
 * Pei's own word calls not confirmed (Pending, Cancelled, Expired), or, where Pei writes no word,
 * one without a purchase in a listing that shows purchases on others. Round twenty: a missing
 * purchase id alone was taken for that, so at a Pei listing confirmed orders only whose reads
 * carry no purchase id (and no word: a status number), every entry "was unconfirmed", the absence
 * of a lost Recurring charge Pei had not charged yet counted, and the retry charged the mandate again.
 */
function shownUnconfirmed(listed: PeiOrder[]): (order: PeiOrder) => boolean {
  const showsPurchases = listed.some((order) => order.purchaseId != null);
  return (order) => order.purchaseId == null && (order.statusWritten ? order.status === 'Pending' || order.status === 'Cancelled' || order.status === 'Expired' : showsPurchases);
}

/**
 * Whether a Recurring submit Pei made may be missing from its listing. Pei charges it on its own,
 * maybe later ("will be automatically charged"): until then it is unconfirmed, and the seed does
 * not say which orders "all orders on a specific date" are. A Pei listing confirmed ones only shows
 * it nowhere, and "not there" would have the retry charge the mandate a second time. Absence counts
 * only where the listing shows unconfirmed orders at all (it would show this one), or once the
 * submit's expiry is past, with Pei's grace (it no longer charges it, and a charge made is listed).
 */
function mayBeUnlisted(wanted: WantedOrder, listed: PeiOrder[], startedAt: Date, now: Date): boolean {
  if (wanted.sequenceType !== 'Recurring') return false;
  if (listed.some(shownUnconfirmed(listed))) return false;
  const expiry = wanted.expiresAt?.getTime() ?? startedAt.getTime() + DEFAULT_EXPIRY_MS;
  return now.getTime() < expiry + EXPIRY_GRACE_MS;
}
