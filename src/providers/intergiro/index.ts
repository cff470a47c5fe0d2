import { badInput, GatewayError, invalidState, mayHaveReachedProvider, providerUnavailable } from '../../domain/errors.js';
import type { Money } from '../../domain/money.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Order } from '../../domain/order.js';
import type { OrderStatus } from '../../domain/status.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import type { ContinueCreationInput, CreateOrderCommand, CreatedOrder, CreationAttempt, ProviderAdapter } from '../../domain/provider-port.js';
import { intergiroCapabilities } from './capabilities.js';
import { applyIntergiroOrderChanges } from './order-changes.js';
import type { CaptureWord } from './capture-word.js';
import type { ReadBack } from './refused-batch.js';
import { IntergiroClient, type CreateResult } from './client.js';
import {
  checkIntergiroOptions,
  isVerificationRequired,
  listedTotals,
  observationOfOrder,
  observationOfVerification,
  rejectionDetails,
  saysNumberTaken,
  toOrderCreatable,
  toResumableCreatable,
  toVerifiedCreatable,
} from './mapping.js';
import { createIntergiroWebhookReader, intergiroWebhookHint } from './webhook.js';
import { intergiroTime, namesZone } from './dates.js';
import { figuresBehindStatus, isPastVerification, knownFigures, NOTHING_MOVED, showsOperation, statusWordOf } from './amounts.js';
import { intergiroSpelling } from './status-words.js';
import { readPastLag } from '../read-lag.js';
import { IntergiroOrder, IntergiroStatus, IntergiroVerificationDetails, type IntergiroError, type IntergiroOrderCreatable } from './wire.js';

export interface IntergiroAdapterOptions {
  url: string;
  apiKey: string;
  callbackSecret?: string;
  callbackJwksUrl?: string;
  /** The gateway's public base URL; callbacks go to `<publicUrl>/webhooks/intergiro`. */
  publicUrl: string;
  /** Bound for each Intergiro call, ms. */
  timeoutMs: number;
}

/**
 * How many days past the last UTC day it wants a listing asks up to: its `end` may be excluded
 * (the seed's example range reads as a month) and its days its own zone's, ahead of UTC.
 */
const LISTING_DAYS_AHEAD = 2;
/**
 * How many days apart a listing's `start` and `end` are at most, the days ahead (LISTING_DAYS_AHEAD)
 * included: the seed's own example range (start=2000-01-01&end=2000-02-01, a month). Without `from`
 * all of them, and never more, however early `from` is. `orders(filter)` answers the whole range
 * from the gateway's own orders; only what Intergiro is asked to list is bounded, as Pei's listing
 * is, so one `orders` field is never a listing of years. Round eight: the days ahead came on top of
 * 31 days before `to`, 33 apart, and an Intergiro that takes no more than its example's month (it
 * "highly recommends" the dates "to optimize behaviour") refused every `orders` query without
 * `from` (400), the whole query failing (PROVIDER_REJECTED) where it named the provider.
 */
const LISTING_DEFAULT_DAYS = 31;
/** A UTC calendar day (YYYY-MM-DD) `days` away from `day`. */
const shiftDay = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** How long before the call an order found for a lost creation may have been made (its clock against ours). */
const LOST_CREATION_WINDOW_MS = 5 * 60 * 1000;
/**
 * How much earlier than it was an order may look made where its `created` names no zone: read as
 * UTC (dates.ts), the wall clock of a zone behind UTC (as far as UTC-12) is that much behind.
 */
const ZONELESS_SLACK_MS = 12 * 60 * 60 * 1000;
/**
 * How long after its call a creation may be missing from the listing though Intergiro made it: a
 * listing served by a read replica lags the writes by a moment. Not found sooner, the listing is
 * asked once more when this has passed (findCreated): after a 500 of Intergiro's own (the gateway
 * takes it as finished with the request) the retry under the same key, made at once, found
 * nothing and created, and charged, a second order.
 */
