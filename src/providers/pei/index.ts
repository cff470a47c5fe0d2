import { postbackKey, signedPostbackUrl } from './postback-url.js';
import type { PeiConfig } from '../../config.js';
import type { ProviderObservation } from '../../domain/observation.js';
import type { Money } from '../../domain/money.js';
import type { Order } from '../../domain/order.js';
import type { CreatedOrder, CreateOrderCommand, CreationAttempt, CreationLookup, ListedOrder, ProviderAdapter, ProviderListFilter } from '../../domain/provider-port.js';
import type { AdapterContext } from '../context.js';
import { peiCapabilities } from './capabilities.js';
import { PeiClient } from './client.js';
import {
  checkoutPageOf,
  checkPeiCreate,
  DEFAULT_EXPIRY_MS,
  EXPIRY_GRACE_MS,
  lineItemsOf,
  listingDays,
  observationOfOrder,
  observationOfCharging,
  observationOfPaid,
  observationOfSubmitted,
  observationOfUnshown,
  postbackNotesOf,
  PURCHASE_FOR_BUYER,
  toOrderRequest,
  toPayRequest,
  totalOf,
  sentExpiryOf,
  withExpiry,
  type PeiReadContext,
} from './mapping.js';
import { findSubmitted, sendOrFind } from './lost-answer.js';
import { sendFitting } from './reference-width.js';
import { peiAnsweredOrders } from './answered-orders.js';
import { peiSubmittedTotals } from './submitted-totals.js';
import { peiHeldBefore } from './held-before.js';
import { createPeiWebhookHint, createPeiWebhookReader } from './webhook.js';
import { PeiOrder } from './order-shape.js';
import { PeiStatusWord } from './status-words.js';
import type { PeiPaid } from './wire.js';
import { GatewayError, providerUnavailable } from '../../domain/errors.js';
import { readEachEntry } from '../../domain/provider-oddities.js';
import { findListed, listingDaysOf, readWhileUnshown } from './read-back.js';

export interface PeiAdapterOptions {
  /** Injectable clock (expiry, default expiration date, "today" for listings, polling bounds). Default the system clock. */
  now?: () => Date;
  /** How long past its expirationDate a Pending order is still CREATED. Default EXPIRY_GRACE_MS (2 minutes). */
  expiryGraceMs?: number;
}

/**
 * How long a Recurring order still Pending at Pei is re-read. Pei does not say when it charges a
 * mandate (the sandbox does within a second); a charge that has not happened in three days is not
 * waited for every interval any more. Its postback, should it come, still moves the order.
 */
export const RECURRING_WATCH_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * How long an order Pei shows with a status word the gateway does not know (so it keeps its
 * status, CONTRACT §7) is still re-read after its last change. Without a bound such an order
 * would be read every interval for ever: its status, being kept, never becomes final. Its
 * postback, should one come, still moves it, and so does a listing.
 */
export const UNKNOWN_WORD_WATCH_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * How long after a charge's call (Orders/Pay, a Recurring submit) Pei's listing not showing it
 * still leaves its outcome unknown rather than absent (findCreated): the seed says nothing of how
 * fresh "Get orders by date" is. A retry of a charge Pei never made waits this long.
 */
export const LISTING_LAG_MS = 2 * 60 * 1000;

