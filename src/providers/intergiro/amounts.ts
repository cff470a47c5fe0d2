import { exponentOf, parseMoney, type Money } from '../../domain/money.js';
import type { LineItem, Order } from '../../domain/order.js';
import { projectOrderChange } from '../../domain/order-events.js';
import { paymentTotals } from '../../domain/observation.js';
import type { PendingOperation } from '../../domain/orders/pending-operations.js';
import { intergiroSpelling, LIFE_STAGE } from './status-words.js';
import { intergiroTime } from './dates.js';
import { decimalTextValue } from './decimal-text.js';
import { IntergiroStatus, type IntergiroEvent, type IntergiroItems, type IntergiroOrder } from './wire.js';

/*
 * What an Intergiro order says about money: its total (items), what is captured and refunded
 * (its events), and its status word where the answer leaves it out. The seeds show none of an
 * event's or an item's fields; CONTRACT §8 and Intergiro's public model (model-base Item.amount,
 * Status.change) fill the gaps, and an answer that leaves them out is read for what it still says.
 */

/**
 * A provider number in major units as exact Money. Intergiro sends JSON numbers; one that
 * needs more decimals than the currency has is a malformed answer, not something to round.
 */
export function fromWireAmount(value: number, currency: string): Money {
  const exponent = exponentOf(currency);
  const scaled = value * 10 ** exponent;
  if (!Number.isFinite(value) || Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    throw new Error(`Intergiro amount ${value} has more decimals than ${currency} allows`);
  }
  return parseMoney(value.toFixed(exponent), currency);
}

/**
 * One unit of an item as Intergiro charges it: price less rebate plus VAT, both per unit (CONTRACT
 * §8 lists `vat`; Intergiro's model counts `(price - rebate + vat) * quantity`). Without `vat` this
 * is the price, as the gateway sends its own items.
 */
function unitAmount(item: { price?: number; vat?: number; rebate?: number }, currency: string): Money {
  const minor = (value: number | undefined) => (value === undefined ? 0 : fromWireAmount(value, currency).minor);
  return { currency, minor: minor(item.price) - minor(item.rebate) + minor(item.vat) };
}

export function itemsTotal(items: IntergiroItems, currency: string): Money {
  if (typeof items === 'number') return fromWireAmount(items, currency);
  const list = Array.isArray(items) ? items : [items];
  const minor = list.reduce((total, item) => total + Math.round(unitAmount(item, currency).minor * (item.quantity ?? 1)), 0);
  return { currency, minor };
}

/**
 * What a charge or refund event moves, in minor units: the size of its `items`, whatever their
 * sign (the event's type says which way the money goes). No seed shows an event: an Intergiro may
 * record a refund as money going back, `items: -5`, as a ledger writes it. Summed as written, a
 * refund of 5.00 refunded -5.00: the order showed a negative refunded amount, was REFUNDED (final)
 * after a partial refund, and a read back of refunds in one call could not tell which went (round ten).
 */
export function eventMinor(items: IntergiroItems, currency: string): number {
  return Math.abs(itemsTotal(items, currency).minor);
}

export function fromWireItems(items: IntergiroItems, currency: string): LineItem[] {
  if (typeof items === 'number') return [];
  const list = Array.isArray(items) ? items : [items];
  return list.map((item, index) => {
    const unitPrice = unitAmount(item, currency);
    const quantity = item.quantity ?? 1;
    return {
      lineId: String(index + 1),
      name: item.name ?? `Item ${index + 1}`,
      quantity,
      unitPrice,
      amount: { currency, minor: Math.round(unitPrice.minor * quantity) },
      ...(item.number ? { code: item.number } : {}),
      ...(item.unit ? { unit: item.unit } : {}),
    };
  });
}

/**
 * An event's type as CONTRACT §8's word (`charge`, `refund`, `fail`...), in any letter case; the
 * status word an event leads to (`charged`) is read as the event (no seed shows an event), spelled
 * as status words are (intergiroSpelling): the seed's Callbacks write "charged, refunded or
 * canceled", and an event `canceled` read as a word of its own left an order cancelled at
 * Intergiro, listed without a status, AUTHORIZED (round six).
 */