const LISTING_LAG_MS = 1500;
/** How long re-reads go to the listing alone once `GET /v1/order/{id}` showed it is missing (see readOrder). */
/** How long after its last change an order stopped for 3-D Secure is re-read (a resubmission whose answer was lost). */
const VERIFICATION_READ_MS = 60 * 60 * 1000;
/**
 * How long after its creation a payment link nobody has paid is re-read. The seed shows no expiry
 * for a link (no word, no date): an Intergiro may keep it `created` for ever, and every read is a
 * listing (the seed has no GET by id), every few minutes for as long as the gateway runs. Past
 * this the link is left to its callback, which still moves it (as Pei's unanswered charges are).
 */
export const LINK_WATCH_MS = 7 * 24 * 60 * 60 * 1000;
const SINGLE_READ_RETRY_MS = 10 * 60 * 1000;
/**
 * How long after its creation an order that asked for charge "auto" and is still authorized is
 * re-read. The seed writes `"charge": "auto", // optional` and nothing of when: an Intergiro may
 * authorize at once and charge as a job of its own a moment (or a settlement run) later, answering
 * the creation `ordered`. Only its callback told the charge then: one lost, and the order stayed
 * AUTHORIZED for good, CAPTURED at Intergiro (round eight). Re-read less often as it ages
 * (reconcile-delay.ts); past this it is left to its callback, as an unpaid link is.
 */
const AUTO_CHARGE_WATCH_MS = 7 * 24 * 60 * 60 * 1000;

/** Whether the gateway's creation of the order asked Intergiro to charge it by itself (charge "auto"; createOrder notes it, 3-D Secure step or not). */
function asksAutoCharge(order: Order): boolean {
  return order.providerData['chargeAuto'] === true;
}
/** What an order waiting for its 3-D Secure step may be called while the step is in progress. */
const WAITING: ReadonlySet<OrderStatus> = new Set(['CREATED', 'ACTION_REQUIRED', 'PENDING']);

/** Whether a listed entry (read or not) carries a merchant number other than `number`. */
function carriesOtherNumber(entry: unknown, number: string): boolean {
  const carried = entry && typeof entry === 'object' ? (entry as { number?: unknown }).number : undefined;
  const text = typeof carried === 'number' ? String(carried) : typeof carried === 'string' ? carried.trim() : '';
  return text !== '' && text !== number;
}

/**
 * Whether an order a lost creation's search found is a card (or customer) payment that has not got
 * past its 3-D Secure step (isPastVerification: no word from `ordered` on, nor `denied` or
 * `cancelled`): the creation's answer lost was its "verification required", and Intergiro keeps and
 * lists the order while it waits (round four). Adopted as it read (PENDING, or CREATED, its creation
 * COMPLETED), the buyer was never handed the step and the order never moved (round fifteen). The
 * Error's step details went with the answer: the order stops for the step without them, as the
 * README's assumptions have it for an Error that carries none (the shop's Intergiro component
 * performs the step), and the shop's resubmission completes it under its id ("Include the id from
 * the error response ... for all following calls"). Should Intergiro have been waiting on its
 * acquirer instead, its next word (a read within the hour, or its callback) moves the order on all
 * the same. A payment link waits for its buyer, not for a step.
 */
function waitsForItsStep(order: IntergiroOrder): boolean {
  // Its own word says it waits: an order listed without a word (read as `pending`) may be one whose
  // listing says less, and is re-read as PENDING as before. And nothing has happened to it yet: one
  // listing an event (a `pend`: its acquirer has it, as the sandbox's pending card) is past the step.
  const own = typeof order.status === 'string' ? intergiroSpelling(order.status.trim()) : '';
  const untouched = (order.event ?? []).length === 0;
  const waiting = WAITING_WORDS.has(own) || (own === '' && showsNoEvents(order));
  return order.payment.type?.trim().toLowerCase() !== 'defer' && waiting && untouched && !isPastVerification(order);
}