/** Pei's operations in the gateway's terms (seed pei-orders.txt, CONTRACT §7-§8). */
export function createPeiAdapter(config: PeiConfig, context: AdapterContext, options: PeiAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? (() => new Date());
  const client = new PeiClient({
    url: config.url,
    tokenUrl: config.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    timeoutMs: context.timeoutMs,
    kv: context.kv,
  });
  const merchantId = Number(config.merchantId);
  const postbackUrl = `${context.publicUrl}/webhooks/pei`;
  const postbacks = postbackKey(config.clientSecret);
  const checkoutUrl = config.checkoutUrl.replace(/\/$/, '');
  const expiryGraceMs = options.expiryGraceMs ?? EXPIRY_GRACE_MS;
  const reading = (purchaseForBuyer = false): PeiReadContext => ({ now: now(), expiryGraceMs, checkoutUrl, ...(purchaseForBuyer ? { purchaseForBuyer } : {}) });
  const lostAnswerSearch = { client, merchantId, now };
  /** Which gateway order each Pei order was answered for (a Pei idempotent by Reference answers an old one: answered-orders.ts). */
  const answered = peiAnsweredOrders(context.kv);
  /**
   * What each Pei order was submitted with (submitted-totals.ts), for the reads that do not start
   * from the stored order (the postback's re-read, the listing): noted as soon as Pei's id is known,
   * since a charge's postback may come before createOrder has answered.
   */
  const totals = peiSubmittedTotals(context.kv);
  const heldBefore = peiHeldBefore(context.kv);
  // One after the other: a claim refused (a Pei idempotent by Reference answered another gateway
  // order's Pei order, submitted with its own total) must not note this create's total for it.
  const claim = async (peiOrderId: string, orderId: string, total: Money) => {
    await answered.claim(peiOrderId, orderId);
    await totals.note(peiOrderId, total.minor);
  };
  /** How a read of one of the gateway's orders is judged: as made (Orders/Pay or not), with the expiry it was submitted with. */
  const readingOf = (order: Order): PeiReadContext => {
    const sentExpiry = sentExpiryOf(order);
    const checkoutPage = checkoutPageOf(order);
    return {
      ...reading(order.providerData[PURCHASE_FOR_BUYER] === true),
      ...(sentExpiry ? { sentExpiry } : {}),
      ...(checkoutPage ? { checkoutPage } : {}),
      ...postbackNotesOf(order),
    };
  };
  /** What Pei listed for each entry listOrders answered, so refreshesFromListing can judge it as the known order's own read. */
  const listedReads = new WeakMap<ListedOrder, PeiOrder>();

  /**
   * Orders/Pay's answer. With a purchase id and Pei's word for confirmed beside it, the order is
   * confirmed. Else it is read back to learn where it stands: a purchase id without a word may be
   * the id of a charge attempt Pei declined (a read then says `Declined`), so it alone does not
   * make the order CAPTURED while a read can say otherwise (one more call per purchase; before, it
   * did, and a declined purchase stayed CAPTURED). If the read cannot say (no status word, no
   * purchase: the seed's Order fields only; or not shown), the answer's own word decides, then its
   * purchase id, then the answer alone: confirmed, unless Pei answered 202 Accepted (taken, not
   * done: still charging).
   */
  async function paidObservation(paid: PeiPaid & { accepted: boolean }, total: Money): Promise<ProviderObservation> {
    const said = paid.status == null ? undefined : PeiOrder.safeParse({ orderId: paid.orderId, amount: total.minor, status: paid.status, purchaseId: paid.purchaseId });
    const word = said?.success && said.data.statusWritten ? said.data : undefined;
    const purchased = !paid.accepted && paid.purchaseId != null && (word === undefined || word.status === 'Confirmed');
    if (purchased && word !== undefined) return observationOfPaid(paid, total, checkoutUrl);
    // Pei made it a moment ago: a read that does not show it yet may lag the write (readWhileUnshown),
    // also where the answer names its purchase (round six): that id may be a declined attempt's, and
    // read once, a read 400 ms behind left the answer alone to decide, CAPTURED. A Pei whose Get
    // order answers 404 for every id costs the waits (1.75 s) here too; one answering 405 none.
    const read = await readWhileUnshown(client, paid.orderId, total.minor).catch(() => null);
    // The buyer may be charged: never fail now. A later postback (it carries the purchase) fills it in.
    const says = read !== null && (read.statusWritten || read.purchaseId != null);
    if (says) {
      // A read that says Confirmed without the purchase keeps the answer's.
      const withPurchase = read.status === 'Confirmed' && read.purchaseId == null && paid.purchaseId != null ? { ...read, purchaseId: paid.purchaseId } : read;
      return observationOfOrder(withPurchase, reading(true));
    }
    if (word) return observationOfOrder(word, reading(true));
    // 202 Accepted: Pei took the purchase and charges the buyer in the background, where the charge
    // may yet be declined. Nothing said it is done: Pei is charging (PENDING) until a read or its
    // postback (to the URL the gateway signed) says confirmed. Before, such a purchase was
    // CAPTURED at once, and stayed so when Pei declined the card.
    return paid.accepted ? observationOfCharging(paid, total, checkoutUrl) : observationOfPaid(paid, total, checkoutUrl);
  }

  return {
    provider: 'PEI',
    capabilities: peiCapabilities,

    validateCreate(command) {
      checkPeiCreate(command, now());
    },

    chargesWithoutBuyer(command) {
      const plan = checkPeiCreate(command, now());
      if (plan.kind === 'pay') return { field: 'input.pei.purchaseForBuyer', what: "A purchase for a buyer (by their national id)" };
      if (plan.sequenceType === 'Recurring' && plan.mandateId) return { field: 'input.pei.mandateId', what: "A RECURRING order on a buyer's mandate", mandateId: plan.mandateId };
      return undefined;
    },

    async createOrder(command: CreateOrderCommand): Promise<CreatedOrder> {
      const plan = checkPeiCreate(command, now());
      const total = command.total;
      if (!total) throw new Error('checked by validateCreate');
      const requestContext = { merchantId, postbackUrl: signedPostbackUrl(postbackUrl, postbacks, command.orderId), now: now() };
      // Every submit carries a reference (the gateway's order id when the client gave none), so a lost answer can be found.
      const reference = command.reference ?? command.orderId;
      // Round thirteen: a Pei refusing the gateway's own reference for its length is sent it fitted (reference-width.ts).
      const ownReference = command.reference == null;
      let observation: ProviderObservation;
      // Round twenty-five: a charge without the buyer may be posted back before Pei answers (its id
      // unknown yet): noted by the gateway order its signed postback URL names (submitted-totals.ts).
      if (plan.kind === 'pay' || plan.sequenceType === 'Recurring') await totals.noteForOrder(command.orderId, total.minor);
      if (plan.kind === 'pay') {
        const request = { ...toPayRequest(command, plan, requestContext), reference };
        const outcome = await sendOrFind(lostAnswerSearch, () => sendFitting(request, (fitted) => client.payForBuyer(fitted), ownReference), {
          reference,
          amount: request.amount,
          // Orders/Pay sends neither: whatever Pei shows for them is alike.
          sequenceType: undefined,
          mandateId: undefined,
          clientReference: command.reference != null,
        }, (held) => heldBefore.note(command.orderId, held));
        await claim('found' in outcome ? outcome.found.orderId : outcome.answer.orderId, command.orderId, total);
        observation = 'found' in outcome ? observationOfOrder(outcome.found, reading(true)) : await paidObservation(outcome.answer, total);
      } else if (plan.sequenceType === 'Recurring') {
        const request = { ...toOrderRequest(command, plan, requestContext), reference };
        const outcome = await sendOrFind(lostAnswerSearch, () => sendFitting(request, (fitted) => client.submitOrder(fitted), ownReference), {
          reference,
          amount: request.amount,
          sequenceType: 'Recurring',
          mandateId: request.mandateId,
          clientReference: command.reference != null,
          expiresAt: new Date(request.expirationDate),
        }, (held) => heldBefore.note(command.orderId, held));
        await claim('found' in outcome ? outcome.found.orderId : outcome.answer.orderId, command.orderId, total);
        observation = 'found' in outcome ? observationOfOrder(outcome.found, reading()) : observationOfSubmitted(outcome.answer, total, plan, checkoutUrl);
      } else {
        const request = { ...toOrderRequest(command, plan, requestContext), reference };
        const submitted = await sendFitting(request, (fitted) => client.submitOrder(fitted), ownReference);
        await claim(submitted.orderId, command.orderId, total);
        observation = withExpiry(observationOfSubmitted(submitted, total, plan, checkoutUrl), request.expirationDate);
      }
      return {
        ...(observation.providerOrderId ? { providerOrderId: observation.providerOrderId } : {}),
        ...(command.reference ? { reference: command.reference } : {}),
        total,
        items: command.items,
        observation,
      };
    },

    creationLookup(command): CreationLookup {
      const plan = checkPeiCreate(command, now());
      return plan.kind === 'pay'
        ? { sequenceType: 'OneOff', mandateId: null, [PURCHASE_FOR_BUYER]: true }
        : // The ExpirationDate the client chose (else Pei's default, a day on): a Pei may list the order under its day.
          { sequenceType: plan.sequenceType, mandateId: plan.mandateId ?? null, expiresAt: command.expiresAt ?? null };
    },

    async findCreated(attempt: CreationAttempt): Promise<CreatedOrder | null> {
      const { total } = attempt;
      if (!total) return null; // every Pei creation has a total (its items)
      const wanted = {
        reference: attempt.reference ?? attempt.orderId,
        amount: total.minor,
        ...(attempt.lookup[PURCHASE_FOR_BUYER] === true
          ? // Orders/Pay sends neither: whatever Pei shows for them is alike.
            { sequenceType: undefined, mandateId: undefined }
          : {
              sequenceType: String(attempt.lookup.sequenceType ?? 'OneOff') as PeiOrder['sequenceType'],
              mandateId: typeof attempt.lookup.mandateId === 'string' ? attempt.lookup.mandateId : null,
            }),
        // An earlier order under a reused reference is told apart by the gateway's store (lost-creation.ts).
        clientReference: attempt.reference != null,
        expiresAt: typeof attempt.lookup.expiresAt === 'string' ? new Date(attempt.lookup.expiresAt) : null,
      };
      // Under a client's reference, what Pei held before the charge was sent rules out an earlier
      // purchase under it, whatever Pei's clock says (held-before.ts); else the order is placed in time.
      const held = wanted.clientReference ? await heldBefore.of(attempt.orderId) : undefined;
      const listed = await findSubmitted(lostAnswerSearch, wanted, attempt.since, held);
      // An order another of the gateway's creations was answered with is that one's, not this one's (answered-orders.ts).
      const found = listed && !(await answered.heldByAnother(listed.orderId, attempt.orderId)) ? listed : null;
      if (found) await claim(found.orderId, attempt.orderId, total);
      const purchaseForBuyer = attempt.lookup[PURCHASE_FOR_BUYER] === true;
      if (!found) {
        // A charge (Orders/Pay, a Recurring submit) Pei made may not be in its listing yet: a day's
        // report built from a replica or cached a while lags the create, maybe longer than the
        // gateway's own call takes to settle. "Not there" would have the retry (or the sweep,
        // dropping the intent) charge the buyer again, so it counts only LISTING_LAG_MS after
        // the call. An order the buyer still has to confirm moves no money by being made twice.
        const charges = purchaseForBuyer || wanted.sequenceType === 'Recurring';
        if (charges && now().getTime() - attempt.since.getTime() < LISTING_LAG_MS) {
          throw providerUnavailable('Pei', new Error('a charge Pei made may not be listed yet'));
        }
        return null;
      }
      // What the submit sent: the client's ExpirationDate, else the default createOrder computed a
      // moment after `since` (a day on). Orders/Pay sends none.
      const sentExpiry = purchaseForBuyer ? undefined : (wanted.expiresAt ?? new Date(attempt.since.getTime() + DEFAULT_EXPIRY_MS));
      return {
        providerOrderId: found.orderId,
        ...(attempt.reference ? { reference: attempt.reference } : {}),
        total,
        items: attempt.items,
        observation: withSentExpiry(observationOfOrder(found, { ...reading(purchaseForBuyer), ...(sentExpiry ? { sentExpiry } : {}) }), sentExpiry),
      };
    },

    async fetchOrder(order: Order): Promise<ProviderObservation | null> {
      if (!order.providerOrderId) return null;
      const context = readingOf(order);
      const found = await client.getOrder(order.providerOrderId, order.total.minor).catch((error: unknown) => {
        // Pei refusing to read an order it made (a 403, a 405: a Pei without Get order) is no
        // answer, and never an error for the gateway's own read of it (order(id) re-reads a waiting order).
        if (error instanceof GatewayError && error.code === 'PROVIDER_REJECTED') return null;
        throw error;
      });
      if (found) return observationOfOrder(found, context);
      // A charge under way (PENDING: a Recurring submit, an Orders/Pay) that Pei's read does not
      // show: at a Pei without Get order (404 for every id) its listing is the only place the
      // charge can be seen, and its postback cannot be checked against a read, so is refused.
      // Judged as a read of it would be (a listing's Pending leaves it PENDING; nothing expires a
      // charge by its date). Round seven: before, such a charge Pei had made stayed PENDING, re-read
      // for three days and then left, while the buyer or the mandate had paid.
      if (order.status === 'PENDING') {
        const listed = await findListed(client, merchantId, order.providerOrderId, listingDaysOf(order, now()), order.total.minor);
        return listed ? observationOfOrder(listed, context) : null;
      }
      // Not shown by its read. Until the order is past its expiry that is no news (a read that lags
      // the submit). Past it, Pei's listing decides: a Pei without Get order (404 or 405 for every
      // id) still lists a confirmed order, and only one neither shows is expired.
      const expired = observationOfUnshown(order, context);
      if (!expired) return null;
      const listed = await findListed(client, merchantId, order.providerOrderId, listingDaysOf(order, now()), order.total.minor);
      if (listed === undefined) return null;
      const observation = listed ? observationOfOrder(listed, context) : expired;
      // EXPIRED is final, and here the listing alone says "unpaid" (no entry, or one still Pending
      // past its date): the seed says nothing of how fresh "Get orders by date" is, and a day's
      // report built before the buyer paid (cached a while) shows the order unpaid, or, listing
      // confirmed orders only, not at all. Round seven: before, such a report made an order the
      // buyer had paid EXPIRED at a Pei without Get order. Only Pei's own `Expired`, or the
      // listing once LISTING_LAG_MS past the expiry's grace (a report built since then would show
      // a payment made in time), ends the order; until then it waits.
      const saidExpired = listed?.status === 'Expired';
      const expiresAt = (sentExpiryOf(order)?.getTime() ?? 0) + (context.expiryGraceMs ?? EXPIRY_GRACE_MS);
      if (observation.status === 'EXPIRED' && !saidExpired && now().getTime() < expiresAt + LISTING_LAG_MS) return null;
      return observation;
    },

    needsReconciliation(order: Order): boolean {
      if (!order.providerOrderId) return false;
      // Waiting on the buyer (who may cancel, which Pei never posts back, or let it expire): read
      // until the order is final, which its expirationDate bounds.
      if (order.status === 'CREATED') return !heldByUnknownWord(order) || now().getTime() - Date.parse(order.updatedAt) < UNKNOWN_WORD_WATCH_MS;
      // Waiting on a recurring charge: a lost postback must not leave it waiting, but a charge
      // Pei never makes is not polled for ever (RECURRING_WATCH_MS).
      if (order.status === 'PENDING') return now().getTime() - Date.parse(order.createdAt) < RECURRING_WATCH_MS;
      return false;
    },

    async listOrders(filter: ProviderListFilter): Promise<ListedOrder[]> {
      const days = listingDays(filter.from, filter.to, now().toISOString().slice(0, 10));
      const listed: ListedOrder[] = [];
      for (const day of days) {
        // Each entry on its own (round seven): an order whose lines cannot be read is skipped and
        // reported, as an unreadable entry is (client.listingOn). Items[n].Amount is optional in
        // the seed, and a line of 0.35 Kg. at 9990 kr. is no whole krónur (lineAmountOf): before,
        // one such order made outside the gateway failed the whole listing, every day of it.
        // Round twenty-four: an entry of one of the gateway's orders read beside the total it was
        // submitted with (submitted-totals.ts): before, one written `5.000` was skipped as unreadable.
        const entries = readEachEntry('PEI', await client.ordersOn(merchantId, day, totals.of), (order) => {
          const observation = observationOfOrder(order, reading());
          const entry: ListedOrder = {
            providerOrderId: order.orderId,
            ...(order.reference ? { reference: order.reference } : {}),
            total: totalOf(order),
            items: lineItemsOf(order),
            // Without `created`, the day it was listed under is what is known of when it was made.
            createdAt: (order.created ?? new Date(`${day}T00:00:00.000Z`)).toISOString(),
            status: observation.status,
            observation,
          };
          listedReads.set(entry, order);
          return entry;
        });
        listed.push(...entries);
      }
      return listed;
    },

    /**
     * A listing's entry is judged as an order nobody knows (listOrders): one made by Orders/Pay
     * that Pei still shows Pending is then read as waiting on a checkout page, and its
     * ExpirationDate (the Pay input has none: a read may show .NET's DateTime.MinValue) as
     * having expired it. For an order of the gateway's, the entry is news only where it reads as
     * the order's own read would (fetchOrder: made by Orders/Pay, its submitted expiry); else
     * it is left to that read (reconciliation re-reads a waiting order anyway). Before, a back
     * office listing the day while Pei was still charging a purchase made it EXPIRED (final),
     * and Pei's charge then moved the money of an order the gateway had ended.
     */
    refreshesFromListing(known: Order, entry: ListedOrder): boolean {
      const read = listedReads.get(entry);
      if (!read) return true;
      // Expired by its date alone, not by Pei's word: the entry may be from a report built before
      // the buyer paid (a day's listing cached a while, round six), and EXPIRED is final. The
      // order's own read decides (reconciliation re-reads a waiting order; order(id) reads through).
      // Before, a cached report made an order the buyer had paid EXPIRED.
      if (entry.status === 'EXPIRED' && read.status !== 'Expired') return false;
      const own = observationOfOrder(read, readingOf(known));
      return own.key === entry.observation.key && own.status === entry.observation.status;
    },

    readWebhook: createPeiWebhookReader({ client, read: reading, postbackKey: postbacks, totalOf: totals.of, totalOfOrder: totals.ofOrder }),
    webhookHint: createPeiWebhookHint(postbacks),

    // Pei has no capture, refund or cancel: applyOrderChanges is absent, so each element answers NOT_SUPPORTED.
  };
}

/**
 * A found creation's observation, remembering its expiry as createOrder would have (withExpiry):
 * the ExpirationDate the client chose, else the default the gateway sent (a day after the call,
 * give or take the milliseconds before createOrder computed it; the grace covers them). Not the
 * one Pei's listing shows: that may be the server's local time read as UTC, hours off.
 * Orders/Pay orders have none.
 */
function withSentExpiry(observation: ProviderObservation, sent: Date | undefined): ProviderObservation {
  if (observation.providerData?.[PURCHASE_FOR_BUYER] === true || sent === undefined) return observation;
  return withExpiry(observation, sent.toISOString());
}

/**
 * Whether Pei's last word on a waiting (CREATED) order (kept in providerStatus) is one the gateway
 * does not know, or `Expired`, which a waiting order shows only where it stood beside a purchase and
 * so was not believed (order-shape.ts PeiOrder): either way the status is kept, and is not re-read for ever.
 */
function heldByUnknownWord(order: Order): boolean {
  if (order.providerStatus === undefined) return false;
  const word = PeiStatusWord.safeParse(order.providerStatus);
  return !word.success || typeof word.data !== 'string' || word.data === 'Expired';
}