function eventWord(type: string): string {
  const word = intergiroSpelling(type);
  // An Intergiro that takes the seed's own verb for a charge ("capture", see order-changes.ts) records it so.
  if (word === 'capture' || word === 'captured') return 'charge';
  return STATUS_EVENT[word as IntergiroStatus] ?? word;
}

/** Whether two event types name the same change (`charge` and `capture`, `refund` and `refunded`, in any letter case). */
export function sameEventKind(one: string, other: string): boolean {
  return eventWord(one) === eventWord(other);
}

/** CONTRACT §8: the event that leads to each status word. */
const STATUS_EVENT: Partial<Record<IntergiroStatus, string>> = {
  deferred: 'defer',
  pending: 'pend',
  denied: 'deny',
  ordered: 'order',
  cancelled: 'cancel',
  charged: 'charge',
  paid: 'pay',
  refunded: 'refund',
  settled: 'settle',
  synchronized: 'synchronize',
};
const EVENT_STATUS = new Map(Object.entries(STATUS_EVENT).map(([status, event]) => [event, status]));

/** An event type that is itself a failure: CONTRACT §8's `fail`, or the seed's own word for one (`failed`), any letter case. */
const isFailWord = (type: string): boolean => ['fail', 'failed', 'failure'].includes(eventWord(type));

/** Words an event's own `status` may use for one that did not go through. */
const FAILED_WORDS: ReadonlySet<string> = new Set(['fail', 'failed', 'failure', 'error', 'refused', 'rejected', 'declined', 'denied']);

/**
 * Whether an echoed or recorded event is one that failed. CONTRACT §8 records it as its own event
 * `{type: "fail", original: <type>, error}`; the seed only says "the order will be updated with the
 * successful or failed Event" and shows no event, so an Intergiro written from it may record the
 * Event asked for marked failed: `status: "failed"`, `success: false`, `failed: true`, or carrying
 * its Error (a successful Event carries none), or a `failed` event. Read by its type alone, such a
 * failed `charge` was a charge: a capture Intergiro refused was answered CAPTURED, and a read of
 * the order counted the money as captured.
 */
export function isFailedEvent(event: IntergiroEvent): boolean {
  if (isFailWord(event.type)) return true;
  // A denial is the outcome itself: its decline reason (an `error`, "declined") marks no failure of it.
  if (eventWord(event.type) === 'deny') return false;
  const fields = event as Record<string, unknown>;
  if (fields['success'] === false || fields['failed'] === true || String(fields['success']).trim().toLowerCase() === 'false') return true;
  if (typeof fields['status'] === 'string' && FAILED_WORDS.has(fields['status'].trim().toLowerCase())) return true;
  return carriesError(event.error);
}

/** An `error` that says something: not absent, `false`, blank, or an empty object. */
function carriesError(error: unknown): boolean {
  if (error === undefined || error === null || error === false) return false;
  if (typeof error === 'string') return error.trim() !== '';
  if (typeof error === 'object') return Object.keys(error).length > 0;
  return true;
}

/** What a failed event (isFailedEvent) failed to carry out: a `fail`'s `original`, else its own type. */
const failedTypeOf = (event: IntergiroEvent): string => (isFailWord(event.type) ? (event.original ?? '') : event.type);

/** The order's events that went through (failed ones say nothing of its state or money). */
const eventsThatWent = (order: IntergiroOrder): IntergiroEvent[] => eventsInOrder(order).filter((event) => !isFailedEvent(event));

/**
 * The order's events, oldest first. No seed shows an event or says in which order a list holds
 * them; CONTRACT §8's answers and Intergiro's own append. Where every event carries a readable
 * `date`, they are read in date order (stable: events of one moment keep theirs), so a list
 * written newest first is the same history. Before, its "last" event was the oldest, and a refund
 * without items, read before its charge, refunded nothing (a full refund showed
 * PARTIALLY_REFUNDED with 0.00 refunded). Without dates on all of them, the list's own order.
 */
export function eventsInOrder(order: IntergiroOrder): IntergiroEvent[] {
  const events = order.event ?? [];
  const times = events.map((event) => (event.date === undefined ? Number.NaN : intergiroTime(event.date)));
  if (events.length < 2 || times.some((time) => Number.isNaN(time))) return events;
  return events
    .map((event, index) => ({ event, time: times[index]!, index }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ event }) => event);
}