/**
 * Whether an order listed without a word of its own shows its event list, and it is empty (`[]`,
 * not left out, null or ""): nothing has happened to it, neither an authorization (an `order`
 * event, CONTRACT §8) nor the acquirer holding it (a `pend`), so a card or customer order so
 * listed is waiting for its step as one listed `pending` is (round fifteen's Left, fixed in round
 * seventeen: adopted PENDING, the buyer never shown the step, the order never moved). A listing
 * that leaves the list out says less, and is read as before.
 */
function showsNoEvents(order: IntergiroOrder): boolean {
  return Array.isArray(order.event) && order.event.length === 0;
}
/** The words an order waiting for its 3-D Secure step is kept under (round four): `pending`, `created`. */
const WAITING_WORDS: ReadonlySet<string> = new Set(['pending', 'created']);

/** Intergiro's operations in the gateway's terms (seed intergiro-orders.txt, CONTRACT §7-§8). */
export function createIntergiroAdapter(options: IntergiroAdapterOptions): ProviderAdapter {
  const client = new IntergiroClient({ url: options.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs });
  const callbackUrl = `${options.publicUrl}/webhooks/intergiro`;
  /** The word this Intergiro takes for a capture (order-changes.ts). */
  const captureWord: CaptureWord = { word: 'charge' };

  /** An order, a 3-D Secure step, or PROVIDER_REJECTED: what a create or resubmit answered. */
  function observationOfCreate(result: CreateResult, creatable: IntergiroOrderCreatable, total: Money, type: string): ProviderObservation {
    // Nothing is captured by the gateway before its creation: a charge the answer shows is Intergiro's own (charge: auto).
    if (result.ok) return observationOfOrder(result.order, type, NOTHING_MOVED);
    const error = result.error;
    if (isVerificationRequired(error) && error.id) {
      const details = IntergiroVerificationDetails.safeParse(error.content?.details);
      return observationOfVerification(error.id, details.success ? details.data : undefined, total, creatable, error.content?.details);
    }
    const { message, ...details } = rejectionDetails(error);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }

  /**
   * The order as the seed's `GET /v1/order?start&end` lists it, from the day before its creation
   * (UTC) to two days after. The seed names no zone for its days nor whether `end` counts: an
   * Intergiro counting its own zone's days (Stockholm is ahead of UTC) puts an order made late in a
   * UTC day on the next day, which a range ending (excluded) the day after left out: never found.
   */
  async function listedOrder(id: string, createdAt: string): Promise<IntergiroOrder | null> {
    const day = (offset: number): string => new Date(intergiroTime(createdAt) + offset * 86_400_000).toISOString().slice(0, 10);
    const end = day(LISTING_DAYS_AHEAD);
    const found = await listedIn(id, day(-1), end, intergiroTime(createdAt));
    if (found) return found;
    // Round twenty: a listing that says it holds more than it answered (only `X-Total-Count`, no
    // page this gateway may ask) has not shown the order is not there: no answer, not "not found".
    // Read as not found, the read back of a refund Intergiro refused on an order past its first
    // page let the echo stand, the refund shown done and none made (oldest first as newest first).
    const partial = found === undefined;
    // Round nine: the seed names no date its `start` / `end` select by, and an Intergiro listing what
    // changed in the range (its last event's day) leaves out an order made days ago and changed
    // today. Looked for only around its creation, such an order was never found: a capture of one
    // authorized on Monday, cancelled at Intergiro since, read back on Wednesday, was answered
    // CAPTURED (the read showing nothing, the echo stood); a payment link paid days after it was
    // made, its callback lost, stayed CREATED. The days around today are asked too, once.
    const today = new Date().toISOString().slice(0, 10);
    const recentEnd = shiftDay(today, LISTING_DAYS_AHEAD);
    const recent = end >= recentEnd ? null : await listedIn(id, shiftDay(today, -1), recentEnd, intergiroTime(createdAt));
    if (recent) return recent;
    if (partial || recent === undefined) throw unlistedBeyondPage();
    return null;
  }

  /**
   * The order `id` in the listing of `start` to `end`; null where the listing is whole and does not
   * hold it, undefined where it is not and does not (a page of more that names no page to ask), or
   * where it may be a copy made before the order (`since`, gateway clock; round twenty-two: a cache
   * in front answers one with its `Age`, client.ts listOrderPages asOf). Read as "not there", the
   * read back of a capture of an order cancelled at Intergiro found nothing in such a copy, the echo
   * stood, and the order was CAPTURED with nothing charged.
   */
  async function listedIn(id: string, start: string, end: string, since: number): Promise<IntergiroOrder | null | undefined> {
    const { entries, complete, asOf } = await client.listOrderPages({ start, end });
    const orders = readEachEntry('INTERGIRO', entries, (entry) => IntergiroOrder.parse(entry));
    return orders.find((candidate) => candidate.id === id) ?? (complete && !(asOf < since) ? null : undefined);
  }

  /** A read whose listing did not show all of the range, the order not among what it showed: no answer. */
  function unlistedBeyondPage(): GatewayError {
    return providerUnavailable('Intergiro', new Error('the listing holds more orders than it answered, and the order is not among them'));
  }

  /**
   * Until when (epoch ms) re-reads skip `GET /v1/order/{id}`: once it found nothing where the
   * seed's listing then found the order, this Intergiro lacks it (it is its public API, not the
   * seed's), and asking it first only doubled every re-read. It is tried again after a while.
   */
  let singleReadMissingUntil = 0;

  /** One order as Intergiro has it now: `GET /v1/order/{id}`, else (or while it is missing) the listing. */
  async function readOrder(id: string, createdAt: string): Promise<IntergiroOrder | null> {
    if (Date.now() < singleReadMissingUntil) return listedOrder(id, createdAt);
    const direct = await client.getOrder(id);
    if (direct) return direct;
    const listed = await listedOrder(id, createdAt);
    if (listed) singleReadMissingUntil = Date.now() + SINGLE_READ_RETRY_MS;
    return listed;
  }

  /** A read of an order the gateway knows: an answer that says money moved without saying how much is read with what it knows. */
  function factOfRead(order: Order, found: IntergiroOrder): ProviderObservation {
    const word = IntergiroStatus.safeParse(intergiroSpelling(statusWordOf(found)));
    return observationOfOrder(found, 'provider_update', word.success ? knownFigures(order, word.data, found) : undefined);
  }

  /** The order right after a PATCH whose answer did not say what became of it (refused-batch.ts, echo-read-back.ts). */
  async function readBack(order: Order): Promise<ReadBack | null> {
    if (!order.providerOrderId) return null;
    const found = await readOrder(order.providerOrderId, order.createdAt);
    return found && found.id === order.providerOrderId ? { order: found, fact: factOfRead(order, found) } : null;
  }

  /**
   * The order a lost creation made: the seed's listing of the days since shortly before the call,
   * by the `number` sent (the client's reference, or the gateway's order id), currency and total.
   */
  async function findCreated(attempt: CreationAttempt): Promise<CreatedOrder | null> {
    const found = await findListed(attempt);
    // Not listed (yet): asked once more once a listing that lags its writes must show it (LISTING_LAG_MS).
    const wait = attempt.since.getTime() + LISTING_LAG_MS - Date.now();
    if (found || wait <= 0) return found;
    await new Promise((resolve) => setTimeout(resolve, wait));
    return findListed(attempt);
  }

  /** findCreated's one look at the listing. */
  async function findListed(attempt: CreationAttempt): Promise<CreatedOrder | null> {
    const { total } = attempt;
    if (!total) return null; // every Intergiro creation has one (validateCreate)
    const number = attempt.reference ?? attempt.orderId;
    const earliest = attempt.since.getTime() - LOST_CREATION_WINDOW_MS;
    // Sent as the gateway's own order id, the number is this creation's alone: an order carrying it
    // is the one made whatever its `created` says. The seed shows no value for "<datetime of order>":
    // an Intergiro writing its own zone's wall clock without a zone, behind UTC, has every order look
    // made hours before it was, and the one made was left out as too old (round six: the retry
    // created, and charged, a second order). A client's reference may be reused: the window stands,
    // widened by any zone's offset where `created` names no zone (ZONELESS_SLACK_MS).
    const ownNumber = !attempt.reference;
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    // From the day before (its days may be those of a zone behind UTC) to two days ahead (UTC): an
    // Intergiro counting its own zone's days, `end` excluded (see listedOrder).
    const { entries, complete, asOf } = await client.listOrderPages({ start: day(earliest - 86_400_000), end: day(Date.now() + LISTING_DAYS_AHEAD * 86_400_000) });
    // An entry that cannot be read may be the order made, unless the number it carries is another's.
    const unreadableMayBeOurs = entries.some((entry) => !IntergiroOrder.safeParse(entry).success && !carriesOtherNumber(entry, number));
    const alike = readEachEntry('INTERGIRO', entries, (entry) => IntergiroOrder.parse(entry)).filter((order) => {
      if (order.currency !== total.currency) return false;
      const listed = listedTotals(order).total;
      const created = intergiroTime(order.created);
      const zoneless = !namesZone(order.created);
      const since = zoneless ? earliest - ZONELESS_SLACK_MS : earliest;
      return listed.minor === total.minor && (Number.isNaN(created) || created >= since || (ownNumber && order.number === number));
    });
    const matches = alike.filter((order) => order.number === number);
    const [only, ...others] = [...new Map(matches.map((order) => [order.id, order])).values()];
    if (others.length) throw providerUnavailable('Intergiro', new Error('several orders match a lost creation'));
    // Only the verify answer of the seed shows `number`: a listing without it cannot say that an
    // order of this amount is not the one made, so it is not "surely absent" (a second creation may charge twice).
    if (!only && alike.some((order) => order.number === undefined)) throw providerUnavailable('Intergiro', new Error('orders without a number may be a lost creation'));
    // Skipped as unreadable, it was "surely absent" before, and the retry created (and charged) a second order.
    if (!only && unreadableMayBeOurs) throw providerUnavailable('Intergiro', new Error('an order the listing carries unreadably may be a lost creation'));
    // A listing that says it is one page of more, the rest not asked (listing-pages.ts): the order
    // made may be on a page not read. Read as "surely absent", the retry created (and charged) a
    // second order (round thirteen).
    if (!only && !complete) throw providerUnavailable('Intergiro', new Error('the listing holds more orders than it answered: a lost creation may be among them'));
    // Round twenty-two: a copy a cache in front answered (its `Age`), made before this creation was
    // first sent, cannot show the order made. Read as fresh, the gateway's sweep found a creation
    // Intergiro had made and charged (its answer a 500) "surely absent", dropped the intent, and
    // the retry made, and charged, a second order (client.ts listOrderPages asOf).
    if (!only && asOf < attempt.since.getTime()) throw providerUnavailable('Intergiro', new Error('the listing answered is a copy older than the creation: a lost creation may be missing from it'));
    if (!only) return null;
    const observation = waitsForItsStep(only) ? foundWaiting(only, number, { ...attempt, total }) : observationOfOrder(only, 'created', NOTHING_MOVED);
    return { providerOrderId: only.id, ...(attempt.reference ? { reference: attempt.reference } : {}), total, items: attempt.items, observation };
  }

  /** A lost creation's order found waiting for its 3-D Secure step (waitsForItsStep): stopped for it, as its lost answer would have. */
  function foundWaiting(found: IntergiroOrder, number: string, attempt: CreationAttempt & { total: Money }): ProviderObservation {
    const asked = attempt.lookup['chargeAuto'];
    const creatable = toResumableCreatable(found, number, attempt.items, attempt.total, callbackUrl, typeof asked === 'boolean' ? asked : undefined);
    const stopped = observationOfVerification(found.id, undefined, attempt.total, creatable);
    // Kept on the order as createOrder keeps it: an authorized order that asked for charge "auto" is still due a charge.
    const providerData = creatable.charge === 'auto' ? { ...stopped.providerData, chargeAuto: true } : stopped.providerData;
    return { ...stopped, key: `intergiro:${found.id}:verification:found`, providerData };
  }

  /**
   * A creation refused because its `number` is already an order's (saysNumberTaken), where that
   * number is the gateway's own order id (sent when the client gives no reference): only an earlier
   * attempt of this same creation can have made that order. It happens to a retry under the same
   * key whose first attempt Intergiro carried out and answered with its own 500 where the listing
   * did not show the order yet (lost-creation.ts then finds it "surely absent"). Answered as a
   * refusal, the creation was dropped as having made nothing, while Intergiro held the order (and,
   * with charge "auto", had charged it): the money moved and no order showed it (round eight). The
   * order named is read (once more LISTING_LAG_MS later if not found: a listing that lags); shown
   * under this number, it is the order made. Not shown, the outcome is unknown
   * (PROVIDER_UNAVAILABLE: the creation's intent stays, and the next retry or the sweep finds it).
   * Shown under another number, the refusal is Intergiro's word, as before.
   */
  async function madeBefore(error: IntergiroError, creatable: IntergiroOrderCreatable, total: Money): Promise<ProviderObservation> {
    const id = error.id ?? '';
    const now = new Date().toISOString();
    const found = await readPastLag(() => readOrder(id, now).catch(() => null), (order) => order === null, [LISTING_LAG_MS]);
    if (!found || found.id !== id) throw providerUnavailable('Intergiro', new Error('the order Intergiro names for this creation\'s number cannot be read yet'));
    if (found.number === creatable.number && found.currency === total.currency && listedTotals(found).total.minor === total.minor) {
      return observationOfOrder(found, 'created', NOTHING_MOVED);
    }
    const { message, ...details } = rejectionDetails(error);
    throw new GatewayError('PROVIDER_REJECTED', message, details);
  }

  /**
   * The order an earlier resubmission made, where Intergiro shows one past its 3-D Secure step
   * (isPastVerification); else null. A failed read is null too: the caller's own error stands.
   */
  async function madeOfVerification(order: Order): Promise<ProviderObservation | null> {
    if (!order.providerOrderId) return null;
    const found = await readOrder(order.providerOrderId, order.createdAt).catch(() => null);
    return found && found.id === order.providerOrderId && isPastVerification(found) ? observationOfOrder(found, 'verified', NOTHING_MOVED) : null;
  }

  return {
    provider: 'INTERGIRO',
    capabilities: intergiroCapabilities,

    validateCreate(command) {
      checkIntergiroOptions(command);
    },

    chargesWithoutBuyer(command) {
      const options = checkIntergiroOptions(command);
      // The seed's "Merchant initiated order for an existing customer": no 3-D Secure, no customer.
      if (options.paymentType === 'CUSTOMER') return { field: 'input.intergiro.paymentType', what: "A CUSTOMER payment (the customer's saved card, charged by the merchant)" };
      // A saved card the cardholder uses goes through 3-D Secure (the seed); the merchant's does not.
      if (options.subsequent && options.subsequent.initiator !== 'cardholder') return { field: 'input.intergiro.subsequent.initiator', what: 'A saved-card payment the merchant initiates' };
      return undefined;
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const creatable = toOrderCreatable(command, checkIntergiroOptions(command), callbackUrl);
      const total = command.total;
      if (!total) throw new Error('checked by validateCreate');
      const result = await client.createOrder(creatable);
      const answered =
        !result.ok && !command.reference && saysNumberTaken(result.error)
          ? await madeBefore(result.error, creatable, total)
          : observationOfCreate(result, creatable, total, 'created');
      // Kept on the order: an authorized order that asked for charge "auto" is still due a charge (needsReconciliation).
      const observation = creatable.charge === 'auto' ? { ...answered, providerData: { ...answered.providerData, chargeAuto: true } } : answered;
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.reference ? { reference: command.reference } : {}),
        total,
        items: command.items,
        observation,
      };
    },

    async continueOrderCreation(order: Order, input: ContinueCreationInput): Promise<ProviderObservation> {
      if (input.returnUrls || input.redirectResult) {
        throw badInput('input', 'An Intergiro order is continued with threeDS only');
      }
      if (input.threeDS === undefined || input.threeDS === null || typeof input.threeDS !== 'object' || Array.isArray(input.threeDS)) {
        throw badInput('input.threeDS', 'The 3-D Secure result object is required');
      }
      const creatable = order.providerData.creatable as IntergiroOrderCreatable | undefined;
      if (order.creation.stopAction?.type !== 'THREE_DS' || !creatable || !order.providerOrderId) {
        throw invalidState('The order is not waiting for 3-D Secure');
      }
      const resubmitted = toVerifiedCreatable(creatable, order.providerOrderId, input.threeDS as Record<string, unknown>);
      let result: CreateResult;
      try {
        result = await client.createOrder(resubmitted);
      } catch (error) {
        // Carried out and its answer lost (a reset, a 5xx): what Intergiro made of the order is read.
        const made = mayHaveReachedProvider(error) ? await madeOfVerification(order) : null;
        if (made) return made;
        throw error;
      }
      if (!result.ok && !isVerificationRequired(result.error)) {
        // A retry after a lost answer: Intergiro may refuse the id it already completed ("unknown id").
        const made = await madeOfVerification(order);
        if (made) return made;
      }
      if (result.ok && result.order.id !== order.providerOrderId) {
        // Intergiro must keep the id it gave; an answer about another order is not believable.
        throw providerUnavailable('Intergiro', new Error('resubmission answered with another order id'));
      }
      return observationOfCreate(result, creatable, order.total, 'verified');
    },

    findCreated,

    // Whether the creation asked for charge "auto", for a creation found waiting for its 3-D Secure step (foundWaiting).
    creationLookup: (command) => ({ chargeAuto: checkIntergiroOptions(command).charge === true }),

    applyOrderChanges: (requests) => applyIntergiroOrderChanges(client, requests, captureWord, readBack),

    showsOperation,

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      // Stopped for 3-D Secure: only an order past the step says anything (a resubmission whose answer was lost).
      if (order.creation.stopAction?.type === 'THREE_DS') return madeOfVerification(order);
      // GET /v1/order/{id} is Intergiro's public API but not in the seed: where it answers 404 (or
      // 405 / 501: no such endpoint) the order is looked up in the seed's listing of the days
      // around its creation instead.
      const found = await readOrder(order.providerOrderId, order.createdAt);
      return found ? factOfRead(order, found) : null;
    },

    needsReconciliation(order: Order): boolean {
      // Waiting on the buyer (a payment link) or on the acquirer (pending): a lost callback must
      // not leave the order stuck. And an order whose status says money moved that its figures do
      // not show yet (an answer without events). A 3-D Secure step waits on our own client, but for
      // an hour after its last change it is read too: a resubmission Intergiro carried out whose
      // answer was lost (and no callback came) left it ACTION_REQUIRED with its money reserved;
      // only a read past the step counts (fetchOrder).
      // A payment link is watched for LINK_WATCH_MS after its creation, then left to its callback.
      const verifying = order.creation.stopAction?.type === 'THREE_DS' && Date.now() - Date.parse(order.updatedAt) < VERIFICATION_READ_MS;
      const linkWatched = order.status === 'CREATED' && !(Date.now() - Date.parse(order.createdAt) >= LINK_WATCH_MS);
      const chargeDue = order.status === 'AUTHORIZED' && asksAutoCharge(order) && Date.now() - Date.parse(order.createdAt) < AUTO_CHARGE_WATCH_MS;
      return Boolean(order.providerOrderId) && (linkWatched || order.status === 'PENDING' || verifying || chargeDue || figuresBehindStatus(order));
    },

    async listOrders(filter) {
      // The seed's example range (start=2000-01-01&end=2000-02-01, a month) reads as `end` not
      // included, and its days may be its own zone's (see listedOrder): ask up to two days after
      // `to`, and keep what was created by the end of `to` (UTC).
      // Both dates always go: the seed "highly recommends" them, and an Intergiro may refuse a
      // listing without them (400), which failed the whole `orders` query. A filter without them
      // asks for LISTING_DEFAULT_DAYS up to two days past today (or `to`, or from `from`); an
      // earlier `from` for those days alone.
      const today = new Date().toISOString().slice(0, 10);
      const last = filter.to ?? (filter.from && filter.from > today ? filter.from : today);
      const earliest = shiftDay(last, LISTING_DAYS_AHEAD - LISTING_DEFAULT_DAYS);
      const orders = await client.listOrders({
        start: filter.from && filter.from > earliest ? filter.from : earliest,
        end: shiftDay(last, LISTING_DAYS_AHEAD),
      });
      const listed = readEachEntry('INTERGIRO', orders, (entry) => {
        const order = IntergiroOrder.parse(entry);
        const created = new Date(intergiroTime(order.created));
        if (Number.isNaN(created.getTime())) throw new RangeError('created is not a date');
        const observation = observationOfOrder(order);
        return {
          providerOrderId: order.id,
          ...(order.number ? { reference: order.number } : {}),
          ...listedTotals(order),
          createdAt: created.toISOString(),
          status: observation.status,
          observation,
        };
      });
      return filter.to ? listed.filter((order) => order.createdAt.slice(0, 10) <= (filter.to ?? '')) : listed;
    },

    /**
     * An order stopped for 3-D Secure that the listing shows no further than waiting (CREATED,
     * ACTION_REQUIRED, PENDING, or a word the gateway does not know): its shopper is performing the
     * step, and only an outcome past it (or the resubmission, continueOrderCreation) moves it.
     * Intergiro lists an order waiting for its step (the Error that stopped it carried its id)
     * under a word of its own, `pending` among them: recorded, that moved the order to PENDING and
     * dropped its step, and the shop's resubmission was refused (INVALID_STATE). Re-reads and
     * callbacks go the same way (fetchOrder, the webhook reader).
     */
    refreshesFromListing(known, entry) {
      if (known.creation.stopAction?.type !== 'THREE_DS') return true;
      return entry.observation.status !== null && !WAITING.has(entry.observation.status);
    },

    // A token past its `exp` makes the gateway read Intergiro: bounded like an unsigned hint.
    webhookHint: (request) => intergiroWebhookHint(request),

    // The signed order as application/jwt; an operation's failure as a JSON Error.
    readWebhook: createIntergiroWebhookReader({
      client,
      // As fetchOrder reads it; without `created` there is no listing day to look in.
      readOrder: async (id, created) =>
        created && !Number.isNaN(intergiroTime(created)) ? readOrder(id, created) : client.getOrder(id),
      ...(options.callbackSecret ? { callbackSecret: options.callbackSecret } : {}),
      ...(options.callbackJwksUrl ? { callbackJwksUrl: options.callbackJwksUrl } : {}),
    }),
  };
}