/**
 * The order's status word: its own `status` (one written "" is none); else the further along of its payment's (where that
 * is one of the order's words; CONTRACT §8: the payment has a `status`; the seed's
 * merchant-initiated answer shows neither) and the status the last event that is not a `fail`
 * leads to. The payment's word alone was taken before: an Intergiro that keeps a payment link's
 * payment `created` while the order is cancelled (the seed shows the payment's `status` beside the
 * order's, not that they agree) left the order CREATED for good, its `cancel` event unread. With
 * neither, a payment link (`defer`) is `created` (nobody has paid it); any other payment went with
 * the order and its outcome is not said: `pending` (re-read until it is), never `created`, which
 * tells a shop that the buyer has yet to pay (and might be asked to pay again).
 */
export function statusWordOf(order: IntergiroOrder): string {
  const words = eventsThatWent(order).map((event) => EVENT_STATUS.get(eventWord(event.type))).filter(Boolean) as IntergiroStatus[];
  const last = words.at(-1);
  // Beside a first word (the order's or its payment's `created`) a payment link's denial is of one
  // card, not the order's end: the link stays open for another (see firstWordOverruled).
  const link = order.payment.type?.trim().toLowerCase() === 'defer';
  const lastBesideFirst = link ? words.filter((word) => word !== 'denied').at(-1) : last;
  const payment = typeof order.payment.status === 'string' ? IntergiroStatus.safeParse(intergiroSpelling(order.payment.status)) : undefined;
  // A status written "" (or blanks) says no more than one left out: read as absent, not as an unknown word.
  if (order.status !== undefined && order.status.trim() !== '') {
    // The payment's word overrules a first word as the events do: for a link it is the one status
    // word the seed shows, and an Intergiro may move only it when the buyer pays. From `ordered` on:
    // a payment `pending` may be a link still waiting for its buyer (its link must stay handed out),
    // and a link's denial is of one card (above).
    const paymentWord = payment?.success && LIFE_STAGE[payment.data] >= LIFE_STAGE.ordered && !(link && payment.data === 'denied') ? payment.data : undefined;
    const further = [lastBesideFirst, paymentWord].reduce<IntergiroStatus | undefined>((a, b) => (!b || (a && LIFE_STAGE[a] >= LIFE_STAGE[b]) ? a : b), undefined);
    return firstWordOverruled(order.status, further) ?? order.status;
  }
  const beside = payment?.success && LIFE_STAGE[payment.data] === 0 ? lastBesideFirst : last;
  if (payment?.success && (!beside || LIFE_STAGE[payment.data] >= LIFE_STAGE[beside])) return order.payment.status as string;
  if (last) return last;
  return order.payment.type?.trim().toLowerCase() === 'defer' ? 'created' : 'pending';
}

/**
 * The last event's status (or the payment's word, the further along of the two) where the order's
 * own word is its first one (`created`, `deferred`) and they say it went further. A link whose
 * order keeps `created` while its payment says `charged` (no events shown) was CREATED, paid unseen. The seed shows no status word but `created`: an Intergiro
 * may keep it for an authorized card order (its `order` event listed) until a later word is
 * due. Read as it stood, such an order was CREATED, and the gateway refused to capture it
 * (INVALID_STATE), for good. Under CONTRACT §8 an `order` event makes the order `ordered`, so
 * the two never disagree there. A later word (`pending` on) is the order's own and stands.
 * A payment link's `deny` event does not overrule it (the caller leaves it out): the order's own
 * word says it is still open, as a link is after the buyer's first card was declined on its page. Taken
 * as the order's end, such a link was FAILED (final), and the buyer's next card paid it unseen.
 */
function firstWordOverruled(word: string, last: IntergiroStatus | undefined): IntergiroStatus | undefined {
  const own = IntergiroStatus.safeParse(intergiroSpelling(word));
  return own.success && LIFE_STAGE[own.data] === 0 && last !== undefined && LIFE_STAGE[last] > 0 ? last : undefined;
}

/**
 * Whether an order read shows that its 3-D Secure step is over: its word is `ordered` or later,
 * `denied` or `cancelled`. `created` and `pending` are not enough: an Intergiro may list an order
 * still waiting for the step so (and an order without any status word reads `pending`).
 */
export function isPastVerification(order: IntergiroOrder): boolean {
  const word = IntergiroStatus.safeParse(intergiroSpelling(statusWordOf(order)));
  return word.success && LIFE_STAGE[word.data] >= LIFE_STAGE.ordered;
}

/** Statuses that say the order was charged (CONTRACT §7 maps them to CAPTURED or a refund). */
const SHOWS_CHARGE: ReadonlySet<IntergiroStatus> = new Set(['charged', 'paid', 'refunded', 'settled', 'synchronized']);

/**
 * What the gateway itself knows of the order's money: captured and refunded as it recorded them,
 * for an answer that shows a charge or refund without saying how much. While it knows of none, its
 * own capture or refund still pending (sent, answer lost) counts once the status word shows one,
 * or (a refund) once the read (`read`) lists a refund that went through: an Intergiro may keep an
 * order `charged` after a refund of part of it. Counted by the word alone, such a refund whose
 * answer was lost, listed without its amount, bounded nothing: read as "the rest", the order showed
 * all of the charge refunded where 5.00 of 20.00 was (round twelve).
 */
export interface KnownFigures {
  capturedMinor: number;
  refundedMinor: number;
}

export function knownFigures(order: Order, shownStatus: IntergiroStatus, read?: IntergiroOrder): KnownFigures {
  const known = paymentTotals(order);
  // The word shows that one happened, not how many: only the first pending one of each kind counts
  // (a later one is left to the pending bound and showsOperation).
  let projected = order;
  const kinds = new Set<string>();
  for (const operation of order.pendingOperations ?? []) {
    if (kinds.has(operation.type)) continue;
    kinds.add(operation.type);
    projected = projectOrderChange(projected, operation);
  }
  const withPending = paymentTotals(projected);
  // Round twenty-four: a capture under way counts by the word only where the read does not show
  // less charged than it asks (pendingCaptureBelied).
  const captureShown = SHOWS_CHARGE.has(shownStatus) && !pendingCaptureBelied(read, withPending.captured.minor, order.total.currency);
  return {
    capturedMinor: known.captured.minor || (captureShown ? withPending.captured.minor : 0),
    refundedMinor: known.refunded.minor || (shownStatus === 'refunded' || (read !== undefined && moneyEventsOf(read).refunds) ? withPending.refunded.minor : 0),
  };
}

/**
 * Whether a read's status list (listFigures) shows less charged, at most, than the gateway's own
 * capture under way would leave captured (`capturedMinor`): that charge is not the capture, which
 * Intergiro then refused (one charge per order; echo-read-back.ts chargedLess reads it so in the
 * capture's read back). Round twenty-four: the gateway re-reads an order as soon as a capture's
 * intent is written (a change whose answer is not in yet is read at once, reconcilable.ts), so a
 * re-read lands while the PATCH or its read back is still out. At an Intergiro whose back office had
 * charged 12.34 of 20.00 (`{"charged": 12.34}`, reads without events), that re-read counted the
 * capture under way by the word `charged` as the whole 20.00: the order was CAPTURED 20.00, the
 * capture's intent settled as done, and the read back's refusal came too late (a status never moves
 * backwards; the 7.66 Intergiro never charged was open to a refund through the gateway). Where the
 * list says nothing of amounts, or the currency is not the gateway's, the word counts as before.
 */
function pendingCaptureBelied(read: IntergiroOrder | undefined, capturedMinor: number, currency: string): boolean {
  if (!read || read.currency !== currency) return false;
  let listed: ReturnType<typeof listFigures>;
  try {
    listed = listFigures(read, itemsTotal(read.items, read.currency));
  } catch {
    return false;
  }
  return listed !== undefined && listed.captured > 0 && listed.capturedAtMost < capturedMinor;
}

/** Nothing known by the gateway yet: the answer to its own creation. */
export const NOTHING_MOVED: KnownFigures = { capturedMinor: 0, refundedMinor: 0 };

/**
 * What is captured and refunded. Where the order carries `charge` / `refund` events they are the
 * history: one without `items` is the rest (a charge the whole total, a refund what is captured
 * and not yet refunded). Where it carries no charge event, its status word says money moved but
 * not how much (statusFigures). `history`: the charges came from events (the figures then depend
 * on the answer alone).
 */
export function movedAmounts(order: IntergiroOrder, status: IntergiroStatus, total: Money, known?: KnownFigures): { captured: number; refunded: number; history: boolean } {
  const moves = eventsThatWent(order).filter((event) => ['charge', 'refund'].includes(eventWord(event.type)));
  const charged = moves.some((event) => eventWord(event.type) === 'charge');
  const byStatus = statusFigures(order, status, total, known);
  if (!moves.length) return { ...byStatus, history: false };
  // Money events without amounts (no `items`): CONTRACT §8 reads one as "the rest", but the seed
  // shows no event, and an Intergiro may record each change without its amount. Read as the rest,
  // a callback after a partial capture (12.34 of 20.00) showed 20.00 captured for good, and one
  // after a partial refund the whole refunded (REFUNDED, final). Without the gateway's own figures
  // (a callback, a listing) such a history says no more than the status word (statusFigures: the
  // gateway's figures stand, the order is re-read); with them, where no event carries an amount,
  // what the gateway itself captured and refunded counts (below).
  if (!known && moves.some((event) => event.items === undefined)) return { ...byStatus, history: false };
  // Where none carries its amount, a charge is what the gateway captured (one charge per
  // authorization), and refunds no more than it refunded: a refund made at Intergiro itself beside
  // the gateway's is then not counted (the lesser harm, as statusFigures'), nor one made there
  // where the gateway refunded none (knownFigures counts its own refund under way). Read as "the
  // rest" there, a part refunded at Intergiro's back office made the order REFUNDED (final) with all
  // of the charge refunded, the rest Intergiro held no longer refundable through the gateway (round twelve).
  const amountless = moves.every((event) => event.items === undefined);
  // Round eleven: a status list's figures (listFigures) say how much where the events do not.
  const listed = amountless ? listFigures(order, total) : undefined;
  const chargeBasis = amountless && known?.capturedMinor ? known.capturedMinor : listed?.captured || total.minor;
  let captured = charged ? 0 : byStatus.captured;
  let refunded = 0;
  for (const event of moves) {
    if (eventWord(event.type) === 'charge') captured += event.items === undefined ? Math.max(chargeBasis - captured, 0) : eventMinor(event.items, total.currency);
    else refunded += event.items === undefined ? Math.max(captured - refunded, 0) : eventMinor(event.items, total.currency);
  }
  if (amountless && known) refunded = Math.min(refunded, known.refundedMinor);
  // Beside the gateway's own refunds, what the list says was refunded in all: a refund whose answer
  // was lost (the events show that one happened, not how much), or one made at Intergiro itself.
  // Not counted, a second partial refund whose answer was lost never showed (round seven's leftover).
  if (listed) refunded = Math.min(Math.max(refunded, listed.refunded), captured);
  // Charged by its events but `refunded` without a refund event: the refund as the status word gives it.
  const refundedByWord = !moves.some((event) => eventWord(event.type) === 'refund') && status === 'refunded';
  if (refundedByWord) refunded = known ? known.refundedMinor : 0;
  // Amountless, the figures depend on what the gateway knew: part of the fact's key (mapping.ts).
  return { captured, refunded, history: charged && !refundedByWord && !amountless };
}

/**
 * The figures a status word alone gives. With the gateway's own figures at hand (a re-read, its
 * own creation) those count; else a charge is the whole total (a charge made at Intergiro itself:
 * over-counted where it was partial, which only lets more be refunded through the gateway than
 * Intergiro then takes, never less), while a refund the gateway knows nothing of counts 0 (a
 * refund made at Intergiro itself is not counted: counted whole, a partial one would end the order
 * REFUNDED and refuse the refunds still possible). Without them (a callback, a listing) only a
 * `charge: "auto"` order is known to be charged whole, and 0 lets the gateway's own figures stand
 * (facts' amounts only grow), to be settled by a re-read (`figuresBehindStatus`).
 */
function statusFigures(order: IntergiroOrder, status: IntergiroStatus, total: Money, known?: KnownFigures): { captured: number; refunded: number } {
  if (!SHOWS_CHARGE.has(status)) return { captured: 0, refunded: 0 };
  const auto = [order.charge, order.payment.charge].some((charge) => typeof charge === 'string' && charge.trim().toLowerCase() === 'auto');
  // Round eleven: a status list's figures (listFigures), where it has them, in place of the whole
  // total for a charge the gateway did not make, and beside its own refunds for one it did not.
  const listed = listFigures(order, total);
  const captured = known ? known.capturedMinor || listed?.captured || total.minor : auto ? total.minor : (listed?.captured ?? 0);
  const refundedKnown = status !== 'refunded' || !known ? 0 : known.refundedMinor;
  const refunded = Math.min(Math.max(refundedKnown, listed?.refunded ?? 0), captured);
  return { captured, refunded };
}

/** Words whose amount in a status list is money charged and not refunded (ranked with `charged`, LIFE_STAGE). */
const CHARGE_WORDS: ReadonlySet<IntergiroStatus> = new Set(['charged', 'paid', 'settled', 'synchronized']);

/**
 * What a status list (`{"ordered": 0, "charged": 7.34, "refunded": 5}`, status-words.ts) says is
 * captured and refunded, or undefined where it cannot be read without risk of overstating either.
 * No seed shows a list; its amounts are read in the unit of the order's own `items` (the seed's
 * `"items": 20` beside `"currency": "EUR"`: major units, as every amount the adapter reads) and as
 * the money standing in each word, so they are read only where that reading holds:
 * - the list names at least two words: one word beside an amount may be the order's amount in its
 *   word (`{"refunded": 20}` after a refund of 5.00), not money that moved; one charge word below
 *   the total is read all the same (oneWordFigures, round twelve);
 * - every amount is a number (or a numeric string, any sign: its word says which way the money
 *   went) with no more decimals than the currency has, and together they come to no more than the
 *   order's total (a list of the order's amount in each word it reached sums to more);
 * - refunded is the `refunded` amount (standing or summed, the same); captured is the largest of
 *   the charge words' and the refunded amount: no more than was charged whether the charge word
 *   keeps what was charged or what is left of it after refunds (a list that moves refunded money
 *   out of `charged` then shows too little captured, never too much).
 * Read as words only, a part charged at Intergiro itself showed as the whole total, and a part
 * refunded there not at all: a refund through the gateway of more than Intergiro had left was sent,
 * refused there unseen (reads without events), and shown done (round eleven).
 */
export function listFigures(order: IntergiroOrder, total: Money): { captured: number; capturedAtMost: number; refunded: number } | undefined {
  const entries = Object.entries(order.statusList ?? {});
  if (entries.length === 1) return oneWordFigures(entries[0]!, total);
  if (entries.length < 2) return undefined;
  let sum = 0;
  let charged = 0;
  let chargedInAll = 0;
  let refunded = 0;
  for (const [word, amount] of entries) {
    const minor = listAmountMinor(amount, total.currency);
    if (minor === undefined) return undefined;
    sum += minor;
    const spelled = intergiroSpelling(word);
    if (CHARGE_WORDS.has(spelled as IntergiroStatus)) {
      charged = Math.max(charged, minor);
      chargedInAll += minor;
    }
    if (spelled === 'refunded') refunded = minor;
  }
  if (sum > total.minor) return undefined;
  // `capturedAtMost`: where the charged money may stand in several words (part `charged`, part
  // `settled`) and the refunded money beside them, all of it; for a refusal that must not be wrong.
  return { captured: Math.max(charged, refunded), capturedAtMost: chargedInAll + refunded, refunded };
}

/**
 * What a status list of one word says was charged: only a charge word's (`charged`, `paid`...)
 * amount above nothing and below the order's total, or undefined. The order's own amount in its
 * word (`{"charged": 20}`, `{"refunded": 20}`: round eleven's `word-amount`) is the total; below it,
 * the amount can only be money that moved: all of the charge (a list of the words money stands in,
 * `{"charged": 12.34}` after a charge of part of the order), or what is left of it (less than was
 * charged, never more). A `refunded` word alone is not read: an order's amount figured otherwise
 * than the adapter's total (an item's VAT) would read as a refund of it, more than was refunded.
 * Unread, a part charged at Intergiro's back office showed as the whole total, a refund through the
 * gateway of more than was charged was sent, and a capture Intergiro refused was answered CAPTURED
 * (round twelve).
 */
function oneWordFigures([word, amount]: [string, unknown], total: Money): { captured: number; capturedAtMost: number; refunded: number } | undefined {
  if (!CHARGE_WORDS.has(intergiroSpelling(word) as IntergiroStatus)) return undefined;
  const minor = listAmountMinor(amount, total.currency);
  if (minor === undefined || minor <= 0 || minor >= total.minor) return undefined;
  return { captured: minor, capturedAtMost: minor, refunded: 0 };
}

/** One amount of a status list in minor units (its size), 0 for none written (null, "", false), undefined where unreadable. */
function listAmountMinor(amount: unknown, currency: string): number | undefined {
  if (amount === undefined || amount === null || amount === false || (typeof amount === 'string' && amount.trim() === '')) return 0;
  const value = typeof amount === 'number' ? amount : typeof amount === 'string' ? decimalTextValue(amount) : Number.NaN;
  try {
    return Math.abs(fromWireAmount(value, currency).minor);
  } catch {
    return undefined;
  }
}

/** The Info of an order Intergiro calls `refunded` whose answer says of no refund the gateway knows. */
export const REFUND_UNCOUNTED_INFO = 'intergiro.refund_uncounted';

/**
 * An order whose status says money moved that its figures do not show (a callback or listing
 * without events): it is re-read, and the re-read counts with the gateway's own figures. A
 * `refunded` one without a refunded figure is re-read until the order says why (the Info
 * REFUND_UNCOUNTED_INFO: nothing more is to be learnt).
 */
export function figuresBehindStatus(order: Order): boolean {
  if (!['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED'].includes(order.status)) return false;
  const { captured, refunded } = paymentTotals(order);
  const uncounted = order.creation.infos.some((info) => info.code === REFUND_UNCOUNTED_INFO);
  return captured.minor === 0 || (order.providerStatus === 'refunded' && refunded.minor === 0 && !uncounted);
}

/**
 * Which kinds of money move an order read lists as events (`charge`, `refund`): kept on the order
 * (providerData `moneyEvents`) from every read of it, for `showsOperation`.
 */
export interface MoneyEvents {
  charges: boolean;
  refunds: boolean;
}

export function moneyEventsOf(order: IntergiroOrder): MoneyEvents {
  const words = (order.event ?? []).filter((event) => !isFailedEvent(event)).map((event) => eventWord(event.type));
  return { charges: words.includes('charge'), refunds: words.includes('refund') };
}

/**
 * The order's failed charge, where its events show one and no charge that went through (one
 * charge per order: the order was not charged), or, with `seen` (how many failed charges the
 * order's reads listed before), one newer than those; else undefined. A read without events shows none.
 */
export function failedChargeOf(order: IntergiroOrder, seen?: number): IntergiroEvent | undefined {
  // Beside a charge that went through, only a failure newer than the reads before showed is this
  // PATCH's: a charge made at Intergiro itself (its back office, maybe in part) refuses the gateway's.
  if (moneyEventsOf(order).charges && seen === undefined) return undefined;
  const failed = failedEventsOf(order, 'charge');
  return failed.length > (seen ?? 0) ? failed.at(-1) : undefined;
}

/** The order's failed cancel, where its events show one and its word is not `cancelled`; else undefined. */
export function failedCancelOf(order: IntergiroOrder, seen = 0): IntergiroEvent | undefined {
  if (intergiroSpelling(statusWordOf(order)) === 'cancelled') return undefined;
  const failed = failedEventsOf(order, 'cancel');
  return failed.length > seen ? failed.at(-1) : undefined;
}

/**
 * The order's failed refund, where its reads listed how many failed refunds it had before
 * (`seen`: without that count nothing is taken as this PATCH's), it lists more, and the last refund
 * it lists, gone through or not, is one that failed; else undefined. A refund made after it (a
 * failure listed before that `seen` missed, and the gateway's refund that went through after it)
 * says the failure is not this one's.
 */
export function failedRefundOf(order: IntergiroOrder, seen: number | undefined): IntergiroEvent | undefined {
  if (seen === undefined) return undefined;
  const failed = failedEventsOf(order, 'refund');
  if (failed.length <= seen) return undefined;
  const refunds = eventsInOrder(order).filter((event) => eventWord(isFailedEvent(event) ? failedTypeOf(event) : event.type) === 'refund');
  const last = refunds.at(-1);
  return last && isFailedEvent(last) ? last : undefined;
}

/**
 * Whether a read lists events and shows nothing yet of a refund of `amount` (undefined: the rest)
 * sent after the reads that counted `seen`: no more failed refunds than those, and no more refunds
 * that went, or the last that went is of another amount (a refund made at Intergiro itself
 * meanwhile is not this one). False where it cannot tell (no events, nothing counted before).
 */
export function showsNoRefundYet(order: IntergiroOrder, seen: Partial<FailedEvents>, amount: Money | undefined): boolean {
  const counts = failedEventCounts(order);
  if (!counts || seen.refunds === undefined || seen.refundsDone === undefined) return false;
  if (counts.refunds > seen.refunds) return false;
  if (counts.refundsDone <= seen.refundsDone) return true;
  const last = eventsThatWent(order).filter((event) => eventWord(event.type) === 'refund').at(-1);
  if (!amount || last?.items === undefined) return false;
  try {
    return eventMinor(last.items, amount.currency) !== amount.minor;
  } catch {
    return false;
  }
}

/**
 * The order's refunds as listed, oldest first: each one that went through (with its `items`, if
 * any) and each that failed (its `fail` or the refund marked failed), for a read back of several
 * refunds sent in one element (refunds-read-back.ts).
 */
export function refundEventsOf(order: IntergiroOrder): { event: IntergiroEvent; failed: boolean }[] {
  return eventsInOrder(order)
    .map((event) => ({ event, failed: isFailedEvent(event) }))
    .filter(({ event, failed }) => eventWord(failed ? failedTypeOf(event) : event.type) === 'refund');
}

/** The order's failed events of one kind (`charge` also `capture`), as listed. */
function failedEventsOf(order: IntergiroOrder, kind: 'charge' | 'cancel' | 'refund'): IntergiroEvent[] {
  return (order.event ?? []).filter((event) => isFailedEvent(event) && eventWord(failedTypeOf(event)) === kind);
}

/**
 * How many failed charges, cancels and refunds a read lists (none where it lists no events): kept on the
 * order (providerData `failedEvents`) from every read, so that a read back after a PATCH tells a
 * failure of that PATCH from one it had listed before (failedChargeOf's `seen`, echo-read-back.ts).
 */
export interface FailedEvents {
  charges: number;
  cancels: number;
  refunds: number;
  /** And the refunds it lists that went through: a read back that lists neither more of these nor more failed refunds shows nothing of a refund yet. */
  refundsDone: number;
}

export function failedEventCounts(order: IntergiroOrder): FailedEvents | undefined {
  if (!Array.isArray(order.event)) return undefined;
  const refundsDone = eventsThatWent(order).filter((event) => eventWord(event.type) === 'refund').length;
  return { charges: failedEventsOf(order, 'charge').length, cancels: failedEventsOf(order, 'cancel').length, refunds: failedEventsOf(order, 'refund').length, refundsDone };
}

/**
 * Whether Intergiro's reads would show a capture or refund the gateway sent (its answer lost) had
 * it happened. Where they list that kind as events, they do. Where only the status word says it
 * (no seed shows an event), they show the order's first one (the word turns `charged`, `refunded`;
 * knownFigures counts it) but not a later one: the word already said so before. The order's last
 * read decides; an order never read so far is taken as read without events.
 * A first refund shows in the word only where it refunds all that is captured: the seed names the
 * words only in "such as being charged, refunded or canceled", and an Intergiro may keep an order
 * that still holds charged money `charged` after a refund of part of it, `refunded` once all of it
 * is. Taken as shown, such a partial refund whose answer was lost was dropped as not done past
 * the pending bound, and the retry under its key refunded a second time (round twelve); it is kept
 * unshown now (never sent again under its key, the Info `provider.outcome_unshown`), as a later one is.
 */
export function showsOperation(order: Order, operation: PendingOperation): boolean {
  if (operation.type === 'CANCEL') return true;
  const listed = order.providerData.moneyEvents as Partial<MoneyEvents> | undefined;
  const { captured, refunded } = paymentTotals(order);
  if (operation.type === 'CAPTURE') return listed?.charges === true || captured.minor === 0;
  // What the order's refunded figure is once it took effect: all that is captured, or part of it.
  const refundsAll = operation.expect.refunded !== undefined ? operation.expect.refunded >= captured.minor : !operation.amount && !operation.items?.length;
  // Reads that list the charge as an event would list a refund as one too.
  return listed?.refunds === true || listed?.charges === true || (refunded.minor === 0 && refundsAll);
}
